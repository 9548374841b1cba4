// Imports from Admin → Ingestion on a real runtime: the upload route handler streams files to
// disk, ingestion.imports.start runs them through the real import path into bronze, and the job
// reports progress, a summary and an audit entry. Access: admins of the workspace only. Imports
// are persisted jobs: they survive a restart as history, a job left running is marked failed at
// the next start, a stop mid-import fails it the same way, and a queued job runs after a restart.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as upload } from '@/app/api/ingest/uploads/route';
import { createCaller } from '@/server/api/root';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import type { ImportJobView, SavedUpload } from './import-jobs';

let fx: Fixture;
let admin: ReturnType<typeof createCaller>;
let adminCookie: string;

function uploadRequest(
  name: string,
  body: string,
  opts: { cookie?: string; workspace?: string } = {},
) {
  const qs = new URLSearchParams({ workspace: opts.workspace ?? fx.workspace.slug, name });
  return upload(
    new Request(`http://localhost/api/ingest/uploads?${qs}`, {
      method: 'POST',
      headers: opts.cookie === undefined ? {} : { cookie: opts.cookie },
      body,
    }),
  );
}

async function uploaded(name: string, body: string): Promise<SavedUpload> {
  const res = await uploadRequest(name, body, { cookie: adminCookie });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as SavedUpload;
}

async function settled(id: string): Promise<ImportJobView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await admin.ingestion.imports.get({ id });
    if (!['queued', 'running'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`import still ${job.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function restart(): Promise<void> {
  await fx.restart();
  admin = createCaller(await fx.context({ cookie: adminCookie, workspace: fx.workspace.slug }));
}

const bigNdjson = (lines: number, event: string) =>
  Array.from({ length: lines }, (_, i) =>
    JSON.stringify({ event, user_id: `c_${i % 100}`, timestamp: '2026-10-06T10:00:00Z' }),
  ).join('\n');

async function bronzeCount(where: string): Promise<number> {
  const r = await fx.runtime.engine.execute(
    `select count(*) from bronze.events where workspace_id = ? and ${where}`,
    { params: [fx.workspace.id] },
  );
  return Number(r.rows[0]?.[0]);
}

beforeAll(async () => {
  fx = await startFixture(testDatabases()[0]!);
  adminCookie = await fx.cookieFor(fx.users.admin.email);
  admin = createCaller(await fx.context({ cookie: adminCookie, workspace: fx.workspace.slug }));
});
afterAll(async () => fx?.dispose());

describe('imports from the admin page', () => {
  it('imports an uploaded NDJSON and CSV file with a summary, into bronze, and audits it', async () => {
    const ndjson = [
      JSON.stringify({
        event: 'report_exported',
        user_id: 'imp_1',
        timestamp: '2026-10-01T10:00:00Z',
      }),
      JSON.stringify({
        event: 'report_exported',
        user_id: 'imp_2',
        timestamp: '2026-10-02T10:00:00Z',
      }),
      '{"event": "report_exported", "user_id": ',
      JSON.stringify({ event: 'report_exported', timestamp: '2026-10-03T10:00:00Z' }),
      JSON.stringify({ type: 'identify', user_id: 'imp_1', traits: { plan: 'pro' } }),
    ].join('\n');
    const csv = [
      'event,user_id,timestamp,properties,country',
      'report_exported,imp_3,2026-10-04 09:00:00,"{""format"":""csv""}",DE',
      'report_exported,imp_4,2026-10-05 09:00:00,,FR',
    ].join('\n');
    const a = await uploaded('../../events.ndjson', ndjson);
    expect(a).toMatchObject({ name: 'events.ndjson', format: 'ndjson', bytes: ndjson.length });
    const b = await uploaded('more events.csv', csv);
    expect(b.name).toBe('more_events.csv');

    const started = await admin.ingestion.imports.start({ uploadIds: [a.uploadId, b.uploadId] });
    expect(['queued', 'running']).toContain(started.state);
    const job = await settled(started.id);
    expect(job.state).toBe('done');
    expect(job.summary).toMatchObject({ events: 4, identifies: 1, rejected: 2 });
    expect(job.summary!.rejectedByReason.map((r) => r.reason).join(' | ')).toMatch(
      /JSON[\s\S]*\|[\s\S]*user_id or anonymous_id is required|user_id or anonymous_id is required[\s\S]*\|[\s\S]*JSON/,
    );
    expect(job.progress.fraction).toBe(1);
    expect(job.files.map((f) => [f.name, f.events, f.rejected])).toEqual([
      ['events.ndjson', 2, 2],
      ['more_events.csv', 2, 0],
    ]);
    expect(await bronzeCount(`user_id like 'imp_%' and source = 'batch'`)).toBe(4);
    expect(await bronzeCount(`user_id = 'imp_3' and country = 'DE'`)).toBe(1);
    // The uploads are gone once imported (just after the end is recorded); the list shows the
    // job first.
    await vi.waitFor(
      () =>
        expect(
          existsSync(path.join(fx.runtime.config.dataDir, 'uploads', fx.workspace.id, a.uploadId)),
        ).toBe(false),
      { timeout: 5_000 },
    );
    expect((await admin.ingestion.imports.list())[0]?.id).toBe(job.id);
    const audit = await fx.runtime.prisma.auditLog.findFirst({
      where: { action: 'import.done', targetId: job.id },
    });
    expect(audit).toMatchObject({ actorEmail: fx.users.admin.email, workspaceId: fx.workspace.id });
    // An upload cannot be imported twice.
    await expect(admin.ingestion.imports.start({ uploadIds: [a.uploadId] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses files it cannot import and callers who may not import', async () => {
    const bad = await uploadRequest('notes.txt', 'hello', { cookie: adminCookie });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /\.ndjson, \.jsonl, \.csv, \.parquet/,
    );
    const empty = await uploadRequest('empty.ndjson', '', { cookie: adminCookie });
    expect(empty.status).toBe(400);
    expect((await uploadRequest('a.ndjson', '{}')).status).toBe(401);
    const viewer = await fx.cookieFor(fx.users.viewer.email);
    expect((await uploadRequest('a.ndjson', '{}', { cookie: viewer })).status).toBe(403);
    const outsider = await fx.cookieFor(fx.users.outsider.email);
    expect((await uploadRequest('a.ndjson', '{}', { cookie: outsider })).status).toBe(403);
  });

  it('keeps uploads to their workspace', async () => {
    const mine = await uploaded('mine.ndjson', JSON.stringify({ event: 'x', user_id: 'u' }));
    const outsiderCookie = await fx.cookieFor(fx.users.outsider.email);
    const outsider = createCaller(
      await fx.context({ cookie: outsiderCookie, workspace: fx.other.slug }),
    );
    await expect(
      outsider.ingestion.imports.start({ uploadIds: [mine.uploadId] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.ingestion.imports.get({ id: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('cancels a running import and keeps what was acknowledged', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) =>
      JSON.stringify({
        event: 'cancel_probe',
        user_id: `c_${i % 100}`,
        timestamp: '2026-10-06T10:00:00Z',
      }),
    ).join('\n');
    const big = await uploaded('big.ndjson', lines);
    const started = await admin.ingestion.imports.start({ uploadIds: [big.uploadId] });
    await admin.ingestion.imports.cancel({ id: started.id });
    const job = await settled(started.id);
    expect(job.state).toBe('cancelled');
    expect(job.error).toMatch(/cancelled/i);
    await fx.runtime.flusher.flush();
    await fx.runtime.flusher.flush();
    const stored = await bronzeCount(`event = 'cancel_probe'`);
    expect(stored).toBeLessThan(60_000);
    expect(stored % 1000).toBe(0);
  });

  it('keeps finished imports across a restart, in their workspace only', async () => {
    const before = await admin.ingestion.imports.list();
    expect(before.length).toBeGreaterThan(0);
    await restart();
    expect(await admin.ingestion.imports.list()).toEqual(before);
    expect(await admin.ingestion.imports.get({ id: before[0]!.id })).toEqual(before[0]);
    const outsider = createCaller(
      await fx.context({
        cookie: await fx.cookieFor(fx.users.outsider.email),
        workspace: fx.other.slug,
      }),
    );
    expect(await outsider.ingestion.imports.list()).toEqual([]);
    await expect(outsider.ingestion.imports.get({ id: before[0]!.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('marks an import left running by a killed server failed at start and runs a queued one', async () => {
    const prisma = fx.runtime.prisma;
    const running = await uploaded('killed.ndjson', bigNdjson(10, 'killed_probe'));
    const waiting = await uploaded('waiting.ndjson', bigNdjson(1_500, 'resumed_probe'));
    const file = (u: SavedUpload) => ({
      name: u.name,
      format: u.format,
      bytes: u.bytes,
      events: 0,
      identifies: 0,
      rejected: 0,
    });
    // What a kill -9 leaves: one import "running" (its worker died with the process) and one
    // "queued" behind it, each with its upload on disk.
    const row = (u: SavedUpload, state: string) =>
      prisma.importJob.create({
        data: {
          id: randomUUID(),
          workspaceId: fx.workspace.id,
          state,
          createdById: fx.users.admin.id,
          createdByEmail: fx.users.admin.email,
          uploadIds: [u.uploadId],
          files: [file(u)],
          bytesTotal: u.bytes,
          ...(state === 'running' ? { startedAt: new Date(), accepted: 1_000 } : {}),
        },
      });
    const killed = await row(running, 'running');
    const queued = await row(waiting, 'queued');
    const uploadDir = (u: SavedUpload) =>
      path.join(fx.runtime.config.dataDir, 'uploads', fx.workspace.id, u.uploadId);
    const stray = await uploaded('never-started.ndjson', bigNdjson(1, 'stray'));

    await restart();
    const failed = await admin.ingestion.imports.get({ id: killed.id });
    expect(failed.state).toBe('failed');
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(failed.error).toMatch(/acknowledged before the stop are kept/);
    expect(failed.error).toMatch(/rest was not imported/);
    expect(existsSync(uploadDir(running))).toBe(false);
    // Uploads no queued import refers to are gone; the queued import's stayed for it.
    expect(existsSync(uploadDir(stray))).toBe(false);
    expect(
      await fx.runtime.prisma.auditLog.findFirst({
        where: { action: 'import.failed', targetId: killed.id },
      }),
    ).toMatchObject({ actorEmail: fx.users.admin.email, workspaceId: fx.workspace.id });

    const resumed = await settled(queued.id);
    expect(resumed.state).toBe('done');
    expect(resumed.summary).toMatchObject({ events: 1_500, rejected: 0 });
    expect(resumed.files[0]).toMatchObject({ name: 'waiting.ndjson', events: 1_500 });
    // Removed just after the end is recorded (the state can be read a moment before).
    await vi.waitFor(() => expect(existsSync(uploadDir(waiting))).toBe(false), { timeout: 5_000 });
    await fx.runtime.flusher.flush();
    expect(await bronzeCount(`event = 'resumed_probe'`)).toBe(1_500);
  });

  it('fails an import cut short by a server stop, keeping what was acknowledged', async () => {
    const big = await uploaded('stopped.ndjson', bigNdjson(150_000, 'stop_probe'));
    const started = await admin.ingestion.imports.start({ uploadIds: [big.uploadId] });
    const deadline = Date.now() + 30_000;
    while ((await admin.ingestion.imports.get({ id: started.id })).state === 'queued') {
      if (Date.now() > deadline) throw new Error('the import never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    await restart();
    const job = await admin.ingestion.imports.get({ id: started.id });
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/server stopped/);
    await fx.runtime.flusher.flush();
    const stored = await bronzeCount(`event = 'stop_probe'`);
    expect(stored).toBeLessThan(150_000);
    expect(stored % 1000).toBe(0);
  });
});
