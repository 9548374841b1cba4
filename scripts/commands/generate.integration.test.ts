// Spawns the real CLI (node --import tsx scripts/tl.ts generate): the contract scripts rely on is
// one JSON line on stdout, progress on stderr, and exit code 1 with BAD_REQUEST for bad input.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let outDir: string;

function runTl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/tl.ts', ...args],
      { cwd: root, timeout: 60_000 },
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
  outDir = await mkdtemp(path.join(os.tmpdir(), 'tl-cli-generate-'));
});

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('tl generate', () => {
  it('writes exactly --events lines and prints one JSON summary', async () => {
    const run = await runTl([
      'generate',
      '--events',
      '5000',
      '--seed',
      '1',
      '--days',
      '30',
      '--end-date',
      '2026-11-01',
      '--out',
      outDir,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const summary = jsonLine(run.stdout);
    expect(summary).toMatchObject({
      events: 5000,
      arguments: { events: 5000, seed: 1, days: 30, endDate: '2026-11-01', outDir },
    });
    expect(summary.users).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/generate: 100\.0% 5000\/5000 events, \d+ events\/s/);
    const text = await readFile(path.join(outDir, 'events.ndjson'), 'utf8');
    expect(text.split('\n').filter((l) => l !== '')).toHaveLength(5000);
    const truth = JSON.parse(await readFile(path.join(outDir, 'ground_truth.json'), 'utf8'));
    expect(truth.arguments).toEqual({ events: 5000, seed: 1, days: 30, end_date: '2026-11-01' });
  });

  it('prints a human summary without --json', async () => {
    const run = await runTl([
      'generate',
      '--events',
      '100',
      '--end-date',
      '2026-11-01',
      '--out',
      outDir,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Wrote 100 events, \d+ identifies for \d+ users/);
  });

  it.each([
    [['--events', '1.5'], /--events must be an integer/],
    [['--events', '0'], /--events must be an integer from 1/],
    [['--days', '0'], /--days must be an integer from 1/],
    [['--end-date', '2026-13-01'], /--end-date must be a calendar date/],
    [['--unknown'], /unknown option/],
  ])('rejects %j with BAD_REQUEST and exit 1', async (args, message) => {
    const run = await runTl(['generate', ...args, '--out', outDir, '--json']);
    expect(run.code).toBe(1);
    const body = jsonLine(run.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(message);
  });
});
