// Spawns the real CLI (node --import tsx scripts/tl.ts import): one JSON report on stdout,
// progress on stderr, {"error":{…}} and exit 1 for a bad path, and a clear message when the
// server (here: a runtime in this process) holds the embedded database.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '@/test/databases';
import type { Config } from '@/server/config';
import { startRuntime } from '@/server/runtime';
import { generateDataset } from '@/server/ingest/generator/generate';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let genDir: string;
let config: Config;
let cleanup: () => Promise<void>;

function runTl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/tl.ts', ...args],
      {
        cwd: root,
        timeout: 120_000,
        env: { ...process.env, TL_DATA_DIR: config.dataDir, TL_DEMO_DATA: '0', LOG_LEVEL: 'warn' },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function jsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

beforeAll(async () => {
  ({ config, cleanup } = await testConfig());
  genDir = await mkdtemp(path.join(os.tmpdir(), 'tl-cli-import-'));
  await generateDataset({ events: 5000, seed: 2, days: 30, endDate: '2026-11-01', outDir: genDir });
});

afterAll(async () => {
  await cleanup?.();
  if (genDir) await rm(genDir, { recursive: true, force: true });
});

describe('tl import', () => {
  it('says the embedded database is in use while the server holds it', async () => {
    const runtime = await startRuntime(config);
    try {
      const run = await runTl(['import', genDir, '--json']);
      expect(run.code).toBe(1);
      const body = jsonLine(run.stdout) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(body.error.message).toMatch(/in use by process \d+\. Stop that process/);
    } finally {
      await runtime.close();
    }
  });

  it('imports a folder and prints one JSON report', async () => {
    const run = await runTl(['import', genDir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = jsonLine(run.stdout);
    expect(report).toMatchObject({
      workspace: 'demo',
      events: 5000,
      rejected: 0,
      rejected_by_reason: {},
    });
    expect(report.events_per_second).toBeGreaterThan(0);
    expect(report.files).toHaveLength(2);
    expect(run.stderr).toMatch(/import: 100\.0% of/);
  });

  it('answers {"error":…} and exit code 1 for a missing path or workspace', async () => {
    const missing = await runTl(['import', path.join(genDir, 'nope'), '--json']);
    expect(missing.code).toBe(1);
    expect(jsonLine(missing.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const workspace = await runTl(['import', genDir, '--workspace', 'nope', '--json']);
    expect(workspace.code).toBe(1);
    expect(jsonLine(workspace.stdout)).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('demo') as unknown },
    });
  });
});
