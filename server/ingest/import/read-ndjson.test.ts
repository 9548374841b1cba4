import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportItem } from './import-item';
import { MAX_LINE_BYTES, readNdjson } from './read-ndjson';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tl-ndjson-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(text: string): Promise<{ items: ImportItem[]; bytes: number }> {
  const file = path.join(dir, `f${Math.random()}.ndjson`);
  await writeFile(file, text);
  const reader = readNdjson(file);
  const items: ImportItem[] = [];
  for await (const item of reader.items()) items.push(item);
  return { items, bytes: reader.bytesRead() };
}

describe('readNdjson', () => {
  it('yields one item per line, skips blank lines, tolerates CRLF and a missing last newline', async () => {
    const text = '{"a":1}\r\n\n  \n{"b":2}';
    const { items, bytes } = await readAll(text);
    expect(items).toEqual([
      { ok: true, item: { a: 1 } },
      { ok: true, item: { b: 2 } },
    ]);
    expect(bytes).toBe(Buffer.byteLength(text));
  });

  it('rejects a line that is not JSON and an oversized line without buffering it whole', async () => {
    const huge = `{"x":"${'y'.repeat(MAX_LINE_BYTES * 3)}"}`;
    const { items } = await readAll(`{"a":1}\nnot json\n${huge}\n{"c":3}\n`);
    expect(items.map((i) => (i.ok ? 'ok' : i.reason))).toEqual([
      'ok',
      'line is not valid JSON',
      'line is longer than 1 MiB',
      'ok',
    ]);
  });
});
