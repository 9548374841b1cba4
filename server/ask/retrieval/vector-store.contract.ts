// The behaviour every VectorStore must have, as one vitest suite. Each store's test file runs it
// with a factory for its store: embedded-store.test.ts (always) and
// qdrant-store.integration.test.ts (against a real Qdrant server).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@/server/errors';
import type { VectorDoc, VectorHit, VectorPayload, VectorStore } from './vector-store';

export interface StoreUnderTest {
  store: VectorStore;
  dispose(): Promise<void>;
}

/** A unit vector along axis `i` of `dims`, tilted by `tilt` towards axis `j`. */
function axis(dims: number, i: number, j = i, tilt = 0): number[] {
  const v = new Array<number>(dims).fill(0);
  v[i] = 1;
  v[j] = v[j]! + tilt;
  return v;
}

function doc(id: string, vector: number[], kind = 'event', ref?: string): VectorDoc {
  const payload: VectorPayload = { kind, title: `Title ${id}`, text: `About ${id}` };
  if (ref !== undefined) payload.ref = ref;
  return { id, vector, payload };
}

/** The best hit; fails the test when there is none. */
function first(hits: VectorHit[]): VectorHit {
  const hit = hits[0];
  if (!hit) throw new Error('expected at least one hit');
  return hit;
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

export function vectorStoreContract(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`VectorStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: VectorStore;
    // Unique per run, so a shared server never sees another run's collections.
    const run = randomBytes(4).toString('hex');
    let n = 0;
    const fresh = () => `contract_${run}_${++n}`;

    beforeAll(async () => {
      subject = await create();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('reads a missing collection as empty and ignores deletes and drops of it', async () => {
      const c = fresh();
      expect(await store.count(c)).toBe(0);
      expect(await store.search(c, axis(4, 0), { k: 3 })).toEqual([]);
      await store.delete(c, ['a']);
      await store.dropCollection(c);
      expect(await store.count(c)).toBe(0);
    });

    it('refuses to upsert into a missing collection', async () => {
      await rejectsWith(store.upsert(fresh(), [doc('a', axis(4, 0))]), 'NOT_FOUND');
    });

    it('creates a collection once and refuses other dimensions for it', async () => {
      const c = fresh();
      await store.ensureCollection(c, 4);
      await store.ensureCollection(c, 4);
      await rejectsWith(store.ensureCollection(c, 8), 'CONFLICT');
      expect(await store.count(c)).toBe(0);
      await store.dropCollection(c);
    });

    it('rejects invalid collection names, vectors of the wrong length and bad k', async () => {
      await rejectsWith(store.ensureCollection('has space', 4), 'BAD_REQUEST');
      await rejectsWith(store.count('../escape'), 'BAD_REQUEST');
      const c = fresh();
      await store.ensureCollection(c, 4);
      await rejectsWith(store.upsert(c, [doc('a', axis(3, 0))]), 'BAD_REQUEST');
      await rejectsWith(store.upsert(c, [doc('a', [1, NaN, 0, 0])]), 'BAD_REQUEST');
      await rejectsWith(store.search(c, axis(5, 0), { k: 1 }), 'BAD_REQUEST');
      await rejectsWith(store.search(c, axis(4, 0), { k: 0 }), 'BAD_REQUEST');
      expect(await store.count(c)).toBe(0);
      await store.dropCollection(c);
    });

    it('finds the nearest documents first, scored by cosine similarity', async () => {
      const c = fresh();
      await store.ensureCollection(c, 4);
      await store.upsert(c, [
        doc('x', axis(4, 0)),
        doc('x-ish', axis(4, 0, 1, 0.5)), // cos = 1/√1.25 ≈ 0.894 to axis 0
        doc('y', axis(4, 1)),
        doc('minus-x', [-2, 0, 0, 0]), // length does not matter, direction does
      ]);
      expect(await store.count(c)).toBe(4);
      const hits = await store.search(c, [3, 0, 0, 0], { k: 4 });
      expect(hits.map((h) => h.id)).toEqual(['x', 'x-ish', 'y', 'minus-x']);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits[1]!.score).toBeCloseTo(1 / Math.sqrt(1.25), 5);
      expect(hits[2]!.score).toBeCloseTo(0, 5);
      expect(hits[3]!.score).toBeCloseTo(-1, 5);
      expect(hits[0]!.payload).toEqual({ kind: 'event', title: 'Title x', text: 'About x' });
      const top2 = await store.search(c, [3, 0, 0, 0], { k: 2 });
      expect(top2.map((h) => h.id)).toEqual(['x', 'x-ish']);
      await store.dropCollection(c);
    });

    it('filters by kind', async () => {
      const c = fresh();
      await store.ensureCollection(c, 4);
      await store.upsert(c, [
        doc('e1', axis(4, 0), 'event'),
        doc('p1', axis(4, 0, 1, 0.1), 'property'),
        doc('m1', axis(4, 0, 2, 0.2), 'metric'),
        doc('e2', axis(4, 0, 3, 0.3), 'event'),
      ]);
      const q = axis(4, 0);
      expect((await store.search(c, q, { k: 10, kinds: ['event'] })).map((h) => h.id)).toEqual([
        'e1',
        'e2',
      ]);
      expect(
        (await store.search(c, q, { k: 10, kinds: ['metric', 'property'] })).map((h) => h.id),
      ).toEqual(['p1', 'm1']);
      expect(await store.search(c, q, { k: 10, kinds: ['insight'] })).toEqual([]);
      expect(await store.search(c, q, { k: 10, kinds: [] })).toEqual([]);
      await store.dropCollection(c);
    });

    it('replaces a document upserted again under the same id', async () => {
      const c = fresh();
      await store.ensureCollection(c, 4);
      await store.upsert(c, [doc('a', axis(4, 0)), doc('b', axis(4, 1))]);
      await store.upsert(c, [
        { id: 'a', vector: axis(4, 2), payload: { kind: 'metric', title: 'New', text: 'new' } },
      ]);
      expect(await store.count(c)).toBe(2);
      const hit = first(await store.search(c, axis(4, 2), { k: 1 }));
      expect(hit.id).toBe('a');
      expect(hit.score).toBeCloseTo(1, 5);
      expect(hit.payload).toEqual({ kind: 'metric', title: 'New', text: 'new' });
      // Nothing is left at the old position.
      const atOld = await store.search(c, axis(4, 0), { k: 2 });
      expect(atOld.every((h) => h.score < 0.5)).toBe(true);
      await store.dropCollection(c);
    });

    it('keeps arbitrary string ids, refs and Unicode text intact', async () => {
      const c = fresh();
      await store.ensureCollection(c, 4);
      const ids = [
        'event:Sign Up',
        'property:$browser/ü',
        '42',
        '00000000-0000-0000-0000-000000000000',
      ];
      await store.upsert(c, [
        {
          id: 'event:Sign Up',
          vector: axis(4, 0),
          payload: { kind: 'event', title: 'Sign Up ✓', text: 'Ünïcödé — 中文', ref: 'evt_1' },
        },
        doc('property:$browser/ü', axis(4, 1)),
        doc('42', axis(4, 2), 'insight', 'ins_42'),
        doc('00000000-0000-0000-0000-000000000000', axis(4, 3)),
      ]);
      expect(await store.count(c)).toBe(4);
      expect(first(await store.search(c, axis(4, 0), { k: 1 }))).toMatchObject({
        id: 'event:Sign Up',
        payload: { kind: 'event', title: 'Sign Up ✓', text: 'Ünïcödé — 中文', ref: 'evt_1' },
      });
      for (const [i, id] of ids.entries()) {
        expect(first(await store.search(c, axis(4, i), { k: 1 })).id).toBe(id);
      }
      expect(first(await store.search(c, axis(4, 2), { k: 1 })).payload.ref).toBe('ins_42');
      await store.dropCollection(c);
    });

    it('deletes by id and ignores unknown ids', async () => {
      const c = fresh();
      await store.ensureCollection(c, 4);
      await store.upsert(c, [doc('a', axis(4, 0)), doc('b', axis(4, 1)), doc('c', axis(4, 2))]);
      await store.delete(c, ['a', 'nope']);
      expect(await store.count(c)).toBe(2);
      const hits = await store.search(c, axis(4, 0), { k: 10 });
      expect(hits.map((h) => h.id).sort()).toEqual(['b', 'c']);
      // The documents that stayed are still found where they were.
      expect(first(await store.search(c, axis(4, 2), { k: 1 })).id).toBe('c');
      await store.delete(c, []);
      expect(await store.count(c)).toBe(2);
      await store.dropCollection(c);
    });

    it('keeps collections apart and drops one without touching the other', async () => {
      const a = fresh();
      const b = fresh();
      await store.ensureCollection(a, 4);
      await store.ensureCollection(b, 2);
      await store.upsert(a, [doc('same-id', axis(4, 0))]);
      await store.upsert(b, [doc('same-id', axis(2, 1), 'metric')]);
      expect(first(await store.search(a, axis(4, 0), { k: 1 })).payload.kind).toBe('event');
      expect(first(await store.search(b, axis(2, 1), { k: 1 })).payload.kind).toBe('metric');
      await store.dropCollection(a);
      expect(await store.count(a)).toBe(0);
      expect(await store.count(b)).toBe(1);
      // A dropped collection can be made again, with other dimensions.
      await store.ensureCollection(a, 3);
      await store.upsert(a, [doc('z', axis(3, 2))]);
      expect(await store.count(a)).toBe(1);
      await store.dropCollection(a);
      await store.dropCollection(b);
    });

    it('handles a few thousand documents in batches', async () => {
      const c = fresh();
      const dims = 16;
      await store.ensureCollection(c, dims);
      // Deterministic pseudo-random vectors; document 1234 is the query's exact match.
      let seed = 7;
      const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
      const docs = Array.from({ length: 3000 }, (_, i) =>
        doc(`d${i}`, Array.from({ length: dims }, rand), i % 3 === 0 ? 'metric' : 'event'),
      );
      for (let i = 0; i < docs.length; i += 1000) await store.upsert(c, docs.slice(i, i + 1000));
      expect(await store.count(c)).toBe(3000);
      const query = Array.from(docs[1234]!.vector);
      const hits = await store.search(c, query, { k: 5 });
      expect(hits).toHaveLength(5);
      expect(first(hits).id).toBe('d1234');
      expect(first(hits).score).toBeCloseTo(1, 5);
      for (let i = 1; i < hits.length; i++)
        expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      const metrics = await store.search(c, query, { k: 5, kinds: ['metric'] });
      expect(metrics.every((h) => h.payload.kind === 'metric')).toBe(true);
      expect(metrics.map((h) => h.id)).not.toContain('d1234');
      await store.dropCollection(c);
    });
  });
}
