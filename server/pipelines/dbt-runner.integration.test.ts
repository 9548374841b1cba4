// The dbt launcher (pipelines/dbt/dbt_launcher.py) with the real dbt of the project's venv: a
// spare started ahead of time runs exactly the request it is given, like the dbt command, and
// one whose request never comes exits without running anything.
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { DbtProcesses } from './dbt-runner';

const root = process.cwd();

function finish(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.resume();
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

describe('dbt processes', () => {
  let processes: DbtProcesses | undefined;
  afterEach(() => processes?.close());

  it('runs the request given to a spare launcher like the dbt command', async () => {
    processes = new DbtProcesses(root, true);
    processes.prepare();
    // The spare says when dbt is imported; until then it must not have exited.
    await processes.whenReady();
    const child = processes.take();
    expect(child.exitCode).toBeNull();
    const done = finish(child);
    child.stdin!.end(`${JSON.stringify({ args: ['--version'], cwd: os.tmpdir(), env: {} })}\n`);
    const { code, out } = await done;
    expect(code).toBe(0);
    expect(out).toMatch(/Core:[\s\S]*installed: 1\.\d+/);
  }, 60_000);

  it('lets a launcher whose request never comes exit without running dbt', async () => {
    processes = new DbtProcesses(root, false);
    const child = processes.take();
    const done = finish(child);
    child.stdin!.end();
    const { code, out } = await done;
    expect(code).toBe(0);
    expect(out).toBe('');
  }, 60_000);
});
