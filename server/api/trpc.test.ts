import { describe, expect, it } from 'vitest';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { APP_ERROR_CODES, AppError, HTTP_STATUS } from '../errors';
import { toTRPCError } from './trpc';

describe('AppError → tRPC', () => {
  // One mapping for every code: tRPC's HTTP status must agree with the REST handlers' status,
  // so the same error answers the same status on every path.
  it('maps every AppError code to the same HTTP status as the REST handlers', () => {
    for (const code of APP_ERROR_CODES) {
      const mapped = toTRPCError(new AppError(code, 'x'));
      const status = getHTTPStatusCodeFromError(mapped);
      expect([code, status]).toEqual([code, HTTP_STATUS[code]]);
    }
  });

  // Unexpected errors never leak their message to the client.
  it('hides the message of unknown errors', () => {
    const mapped = toTRPCError(new Error('password=hunter2 in connection string'));
    expect(mapped.code).toBe('INTERNAL_SERVER_ERROR');
    expect(mapped.message).not.toMatch(/hunter2/);
  });
});
