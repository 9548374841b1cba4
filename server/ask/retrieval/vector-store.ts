// Where Ask keeps the vectors of a workspace's catalog (events, properties, metrics, saved
// insights …) and finds the nearest ones to a question. One interface, two stores:
//
// - `EmbeddedVectorStore`: in-process exact cosine search over Float32Arrays, one file per
//   collection under a directory, rewritten atomically (temp file + rename) on every change and
//   loaded on open. Exact search is a scan: ~100k documents of 384 dimensions is ~40 M
//   multiply-adds (tens of ms) per query and ~150 MB per file rewrite; past that, use Qdrant.
//   One process per directory: two processes writing the same collection would lose updates.
// - `QdrantVectorStore`: a Qdrant server (`QDRANT_URL`) through @qdrant/js-client-rest.
//
// Both score by cosine similarity (1 = same direction), return hits best first, and treat a
// collection that does not exist as empty for reads. Collections are per workspace *and* per
// embedder (`collectionName`): vectors from different embedders are not comparable.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { v5 as uuidV5 } from 'uuid';
import { AppError } from '@/server/errors';

export interface VectorPayload {
  /** What the document is (e.g. `event`, `property`, `metric`, `insight`); searches filter on it. */
  kind: string;
  title: string;
  text: string;
  /** Whatever the caller needs to get back to the thing (an insight id, an event name …). */
  ref?: string;
}

export interface VectorDoc {
  /** Any non-empty string, unique within the collection; upserting it again replaces it. */
  id: string;
  vector: Float32Array | readonly number[];
  payload: VectorPayload;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, −1…1, higher is closer. */
  score: number;
  payload: VectorPayload;
}

export interface VectorSearchOptions {
  /** How many hits at most (1–1000). */
  k: number;
  /** Only documents of these kinds (all kinds when absent). */
  kinds?: readonly string[];
}

export interface VectorStore {
  readonly backend: 'embedded' | 'qdrant';
  /** Create the collection if it is missing; fails if it exists with other dimensions. */
  ensureCollection(collection: string, dimensions: number): Promise<void>;
  /** Insert or replace by id. The collection must exist. */
  upsert(collection: string, docs: readonly VectorDoc[]): Promise<void>;
  /** Remove by id; unknown ids and a missing collection are no-ops. */
  delete(collection: string, ids: readonly string[]): Promise<void>;
  /** Nearest documents by cosine similarity, best first (ties by id); [] for a missing collection. */
  search(
    collection: string,
    vector: Float32Array | readonly number[],
    options: VectorSearchOptions,
  ): Promise<VectorHit[]>;
  /** Documents in the collection; 0 when it does not exist. */
  count(collection: string): Promise<number>;
  /** Remove the collection and its documents; a missing collection is a no-op. */
  dropCollection(collection: string): Promise<void>;
  close(): Promise<void>;
}

const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,120}$/;
const MAX_K = 1000;

/**
 * The collection for a workspace's documents embedded by one embedder: `ask_<workspace>_<embedder>`
 * with unsafe characters replaced and a short hash of the original pair, so distinct pairs never
 * share a name.
 */
export function collectionName(workspaceId: string, embedderId: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40);
  const hash = createHash('sha256')
    .update(`${workspaceId}\u0000${embedderId}`)
    .digest('hex')
    .slice(0, 10);
  return `ask_${clean(workspaceId)}_${clean(embedderId)}_${hash}`;
}

function checkCollection(collection: string): void {
  if (!COLLECTION_NAME.test(collection)) {
    throw new AppError(
      'BAD_REQUEST',
      `Invalid collection name ${JSON.stringify(collection)}: use 1–120 letters, digits, "_" or "-" (collectionName() builds one).`,
    );
  }
}

function checkVector(vector: Float32Array | readonly number[], dimensions: number, what: string) {
  if (vector.length !== dimensions) {
    throw new AppError(
      'BAD_REQUEST',
      `${what} has ${vector.length} dimensions, the collection has ${dimensions}: it was embedded by another embedder.`,
    );
  }
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) {
      throw new AppError('BAD_REQUEST', `${what} has a non-finite value at ${i}.`);
    }
  }
}

function checkDocs(docs: readonly VectorDoc[], dimensions: number): void {
  for (const doc of docs) {
    if (typeof doc.id !== 'string' || doc.id.length === 0) {
      throw new AppError('BAD_REQUEST', 'A document id must be a non-empty string.');
    }
    if (!doc.payload || typeof doc.payload.kind !== 'string' || doc.payload.kind.length === 0) {
      throw new AppError(
        'BAD_REQUEST',
        `Document ${doc.id} needs a payload with a non-empty kind.`,
      );
    }
    checkVector(doc.vector, dimensions, `The vector of document ${doc.id}`);
  }
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new AppError('BAD_REQUEST', `k must be an integer from 1 to ${MAX_K}, got ${k}.`);
  }
}

function missingCollection(collection: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `Vector collection ${collection} does not exist: call ensureCollection() first.`,
  );
}

function copyPayload(p: VectorPayload): VectorPayload {
  return p.ref === undefined
    ? { kind: p.kind, title: p.title, text: p.text }
    : { kind: p.kind, title: p.title, text: p.text, ref: p.ref };
}

/** Orders hits best first, equal scores by id, so both stores agree on ties. */
function byScoreThenId(a: VectorHit, b: VectorHit): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Embedded store

interface Collection {
  dimensions: number;
  ids: string[];
  payloads: VectorPayload[];
  /** Unit vectors, row i at [i * dimensions, (i + 1) * dimensions); capacity ≥ ids.length. */
  vectors: Float32Array;
  slots: Map<string, number>;
  /** Serialises this collection's file writes: each write waits for the previous one. */
  writing: Promise<void>;
}

// File layout: MAGIC, u32 LE header length, header JSON ({ version, dimensions, ids, payloads }),
// zero padding to a multiple of 4, then ids.length × dimensions float32 LE.
const MAGIC = Buffer.from('TLVEC1\n\0', 'latin1');
const FILE_SUFFIX = '.tlvec';

function unitCopy(vector: Float32Array | readonly number[], out: Float32Array, offset: number) {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < vector.length; i++) out[offset + i] = vector[i]! * scale;
}

export class EmbeddedVectorStore implements VectorStore {
  readonly backend = 'embedded' as const;
  private readonly collections = new Map<string, Collection>();

  private constructor(private readonly dir: string) {}

  /** Open (creating it if needed) a store directory and load every collection file in it. */
  static async open(dir: string): Promise<EmbeddedVectorStore> {
    await mkdir(dir, { recursive: true });
    const store = new EmbeddedVectorStore(dir);
    for (const entry of (await readdir(dir)).sort()) {
      if (entry.includes('.tmp-')) {
        // Left by a write that died before its rename; the previous file is still whole.
        await rm(path.join(dir, entry), { force: true });
        continue;
      }
      if (!entry.endsWith(FILE_SUFFIX)) continue;
      const name = entry.slice(0, -FILE_SUFFIX.length);
      if (!COLLECTION_NAME.test(name)) continue;
      store.collections.set(name, await readCollection(path.join(dir, entry)));
    }
    return store;
  }

  private file(collection: string): string {
    return path.join(this.dir, collection + FILE_SUFFIX);
  }

  async ensureCollection(collection: string, dimensions: number): Promise<void> {
    checkCollection(collection);
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 65536) {
      throw new AppError('BAD_REQUEST', `dimensions must be an integer from 1 to 65536.`);
    }
    const existing = this.collections.get(collection);
    if (existing) {
      if (existing.dimensions !== dimensions) {
        throw new AppError(
          'CONFLICT',
          `Vector collection ${collection} has ${existing.dimensions} dimensions, not ${dimensions}: drop it and index again.`,
        );
      }
      return;
    }
    const c: Collection = {
      dimensions,
      ids: [],
      payloads: [],
      vectors: new Float32Array(0),
      slots: new Map(),
      writing: Promise.resolve(),
    };
    this.collections.set(collection, c);
    await this.persist(collection, c);
  }

  async upsert(collection: string, docs: readonly VectorDoc[]): Promise<void> {
    checkCollection(collection);
    const c = this.collections.get(collection);
    if (!c) throw missingCollection(collection);
    checkDocs(docs, c.dimensions);
    if (docs.length === 0) return;
    const needed = (c.ids.length + docs.length) * c.dimensions;
    if (c.vectors.length < needed) {
      const grown = new Float32Array(Math.max(needed, c.vectors.length * 2));
      grown.set(c.vectors.subarray(0, c.ids.length * c.dimensions));
      c.vectors = grown;
    }
    for (const doc of docs) {
      let slot = c.slots.get(doc.id);
      if (slot === undefined) {
        slot = c.ids.length;
        c.ids.push(doc.id);
        c.payloads.push(copyPayload(doc.payload));
        c.slots.set(doc.id, slot);
      } else {
        c.payloads[slot] = copyPayload(doc.payload);
      }
      unitCopy(doc.vector, c.vectors, slot * c.dimensions);
    }
    await this.persist(collection, c);
  }

  async delete(collection: string, ids: readonly string[]): Promise<void> {
    checkCollection(collection);
    const c = this.collections.get(collection);
    if (!c) return;
    let changed = false;
    for (const id of ids) {
      const slot = c.slots.get(id);
      if (slot === undefined) continue;
      // Move the last document into the freed slot.
      const last = c.ids.length - 1;
      if (slot !== last) {
        const movedId = c.ids[last]!;
        c.ids[slot] = movedId;
        c.payloads[slot] = c.payloads[last]!;
        c.vectors.copyWithin(slot * c.dimensions, last * c.dimensions, (last + 1) * c.dimensions);
        c.slots.set(movedId, slot);
      }
      c.ids.pop();
      c.payloads.pop();
      c.slots.delete(id);
      changed = true;
    }
    if (changed) await this.persist(collection, c);
  }

  async search(
    collection: string,
    vector: Float32Array | readonly number[],
    options: VectorSearchOptions,
  ): Promise<VectorHit[]> {
    checkCollection(collection);
    checkK(options.k);
    const c = this.collections.get(collection);
    if (!c) return [];
    checkVector(vector, c.dimensions, 'The query vector');
    const q = new Float32Array(c.dimensions);
    unitCopy(vector, q, 0);
    const kinds = options.kinds ? new Set(options.kinds) : undefined;
    const dims = c.dimensions;
    const data = c.vectors;
    // Keep the best k in a sorted array: k is small next to the collection.
    const top: VectorHit[] = [];
    for (let slot = 0; slot < c.ids.length; slot++) {
      const payload = c.payloads[slot]!;
      if (kinds && !kinds.has(payload.kind)) continue;
      let score = 0;
      const base = slot * dims;
      for (let d = 0; d < dims; d++) score += q[d]! * data[base + d]!;
      const hit = { id: c.ids[slot]!, score, payload };
      if (top.length === options.k && byScoreThenId(hit, top[top.length - 1]!) >= 0) continue;
      let i = top.length;
      while (i > 0 && byScoreThenId(hit, top[i - 1]!) < 0) i--;
      top.splice(i, 0, hit);
      if (top.length > options.k) top.pop();
    }
    return top.map((h) => ({ id: h.id, score: h.score, payload: copyPayload(h.payload) }));
  }

  async count(collection: string): Promise<number> {
    checkCollection(collection);
    return this.collections.get(collection)?.ids.length ?? 0;
  }

  async dropCollection(collection: string): Promise<void> {
    checkCollection(collection);
    const c = this.collections.get(collection);
    this.collections.delete(collection);
    if (c) await c.writing;
    await rm(this.file(collection), { force: true });
  }

  /** Collections currently in the store (for maintenance and tests). */
  listCollections(): string[] {
    return [...this.collections.keys()].sort();
  }

  async close(): Promise<void> {
    await Promise.all([...this.collections.values()].map((c) => c.writing));
    this.collections.clear();
  }

  /**
   * Write the collection's current state to a temp file, fsync it and rename it over the old
   * file, so a crash leaves either the old or the new file, never half of one. The snapshot is
   * taken now; writes are chained so an older snapshot never lands after a newer one.
   */
  private persist(collection: string, c: Collection): Promise<void> {
    const bytes = encodeCollection(c);
    const target = this.file(collection);
    const run = async () => {
      if (this.collections.get(collection) !== c) return; // dropped meanwhile
      const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
    };
    const next = c.writing.then(run, run);
    c.writing = next.catch(() => {});
    return next;
  }
}

function encodeCollection(c: Collection): Buffer {
  const header = Buffer.from(
    JSON.stringify({ version: 1, dimensions: c.dimensions, ids: c.ids, payloads: c.payloads }),
    'utf8',
  );
  const headerEnd = MAGIC.length + 4 + header.length;
  const padding = (4 - (headerEnd % 4)) % 4;
  const vectorBytes = c.ids.length * c.dimensions * 4;
  const out = Buffer.alloc(headerEnd + padding + vectorBytes);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  const floats = c.vectors.subarray(0, c.ids.length * c.dimensions);
  Buffer.from(floats.buffer, floats.byteOffset, vectorBytes).copy(out, headerEnd + padding);
  return out;
}

async function readCollection(file: string): Promise<Collection> {
  const bytes = await readFile(file);
  const broken = (why: string) =>
    new AppError(
      'INTERNAL',
      `Vector collection file ${file} is unreadable (${why}): delete it and index the workspace again.`,
    );
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw broken('not a vector collection file');
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw broken('truncated header');
  let header: { version: number; dimensions: number; ids: string[]; payloads: VectorPayload[] };
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8'));
  } catch {
    throw broken('header is not JSON');
  }
  if (header.version !== 1) throw broken(`unknown version ${header.version}`);
  const { dimensions, ids, payloads } = header;
  if (ids.length !== payloads.length) throw broken('ids and payloads differ in number');
  const start = headerEnd + ((4 - (headerEnd % 4)) % 4);
  const vectorBytes = ids.length * dimensions * 4;
  if (bytes.length !== start + vectorBytes) throw broken('vector data has the wrong length');
  const vectors = new Float32Array(ids.length * dimensions);
  Buffer.from(vectors.buffer).set(bytes.subarray(start, start + vectorBytes));
  return {
    dimensions,
    ids,
    payloads,
    vectors,
    slots: new Map(ids.map((id, i) => [id, i])),
    writing: Promise.resolve(),
  };
}

// ---------------------------------------------------------------------------------------------
// Qdrant

/** Namespace for turning our string ids into the UUIDs Qdrant requires (UUID v5, SHA-1). */
const POINT_ID_NAMESPACE = '3b0f2c4e-7a51-4d7e-9b1a-6c3f5e2d8a90';

/** The Qdrant point id for a document id: deterministic, so upserts replace. */
export function qdrantPointId(id: string): string {
  return uuidV5(id, POINT_ID_NAMESPACE);
}

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string;
  /** Points per upsert request (default 256). */
  batchSize?: number;
}

interface QdrantPayload extends VectorPayload {
  /** Our id: Qdrant's own id is a UUID derived from it. */
  doc_id: string;
}

export class QdrantVectorStore implements VectorStore {
  readonly backend = 'qdrant' as const;
  private readonly client: QdrantClient;
  private readonly batchSize: number;
  private readonly dimensions = new Map<string, number>();

  constructor(options: QdrantStoreOptions) {
    // checkCompatibility would fetch the server version on construction and only log.
    this.client = new QdrantClient({
      url: options.url,
      apiKey: options.apiKey,
      checkCompatibility: false,
    });
    this.batchSize = options.batchSize ?? 256;
  }

  private async collectionDimensions(collection: string): Promise<number | undefined> {
    const known = this.dimensions.get(collection);
    if (known !== undefined) return known;
    const { exists } = await this.client.collectionExists(collection);
    if (!exists) return undefined;
    const info = await this.client.getCollection(collection);
    const vectors = info.config.params.vectors;
    const size =
      vectors && typeof (vectors as { size?: unknown }).size === 'number'
        ? (vectors as { size: number }).size
        : undefined;
    if (size === undefined) {
      throw new AppError(
        'CONFLICT',
        `Qdrant collection ${collection} does not have one unnamed vector: it was not made by this store.`,
      );
    }
    this.dimensions.set(collection, size);
    return size;
  }

  async ensureCollection(collection: string, dimensions: number): Promise<void> {
    checkCollection(collection);
    const existing = await this.collectionDimensions(collection);
    if (existing !== undefined) {
      if (existing !== dimensions) {
        throw new AppError(
          'CONFLICT',
          `Vector collection ${collection} has ${existing} dimensions, not ${dimensions}: drop it and index again.`,
        );
      }
      return;
    }
    await this.client.createCollection(collection, {
      vectors: { size: dimensions, distance: 'Cosine' },
    });
    await this.client.createPayloadIndex(collection, {
      field_name: 'kind',
      field_schema: 'keyword',
      wait: true,
    });
    this.dimensions.set(collection, dimensions);
  }

  async upsert(collection: string, docs: readonly VectorDoc[]): Promise<void> {
    checkCollection(collection);
    const dimensions = await this.collectionDimensions(collection);
    if (dimensions === undefined) throw missingCollection(collection);
    checkDocs(docs, dimensions);
    // The last of two docs with the same id wins, as in the embedded store.
    const unique = [...new Map(docs.map((d) => [d.id, d])).values()];
    for (let i = 0; i < unique.length; i += this.batchSize) {
      const points = unique.slice(i, i + this.batchSize).map((doc) => {
        const payload: QdrantPayload = { doc_id: doc.id, ...copyPayload(doc.payload) };
        return {
          id: qdrantPointId(doc.id),
          vector: Array.from(doc.vector),
          payload: payload as unknown as Record<string, unknown>,
        };
      });
      await this.client.upsert(collection, { wait: true, points });
    }
  }

  async delete(collection: string, ids: readonly string[]): Promise<void> {
    checkCollection(collection);
    if (ids.length === 0 || (await this.collectionDimensions(collection)) === undefined) return;
    await this.client.delete(collection, { wait: true, points: ids.map(qdrantPointId) });
  }

  async search(
    collection: string,
    vector: Float32Array | readonly number[],
    options: VectorSearchOptions,
  ): Promise<VectorHit[]> {
    checkCollection(collection);
    checkK(options.k);
    const dimensions = await this.collectionDimensions(collection);
    if (dimensions === undefined) return [];
    checkVector(vector, dimensions, 'The query vector');
    if (options.kinds && options.kinds.length === 0) return [];
    const result = await this.client.query(collection, {
      query: Array.from(vector),
      limit: options.k,
      with_payload: true,
      with_vector: false,
      filter: options.kinds
        ? { must: [{ key: 'kind', match: { any: [...options.kinds] } }] }
        : undefined,
    });
    return result.points
      .map((p) => {
        const payload = p.payload as unknown as QdrantPayload;
        return { id: payload.doc_id, score: p.score, payload: copyPayload(payload) };
      })
      .sort(byScoreThenId);
  }

  async count(collection: string): Promise<number> {
    checkCollection(collection);
    if ((await this.collectionDimensions(collection)) === undefined) return 0;
    return (await this.client.count(collection, { exact: true })).count;
  }

  async dropCollection(collection: string): Promise<void> {
    checkCollection(collection);
    this.dimensions.delete(collection);
    const { exists } = await this.client.collectionExists(collection);
    if (exists) await this.client.deleteCollection(collection);
  }

  async close(): Promise<void> {
    this.dimensions.clear();
  }
}
