import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { typoHint, withHint } from './typo-hint';

describe('typoHint', () => {
  it('suggests the nearest candidate when it is close enough to be a typo', () => {
    expect(
      typoHint({ kind: 'column', name: 'evnt_name', candidates: ['user_id', 'event_name', 'ts'] }),
    ).toBe('column evnt_name not found — did you mean event_name?');
    expect(typoHint({ kind: 'function', name: 'lenght', candidates: ['length'] })).toBe(
      'function lenght does not exist — did you mean length?',
    );
  });

  it('compares qualified candidates by their last part and suggests them whole', () => {
    expect(typoHint({ kind: 'column', name: 'pln', candidates: ['u.plan', 'f.ts'] })).toBe(
      'column pln not found — did you mean u.plan?',
    );
  });

  it('suggests nothing far from the name, or without candidates', () => {
    expect(typoHint({ kind: 'column', name: 'xyz', candidates: ['event_name'] })).toBeUndefined();
    expect(typoHint({ kind: 'column', name: 'evnt_name', candidates: [] })).toBeUndefined();
  });
});

describe('withHint', () => {
  it('puts the hint on its own line after the message and in details, keeping the code', () => {
    const cause = new Error('engine');
    const error = new AppError('QUERY_FAILED', 'Column x missing', { position: 3 }, { cause });
    const hinted = withHint(error, 'column x not found — did you mean y?');
    expect(hinted.code).toBe('QUERY_FAILED');
    expect(hinted.message).toBe('Column x missing\nHint: column x not found — did you mean y?');
    expect(hinted.details).toEqual({ position: 3, hint: 'column x not found — did you mean y?' });
    expect(hinted.cause).toBe(cause);
    expect(withHint(error, undefined)).toBe(error);
  });
});
