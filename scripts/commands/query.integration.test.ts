// Spawns the real CLI (node --import tsx scripts/tl.ts) against a temp data dir: the contract
// scripts rely on is one JSON line on stdout and the exit code.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dataDir: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runTl(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/tl.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, TL_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
        // A CLI run starts tsx, DuckDB and (for import) the Python lake writer: 30 s was not
        // enough once on a machine busy with other work (the import was killed, code -1).
        timeout: 90_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** stdout must be exactly one JSON line, whatever the logs say on stderr. */
function jsonLine(stdout: string): unknown {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tl-cli-query-'));
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('tl query --json', () => {
  it('prints columns and rows as one JSON line and exits 0', async () => {
    const run = await runTl(['query', '--json', 'select 42 as answer']);
    expect(run.code).toBe(0);
    expect(jsonLine(run.stdout)).toEqual({
      columns: [{ name: 'answer', type: 'integer' }],
      rows: [[42]],
    });
  });

  it('reads the bronze tables of the lake (after an import)', async () => {
    const file = path.join(dataDir, 'events.ndjson');
    await writeFile(
      file,
      [
        { event: 'signed_up', anonymous_id: 'a_1', timestamp: '2026-10-01T10:00:00Z' },
        {
          type: 'identify',
          user_id: 'u_1',
          anonymous_id: 'a_1',
          timestamp: '2026-10-01T10:01:00Z',
        },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const imported = await runTl(['import', file, '--json'], { TL_DEMO_DATA: '0' });
    expect(imported.code, imported.stderr).toBe(0);
    const run = await runTl([
      'query',
      '--json',
      `select e.event, m.user_id from bronze.events e join bronze.identity_map m using (workspace_id, anonymous_id)`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect((jsonLine(run.stdout) as { rows: unknown[] }).rows).toEqual([['signed_up', 'u_1']]);
  }, 200_000);

  it('applies the row cap', async () => {
    const run = await runTl(['query', '--json', '--max-rows', '3', 'select * from range(10)']);
    expect(run.code).toBe(0);
    expect(jsonLine(run.stdout)).toMatchObject({ rows: [[0], [1], [2]] });
    expect(run.stderr).toMatch(/truncated/);
  });

  it('answers a rejected statement with QUERY_REJECTED and exit 1', async () => {
    const run = await runTl(['query', '--json', 'drop table events']);
    expect(run.code).toBe(1);
    expect(jsonLine(run.stdout)).toMatchObject({
      error: { code: 'QUERY_REJECTED', message: expect.stringContaining('got DROP') },
    });
  });

  it('answers a timeout with TIMEOUT and exit 1', async () => {
    const run = await runTl([
      'query',
      '--json',
      '--timeout-ms',
      '200',
      'select count(*) from range(1e12::bigint) a',
    ]);
    expect(run.code).toBe(1);
    expect(jsonLine(run.stdout)).toMatchObject({ error: { code: 'TIMEOUT' } });
  });

  it('names an invalid environment variable with CONFIG_INVALID and exit 1', async () => {
    const run = await runTl(['query', '--json', 'select 1'], { TL_QUERY_MAX_ROWS: 'abc' });
    expect(run.code).toBe(1);
    const body = jsonLine(run.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CONFIG_INVALID');
    expect(body.error.message).toContain('TL_QUERY_MAX_ROWS');
  });

  it('answers a bad option with a JSON error and exit 1', async () => {
    const run = await runTl(['query', '--json', '--max-rows', 'many', 'select 1']);
    expect(run.code).toBe(1);
    expect(jsonLine(run.stdout)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});

describe('tl without --json', () => {
  it('prints a readable table', async () => {
    const run = await runTl(['query', "select 1 as n, 'a' as label"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('n │ label');
    expect(run.stdout).toContain('1 row in');
  });

  it('lists the commands in --help', async () => {
    const run = await runTl(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/query \[options\] <sql>/);
  });
});
