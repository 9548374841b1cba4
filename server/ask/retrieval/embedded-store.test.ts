import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { vectorStoreContract } from './vector-store.contract';
import { collectionName, EmbeddedVectorStore } from './vector-store';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'tl-vectors-'));
}

vectorStoreContract('embedded', async () => {
  const dir = await tempDir();
  const store = await EmbeddedVectorStore.open(dir);
  return {
    store,
    async dispose() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedVectorStore on disk', () => {
  const dirs: string[] = [];
  const dir = async () => {
    const d = await tempDir();
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reloads collections, vectors and payloads when reopened', async () => {
    const d = await dir();
    const a = await EmbeddedVectorStore.open(d);
    await a.ensureCollection('ws1', 3);
    await a.ensureCollection('ws2', 2);
    await a.upsert('ws1', [
      { id: 'x', vector: [1, 0, 0], payload: { kind: 'event', title: 'X', text: 'x', ref: 'r' } },
      { id: 'y', vector: [0, 1, 0], payload: { kind: 'metric', title: 'Y', text: 'y ü' } },
      { id: 'z', vector: [0, 0, 1], payload: { kind: 'event', title: 'Z', text: 'z' } },
    ]);
    await a.delete('ws1', ['x']); // moves z into x's slot
    await a.upsert('ws2', [
      { id: 'p', vector: [1, 1], payload: { kind: 'p', title: '', text: '' } },
    ]);
    await a.close();

    const b = await EmbeddedVectorStore.open(d);
    expect(b.listCollections()).toEqual(['ws1', 'ws2']);
    expect(await b.count('ws1')).toBe(2);
    expect(await b.search('ws1', [0, 0, 5], { k: 1 })).toEqual([
      { id: 'z', score: expect.closeTo(1, 6), payload: { kind: 'event', title: 'Z', text: 'z' } },
    ]);
    expect((await b.search('ws1', [0, 1, 0], { k: 1 }))[0]?.payload).toEqual({
      kind: 'metric',
      title: 'Y',
      text: 'y ü',
    });
    expect(await b.count('ws2')).toBe(1);
    await b.ensureCollection('ws1', 3);
    await expect(b.ensureCollection('ws1', 4)).rejects.toThrow(/3 dimensions/);
    await b.dropCollection('ws2');
    await b.close();

    const c = await EmbeddedVectorStore.open(d);
    expect(c.listCollections()).toEqual(['ws1']);
    expect(await readdir(d)).toEqual(['ws1.tlvec']);
    await c.close();
  });

  it('leaves no temp files behind and removes those of an interrupted write', async () => {
    const d = await dir();
    const a = await EmbeddedVectorStore.open(d);
    await a.ensureCollection('c', 2);
    // Concurrent writes are chained: the file ends with the last state, and only it remains.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        a.upsert('c', [
          { id: `d${i}`, vector: [1, i], payload: { kind: 'event', title: `${i}`, text: '' } },
        ]),
      ),
    );
    await a.close();
    expect(await readdir(d)).toEqual(['c.tlvec']);

    await writeFile(path.join(d, 'c.tlvec.tmp-1-deadbeef'), 'half a file');
    const b = await EmbeddedVectorStore.open(d);
    expect(await b.count('c')).toBe(20);
    expect(await readdir(d)).toEqual(['c.tlvec']);
    await b.close();
  });

  it('says which file is broken instead of loading garbage', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'broken.tlvec'), 'not vectors');
    await expect(EmbeddedVectorStore.open(d)).rejects.toThrow(/broken\.tlvec is unreadable/);
  });

  it('detects a truncated file', async () => {
    const d = await dir();
    const a = await EmbeddedVectorStore.open(d);
    await a.ensureCollection('t', 4);
    await a.upsert('t', [
      { id: 'a', vector: [1, 2, 3, 4], payload: { kind: 'k', title: '', text: '' } },
    ]);
    await a.close();
    const file = path.join(d, 't.tlvec');
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 4));
    await expect(EmbeddedVectorStore.open(d)).rejects.toThrow(/wrong length/);
  });
});

describe('collectionName', () => {
  it('is a valid, stable name per workspace and embedder', () => {
    const a = collectionName('ws_123', 'all-MiniLM-L6-v2-onnx-int8');
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,120}$/);
    expect(collectionName('ws_123', 'all-MiniLM-L6-v2-onnx-int8')).toBe(a);
    expect(collectionName('ws_123', 'hashed-ngram-v1-d512-n35')).not.toBe(a);
    expect(collectionName('ws_124', 'all-MiniLM-L6-v2-onnx-int8')).not.toBe(a);
  });

  it('keeps pairs apart that clean to the same characters', () => {
    expect(collectionName('a b', 'e')).not.toBe(collectionName('a/b', 'e'));
    expect(collectionName('a b', 'e')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(collectionName('x'.repeat(500), 'y'.repeat(500)).length).toBeLessThanOrEqual(120);
  });
});
