// The authorisation matrix: every tRPC procedure × every kind of caller, through real sessions.
// A procedure added to the router without an entry in ACCESS fails this test, so no procedure
// ships without a decided access level (default deny is enforced inside each procedure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { appRouter, createCaller } from './root';
import type { Meta } from './trpc';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';

type Access = NonNullable<Meta['access']>;

const ACCESS: Record<string, Access> = {
  'system.health': 'public',
  'system.parts': 'admin',
  'me.get': 'authenticated',
  'me.workspace': 'viewer',
  'me.createWorkspace': 'authenticated',
  'invitation.inspect': 'public',
  'invitation.accept': 'public',
  'invitation.acceptAsCurrentUser': 'authenticated',
  'admin.members.list': 'admin',
  'admin.members.updateRole': 'admin',
  'admin.members.remove': 'admin',
  'admin.invitations.list': 'admin',
  'admin.invitations.create': 'admin',
  'admin.invitations.revoke': 'admin',
  'admin.apiKeys.list': 'admin',
  'admin.apiKeys.create': 'admin',
  'admin.apiKeys.revoke': 'admin',
  'admin.audit.list': 'admin',
  // data.* (schema registry, catalog)
  'data.events.list': 'viewer',
  'data.events.get': 'viewer',
  'data.events.updateDescription': 'admin',
  'data.properties.updateDescription': 'admin',
  // ingestion.* (Admin → Ingestion)
  'ingestion.overview': 'admin',
  'ingestion.recent': 'admin',
  'ingestion.deadLetters.list': 'admin',
  'ingestion.deadLetters.replay': 'admin',
  'ingestion.imports.list': 'admin',
  'ingestion.imports.get': 'admin',
  'ingestion.imports.start': 'admin',
  'ingestion.imports.cancel': 'admin',
  // pipelines.* (Admin → Pipelines)
  'pipelines.runs.list': 'admin',
  'pipelines.runs.get': 'admin',
  'pipelines.runs.log': 'admin',
  'pipelines.runs.start': 'admin',
  'pipelines.runs.cancel': 'admin',
  'pipelines.runs.activate': 'admin',
  'pipelines.schedule.get': 'admin',
  'pipelines.schedule.set': 'admin',
  'pipelines.stream.status': 'admin',
  'pipelines.stream.start': 'admin',
  'pipelines.stream.stop': 'admin',
  // catalog.* (Data → Catalog)
  'catalog.get': 'viewer',
  'catalog.preview': 'viewer',
  'catalog.versions': 'viewer',
  'ask.ask': 'viewer',
  // Every member has their own Ask history (scoped to them in the service, tested there).
  'ask.feedback': 'viewer',
  'ask.status': 'viewer',
  'ask.related': 'viewer',
  'ask.conversations': 'viewer',
  'ask.conversation': 'viewer',
  'ask.deleteConversation': 'viewer',
  // insights.* (Insights, dashboards)
  'insights.run': 'viewer',
  // cohorts.* (saved user groups for insight filters and breakdowns)
  'cohorts.list': 'viewer',
  'cohorts.get': 'viewer',
  'cohorts.size': 'viewer',
  'cohorts.sizeOverTime': 'viewer',
  'cohorts.create': 'analyst',
  'cohorts.update': 'analyst',
  'cohorts.delete': 'analyst',
  'insights.funnelUsers': 'viewer',
  // savedInsights.* and dashboards.* (Dashboards, home page; pin is personal)
  'savedInsights.list': 'viewer',
  'savedInsights.get': 'viewer',
  'savedInsights.create': 'analyst',
  'savedInsights.update': 'analyst',
  'savedInsights.delete': 'analyst',
  'dashboards.list': 'viewer',
  'dashboards.get': 'viewer',
  'dashboards.home': 'viewer',
  'dashboards.runTile': 'viewer',
  'dashboards.runQueryTile': 'viewer',
  'dashboards.pin': 'viewer',
  'dashboards.create': 'analyst',
  'dashboards.update': 'analyst',
  'dashboards.delete': 'analyst',
  'dashboards.duplicate': 'analyst',
  'dashboards.addTile': 'analyst',
  'dashboards.updateLayout': 'analyst',
  'dashboards.removeTile': 'analyst',
  'dashboards.fromTemplate': 'analyst',
  // sql.* (the SQL editor: viewers cannot open it)
  'sql.run': 'analyst',
  'sql.runScript': 'analyst',
  'sql.cancel': 'analyst',
  'sql.history': 'analyst',
  'sql.schema': 'analyst',
  'sql.saved.list': 'analyst',
  'sql.saved.get': 'analyst',
  'sql.saved.create': 'analyst',
  'sql.saved.update': 'analyst',
  'sql.saved.delete': 'analyst',
};

type Caller = 'anonymous' | 'viewer' | 'analyst' | 'admin' | 'outsider' | 'admin-without-workspace';
const CALLERS: Caller[] = [
  'anonymous',
  'viewer',
  'analyst',
  'admin',
  'outsider',
  'admin-without-workspace',
];
const RANK = { viewer: 1, analyst: 2, admin: 3 } as const;

function expected(access: Access, caller: Caller): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  if (access === 'public') return 'allowed';
  if (caller === 'anonymous') return 'UNAUTHORIZED';
  if (access === 'authenticated') return 'allowed';
  if (caller === 'outsider' || caller === 'admin-without-workspace') return 'FORBIDDEN';
  return RANK[caller] >= RANK[access] ? 'allowed' : 'FORBIDDEN';
}

// tRPC keeps a flat map of dotted paths to procedures next to the nested record.
const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { meta?: Meta; type: string } }
>;

describe('procedure inventory', () => {
  it('every procedure has a decided access level that matches its meta', () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(ACCESS).sort());
    for (const [path, proc] of Object.entries(procedures)) {
      expect(proc._def.meta?.access, path).toBe(ACCESS[path]);
    }
  });
});

describe.each(testDatabases())('authorisation matrix on $kind', (kind) => {
  let fx: Fixture;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    fx = await startFixture(kind);
    for (const role of ['viewer', 'analyst', 'admin', 'outsider'] as const)
      cookies.set(role, await fx.cookieFor(fx.users[role].email));
  });
  afterAll(async () => fx?.dispose());

  async function callerFor(caller: Caller) {
    const cookie =
      caller === 'anonymous'
        ? undefined
        : caller === 'admin-without-workspace'
          ? cookies.get('admin')
          : cookies.get(caller);
    const workspace = caller === 'admin-without-workspace' ? null : fx.workspace.slug;
    return createCaller(await fx.context({ cookie, workspace }));
  }

  for (const [path, access] of Object.entries(ACCESS)) {
    it(`${path} (${access})`, async () => {
      for (const caller of CALLERS) {
        const api = await callerFor(caller);
        const fn = path
          .split('.')
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], api) as (
          input: unknown,
        ) => Promise<unknown>;
        // An empty input: allowed callers get past authorisation and stop at validation
        // (BAD_REQUEST) or succeed on input-less reads; nothing is changed.
        let outcome: string;
        try {
          await fn({});
          outcome = 'allowed';
        } catch (error) {
          expect(error).toBeInstanceOf(TRPCError);
          const code = (error as TRPCError).code;
          outcome = code === 'UNAUTHORIZED' || code === 'FORBIDDEN' ? code : 'allowed';
        }
        expect(outcome, `${caller} → ${path}`).toBe(expected(access, caller));
      }
    });
  }

  it('a member of another workspace cannot read this one even as admin there', async () => {
    const api = createCaller(
      await fx.context({ cookie: cookies.get('outsider'), workspace: fx.workspace.slug }),
    );
    await expect(api.admin.members.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const own = createCaller(
      await fx.context({ cookie: cookies.get('outsider'), workspace: fx.other.slug }),
    );
    const members = await own.admin.members.list();
    expect(members.map((m) => m.email)).toEqual(['outsider-user@example.com']);
  });

  it('an expired session is UNAUTHORIZED with a message that says to sign in', async () => {
    const cookie = await fx.cookieFor(fx.users.viewer.email);
    await fx.runtime.prisma.session.updateMany({
      where: { userId: fx.users.viewer.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const api = createCaller(await fx.context({ cookie, workspace: fx.workspace.slug }));
    await expect(api.me.get()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/sign in/i),
    });
  });
});
