// A run's log as stored by the runner (<data>/pipelines/runs/<run>/dbt.log, dbt's JSON lines),
// read back for the run page: the entries worth showing (dbt's "Formatting" blank lines and
// debug chatter left out), at most the last `limit`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDbtLogLine, type DbtLogEntry } from './dbt-log';

export function isShownLogEntry(entry: DbtLogEntry): boolean {
  return entry.level !== 'debug' && entry.event !== 'Formatting' && entry.message.trim() !== '';
}

export async function readRunLog(
  dataDir: string,
  runId: string,
  limit = 2_000,
): Promise<{ entries: DbtLogEntry[]; truncated: boolean }> {
  const file = path.join(dataDir, 'pipelines', 'runs', runId, 'dbt.log');
  if (!existsSync(file)) return { entries: [], truncated: false };
  const entries = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => parseDbtLogLine(line))
    .filter(isShownLogEntry);
  return { entries: entries.slice(-limit), truncated: entries.length > limit };
}
