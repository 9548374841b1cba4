// Starts a real runtime (PGlite or PostgreSQL, Better Auth, DuckDB) for integration tests and
// seeds users with each role. Signing in goes through Better Auth's real HTTP handler.
// `restart()` stops the runtime and starts a new one on the same data directory and database.
import { startRuntime, type Runtime } from '@/server/runtime';
import { createPasswordUser } from '@/server/auth/users';
import { CLIENT_IP_HEADER } from '@/server/auth/auth';
import { createContext, WORKSPACE_HEADER, type Context } from '@/server/api/context';
import { testConfig, type DatabaseKind, type TestDatabase } from './databases';
import type { Role } from '@/server/auth/roles';

export const PASSWORD = 'correct-horse-battery';

export interface Fixture {
  /** The current runtime (a new object after `restart()`). */
  runtime: Runtime;
  restart(): Promise<Runtime>;
  database: TestDatabase;
  workspace: { id: string; slug: string };
  other: { id: string; slug: string };
  users: Record<Role | 'outsider', { id: string; email: string }>;
  signIn(email: string, password?: string, ip?: string): Promise<Response>;
  cookieFor(email: string): Promise<string>;
  context(opts: { cookie?: string; workspace?: string | null }): Promise<Context>;
  dispose(): Promise<void>;
}

export async function startFixture(
  kind: DatabaseKind,
  env: Record<string, string> = {},
): Promise<Fixture> {
  // For PGlite the runtime starts its own embedded database, exactly as `npm start` does; for
  // PostgreSQL a fresh database is created on the test server.
  const database: TestDatabase =
    kind.kind === 'postgres'
      ? await kind.create()
      : { kind: 'pglite', url: '', dispose: async () => undefined };
  const { config, cleanup } = await testConfig(
    kind.kind === 'postgres' ? database.url : undefined,
    env,
  );
  const runtime = await startRuntime(config);
  try {
    return await seedFixture(runtime, database, cleanup);
  } catch (error) {
    await runtime.close();
    await database.dispose();
    await cleanup();
    throw error;
  }
}

async function seedFixture(
  runtime: Runtime,
  database: TestDatabase,
  cleanup: () => Promise<void>,
): Promise<Fixture> {
  const { prisma, auth, config } = runtime;
  const workspace = await prisma.workspace.findUniqueOrThrow({
    where: { slug: config.demoWorkspaceSlug },
  });
  const other = await prisma.workspace.create({ data: { slug: 'other', name: 'Other' } });
  const users = {} as Fixture['users'];
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    const u = await createPasswordUser(auth, {
      email: `${role}-user@example.com`,
      name: role,
      password: PASSWORD,
    });
    await prisma.membership.create({ data: { workspaceId: workspace.id, userId: u.id, role } });
    users[role] = u;
  }
  const outsider = await createPasswordUser(auth, {
    email: 'outsider-user@example.com',
    name: 'outsider',
    password: PASSWORD,
  });
  await prisma.membership.create({
    data: { workspaceId: other.id, userId: outsider.id, role: 'admin' },
  });
  users.outsider = outsider;

  // Through the current runtime's auth (a new one after restart()).
  const signIn = (email: string, password = PASSWORD, ip = '10.0.0.1') =>
    fixture.runtime.auth.handler(
      new Request(`${config.baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: config.baseUrl,
          [CLIENT_IP_HEADER]: ip,
        },
        body: JSON.stringify({ email, password }),
      }),
    );

  const fixture: Fixture = {
    runtime,
    async restart() {
      const { config } = fixture.runtime;
      await fixture.runtime.close();
      fixture.runtime = await startRuntime(config);
      return fixture.runtime;
    },
    database,
    workspace: { id: workspace.id, slug: workspace.slug },
    other: { id: other.id, slug: other.slug },
    users,
    signIn,
    async cookieFor(email) {
      const res = await signIn(
        email,
        PASSWORD,
        `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
      );
      if (!res.ok)
        throw new Error(`sign-in failed for ${email}: ${res.status} ${await res.text()}`);
      return res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    },
    async context({ cookie, workspace: ws }) {
      const headers = new Headers({ [CLIENT_IP_HEADER]: '10.0.0.9' });
      if (cookie) headers.set('cookie', cookie);
      if (ws) headers.set(WORKSPACE_HEADER, ws);
      return createContext({ headers });
    },
    async dispose() {
      await fixture.runtime.close();
      await database.dispose();
      await cleanup();
    },
  };
  return fixture;
}
