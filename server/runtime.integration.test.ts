// Start-up errors name the setting to fix, and a failed start leaves nothing running.
import { describe, expect, it } from 'vitest';
import { startRuntime, findRuntime } from './runtime';
import { testConfig } from '@/test/databases';

describe('startRuntime', () => {
  it('fails with a message naming DATABASE_URL when PostgreSQL is unreachable', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const { config, cleanup } = await testConfig('postgresql://nobody:pw@127.0.0.1:9/db');
    try {
      await expect(startRuntime(config)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/^DATABASE_URL is set but the database cannot be reached/),
      });
      expect(findRuntime()).toBeUndefined();
    } finally {
      await cleanup();
    }
  });

  it('starts embedded, seeds once, and a restart on the same data keeps the first admin', async () => {
    const { config, cleanup } = await testConfig(undefined, { TL_ADMIN_PASSWORD: '' });
    try {
      const first = await startRuntime(config);
      expect(first.mode).toEqual({ metadata: 'pglite', queryEngine: 'duckdb', intake: 'wal' });
      expect(first.seed.created).toBe(true);
      expect(first.seed.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
      await first.close();
      const second = await startRuntime(config);
      expect(second.seed.created).toBe(false);
      expect(await second.prisma.user.count()).toBe(1);
      expect(await second.prisma.membership.findFirst({ select: { role: true } })).toEqual({
        role: 'admin',
      });
      await second.close();
    } finally {
      await cleanup();
    }
  });
});
