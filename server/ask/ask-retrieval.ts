// Retrieval for Ask: the workspace's catalog as documents in a vector store, searched by the
// meaning of a question. Documents: events (name, the phrasings the planner knows, the schema
// registry's description), event properties and their values, mart columns with their dbt
// descriptions, saved insights and shared saved queries, and the examples feedback taught (good
// answers and corrections). An answer lists the saved insights and queries nearest to its
// question ("related"); a refusal suggests the nearest good past questions.
//
// Indexing is incremental and content-addressed: the documents are rebuilt from their sources
// (cheap: a few metadata queries and the cached lexicon) at most every REFRESH_MS per workspace
// and whenever the marts version changes (each dbt run); only documents whose text changed are
// embedded again, removed ones are deleted. It runs in the background: a question never waits
// for an index; until the first one is built, answers carry no retrieval.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Embedder } from './retrieval/embedder';
import { collectionName, type VectorHit, type VectorStore } from './retrieval/vector-store';

/** A document before embedding. `id` is stable across rebuilds (kind + the thing it describes). */
export interface RetrievalDoc {
  id: string;
  kind: 'event' | 'property' | 'column' | 'insight' | 'query' | 'example';
  title: string;
  text: string;
  /** Where it leads: a saved insight or query id, or an example's question. */
  ref?: string;
}

export interface RetrievalStatus {
  /** `model`: a sentence-embedding model; `hashed`: the n-gram fallback (spelling only). */
  embedder: { id: string; kind: 'model' | 'hashed'; dimensions: number } | null;
  backend: VectorStore['backend'];
  /** Documents indexed for the workspace, null before its first index. */
  documents: number | null;
  state: 'idle' | 'indexing' | 'ready' | 'failed';
  error?: string;
}

export interface RelatedItem {
  kind: 'insight' | 'query';
  id: string;
  title: string;
  score: number;
}

export interface AskRetrieverDeps {
  store: VectorStore;
  /** The embedder (loaded once, lazily; the model or the hashed fallback). */
  embedder: () => Promise<Embedder>;
  /** The workspace's documents as they are now. */
  documents: (workspaceId: string) => Promise<RetrievalDoc[]>;
  /** Changes with each dbt run (a new version re-reads the documents at once). */
  version: (workspaceId: string) => Promise<string | undefined>;
  logger?: Logger;
}

/** Documents are re-read from their sources at most this often per workspace. */
export const REFRESH_MS = 30_000;
/** Similarity a saved insight or query needs to be "related" (model / hashed embedder). */
const RELATED_MIN = { model: 0.55, hashed: 0.45 } as const;
/** Similarity a good past question needs to be suggested after a refusal. */
const SUGGEST_MIN = { model: 0.45, hashed: 0.35 } as const;
const EMBED_BATCH = 32;

const textHash = (doc: RetrievalDoc) =>
  createHash('sha256')
    .update(`${doc.kind}\u0000${doc.title}\u0000${doc.text}\u0000${doc.ref ?? ''}`)
    .digest('base64url')
    .slice(0, 16);

interface WorkspaceIndex {
  /** doc id → text hash, as indexed. */
  hashes: Map<string, string>;
  version: string | undefined;
  refreshedAt: number;
  running: Promise<void> | null;
  state: RetrievalStatus['state'];
  error?: string;
}

export class AskRetriever {
  private readonly indexes = new Map<string, WorkspaceIndex>();
  private embedderPromise: Promise<Embedder> | null = null;
  private loadedEmbedder: Embedder | null = null;

  constructor(private readonly deps: AskRetrieverDeps) {}

  private embedder(): Promise<Embedder> {
    if (!this.embedderPromise) {
      this.embedderPromise = this.deps.embedder().then((e) => (this.loadedEmbedder = e));
      this.embedderPromise.catch(() => (this.embedderPromise = null));
    }
    return this.embedderPromise;
  }

  private collection(workspaceId: string, embedder: Embedder): string {
    return collectionName(workspaceId, embedder.id);
  }

  status(workspaceId: string): RetrievalStatus {
    const index = this.indexes.get(workspaceId);
    const e = this.loadedEmbedder;
    return {
      embedder: e ? { id: e.id, kind: e.kind, dimensions: e.dimensions } : null,
      backend: this.deps.store.backend,
      documents: index && index.state !== 'idle' ? index.hashes.size : null,
      state: index?.state ?? 'idle',
      ...(index?.error ? { error: index.error } : {}),
    };
  }

  /**
   * Bring the workspace's index up to date when it is stale (REFRESH_MS, or a new marts
   * version); returns the running refresh (callers normally do not wait for it).
   */
  async refresh(workspaceId: string, options: { force?: boolean } = {}): Promise<void> {
    let index = this.indexes.get(workspaceId);
    if (!index) {
      index = {
        hashes: new Map(),
        version: undefined,
        refreshedAt: 0,
        running: null,
        state: 'idle',
      };
      this.indexes.set(workspaceId, index);
    }
    if (index.running) return index.running;
    const version = await this.deps.version(workspaceId);
    const stale =
      options.force ||
      version !== index.version ||
      Date.now() - index.refreshedAt >= REFRESH_MS ||
      index.state === 'failed';
    if (!stale) return;
    const target = index;
    target.running = this.reindex(workspaceId, target, version).finally(() => {
      target.running = null;
    });
    return target.running;
  }

  private async reindex(
    workspaceId: string,
    index: WorkspaceIndex,
    version: string | undefined,
  ): Promise<void> {
    if (index.state !== 'ready') index.state = 'indexing';
    try {
      const embedder = await this.embedder();
      const collection = this.collection(workspaceId, embedder);
      const docs = await this.deps.documents(workspaceId);
      const seen = new Map(docs.map((d) => [d.id, textHash(d)]));
      // After a restart the in-memory hashes are empty: the collection is rebuilt once.
      if (index.hashes.size === 0) await this.deps.store.dropCollection(collection);
      await this.deps.store.ensureCollection(collection, embedder.dimensions);
      const changed = docs.filter((d) => index.hashes.get(d.id) !== seen.get(d.id));
      for (let i = 0; i < changed.length; i += EMBED_BATCH) {
        const batch = changed.slice(i, i + EMBED_BATCH);
        const vectors = await embedder.embed(batch.map((d) => `${d.title}. ${d.text}`));
        await this.deps.store.upsert(
          collection,
          batch.map((d, j) => ({
            id: d.id,
            vector: vectors[j]!,
            payload: {
              kind: d.kind,
              title: d.title,
              text: d.text,
              ...(d.ref ? { ref: d.ref } : {}),
            },
          })),
        );
      }
      const gone = [...index.hashes.keys()].filter((id) => !seen.has(id));
      if (gone.length) await this.deps.store.delete(collection, gone);
      index.hashes = seen;
      index.version = version;
      index.refreshedAt = Date.now();
      index.state = 'ready';
      delete index.error;
      if (changed.length || gone.length)
        this.deps.logger?.info(
          { workspaceId, embedded: changed.length, removed: gone.length, documents: seen.size },
          'ask retrieval index updated',
        );
    } catch (error) {
      index.state = 'failed';
      index.error = (error as Error).message;
      index.refreshedAt = Date.now();
      this.deps.logger?.warn({ workspaceId, err: error }, 'ask retrieval index failed');
    }
  }

  /**
   * The documents nearest to a text. Starts a refresh when the index is stale but does not wait
   * for it unless `wait` (tests, the CLI); [] while the first index is being built.
   */
  async search(
    workspaceId: string,
    text: string,
    options: { k: number; kinds?: RetrievalDoc['kind'][]; wait?: boolean },
  ): Promise<VectorHit[]> {
    const refreshing = this.refresh(workspaceId);
    if (options.wait) await refreshing;
    else refreshing.catch(() => undefined);
    const index = this.indexes.get(workspaceId);
    if (!index || index.hashes.size === 0 || !this.loadedEmbedder) return [];
    const embedder = this.loadedEmbedder;
    const [vector] = await embedder.embed([text]);
    return this.deps.store.search(this.collection(workspaceId, embedder), vector!, {
      k: options.k,
      kinds: options.kinds,
    });
  }

  /** Saved insights and shared queries close to the question, best first. */
  async related(workspaceId: string, question: string, wait = false): Promise<RelatedItem[]> {
    const hits = await this.search(workspaceId, question, {
      k: 3,
      kinds: ['insight', 'query'],
      wait,
    });
    const min = RELATED_MIN[this.loadedEmbedder?.kind ?? 'hashed'];
    return hits
      .filter((h) => h.score >= min && h.payload.ref)
      .map((h) => ({
        kind: h.payload.kind === 'query' ? ('query' as const) : ('insight' as const),
        id: h.payload.ref!,
        title: h.payload.title,
        score: Math.round(h.score * 1000) / 1000,
      }));
  }

  /** Past questions members marked good (or corrected to), nearest to the question. */
  async pastQuestions(workspaceId: string, question: string, wait = false): Promise<string[]> {
    const hits = await this.search(workspaceId, question, { k: 5, kinds: ['example'], wait });
    const min = SUGGEST_MIN[this.loadedEmbedder?.kind ?? 'hashed'];
    const out: string[] = [];
    for (const h of hits) {
      const q = h.payload.ref;
      if (h.score >= min && q && !out.includes(q)) out.push(q);
    }
    return out.slice(0, 3);
  }
}
