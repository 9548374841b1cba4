// Ask's retrieval index on the real embedded vector store (a temporary directory) with the hashed
// n-gram embedder (deterministic; the model embedder is exercised by the integration suite):
// documents are embedded once, only changed ones again, removed ones deleted, a new marts
// version re-reads the sources at once, and search returns related saved insights and queries.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLexicon } from './ask-lexicon';
import { buildRetrievalDocs, type DocumentSources } from './ask-documents';
import { AskRetriever, type RetrievalDoc } from './ask-retrieval';
import { ORBIT_LEXICON_DATA } from './orbit-lexicon.fixture';
import { HashedNgramEmbedder, type Embedder } from './retrieval/embedder';
import { EmbeddedVectorStore } from './retrieval/vector-store';

const lexicon = buildLexicon(ORBIT_LEXICON_DATA);

function sources(overrides: Partial<DocumentSources> = {}): DocumentSources {
  return {
    lexicon,
    eventDescriptions: [{ name: 'report_exported', description: 'A report was downloaded' }],
    propertyDescriptions: [],
    columns: [{ table: 'dim_users', column: 'plan', description: 'The current plan' }],
    insights: [
      { id: 'i1', name: 'Weekly signups by plan', description: null, kind: 'trends' },
      {
        id: 'i2',
        name: 'Onboarding funnel',
        description: 'Signup to first project',
        kind: 'funnels',
      },
    ],
    queries: [{ id: 'q1', name: 'MRR by country', description: 'Revenue per country' }],
    examples: [
      {
        question: 'How many exports last month?',
        answerAs: 'How many users exported reports last month?',
        kind: 'correction',
      },
    ],
    ...overrides,
  };
}

/** The hashed embedder, counting the texts it embeds. */
class CountingEmbedder implements Embedder {
  private readonly inner = new HashedNgramEmbedder();
  readonly id = this.inner.id;
  readonly dimensions = this.inner.dimensions;
  readonly kind = 'hashed' as const;
  texts = 0;
  async embed(texts: string[]) {
    this.texts += texts.length;
    return this.inner.embed(texts);
  }
}

describe('buildRetrievalDocs', () => {
  it('makes one document per event, property, column, insight, query and example, with stable ids', () => {
    const docs = buildRetrievalDocs(sources());
    const ids = docs.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(docs.filter((d) => d.kind === 'event')).toHaveLength(lexicon.events.length);
    const exported = docs.find((d) => d.id === 'event:report_exported')!;
    expect(exported.text).toContain('A report was downloaded');
    expect(exported.text).toContain('exports');
    expect(docs.find((d) => d.id === 'insight:i2')).toMatchObject({
      kind: 'insight',
      title: 'Onboarding funnel',
      ref: 'i2',
    });
    expect(docs.find((d) => d.id === 'query:q1')).toMatchObject({ kind: 'query', ref: 'q1' });
    expect(docs.find((d) => d.kind === 'example')).toMatchObject({
      title: 'How many exports last month?',
      ref: 'How many users exported reports last month?',
    });
    expect(docs.find((d) => d.id === 'column:dim_users.plan')?.text).toContain('current plan');
    const plan = docs.find((d) => d.kind === 'property' && d.title === 'plan');
    expect(plan?.text).toMatch(/values: .*enterprise/);
    expect(buildRetrievalDocs(sources()).map((d) => d.id)).toEqual(ids);
  });
});

describe('AskRetriever', () => {
  let dir: string;
  let store: EmbeddedVectorStore;
  let embedder: CountingEmbedder;
  let current: DocumentSources;
  let version: string;
  let retriever: AskRetriever;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tl-retrieval-'));
    store = await EmbeddedVectorStore.open(dir);
    embedder = new CountingEmbedder();
    current = sources();
    version = 'run-1';
    retriever = new AskRetriever({
      store,
      embedder: async () => embedder,
      documents: async () => buildRetrievalDocs(current),
      version: async () => version,
    });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes once, then embeds only what changed and deletes what is gone', async () => {
    expect(retriever.status('w1')).toMatchObject({ state: 'idle', documents: null });
    await retriever.refresh('w1');
    const all = buildRetrievalDocs(current).length;
    expect(embedder.texts).toBe(all);
    expect(retriever.status('w1')).toMatchObject({
      state: 'ready',
      documents: all,
      backend: 'embedded',
      embedder: { kind: 'hashed' },
    });
    const [collection] = store.listCollections();
    expect(await store.count(collection!)).toBe(all);

    // Fresh (within REFRESH_MS, same version): nothing is read or embedded.
    await retriever.refresh('w1');
    expect(embedder.texts).toBe(all);

    // A new dbt run: sources re-read; one insight renamed, one query removed.
    current = sources({
      insights: [
        { id: 'i1', name: 'Weekly signups by plan and country', description: null, kind: 'trends' },
        {
          id: 'i2',
          name: 'Onboarding funnel',
          description: 'Signup to first project',
          kind: 'funnels',
        },
      ],
      queries: [],
    });
    version = 'run-2';
    await retriever.refresh('w1');
    expect(embedder.texts).toBe(all + 1);
    expect(await store.count(collection!)).toBe(all - 1);
    const hits = await retriever.search('w1', 'MRR by country', { k: 50, kinds: ['query'] });
    expect(hits).toEqual([]);
  });

  it('finds related saved insights and queries, and past questions after a refusal', async () => {
    // Before the first index: nothing, and no waiting.
    expect(await retriever.related('w1', 'weekly signups by plan')).toEqual([]);
    const related = await retriever.related('w1', 'weekly signups by plan', true);
    expect(related[0]).toMatchObject({
      kind: 'insight',
      id: 'i1',
      title: 'Weekly signups by plan',
    });
    expect(related.map((r) => r.id)).not.toContain('q1');
    expect((await retriever.related('w1', 'mrr by country')).map((r) => r.id)).toEqual(['q1']);
    expect(await retriever.pastQuestions('w1', 'how many exports last month')).toEqual([
      'How many users exported reports last month?',
    ]);
    expect(await retriever.related('w1', 'zzzz qqqq')).toEqual([]);
  });

  it('a failing source marks the index failed and is retried', async () => {
    const failing = new AskRetriever({
      store,
      embedder: async () => embedder,
      documents: async (): Promise<RetrievalDoc[]> => {
        throw new Error('catalog unavailable');
      },
      version: async () => version,
    });
    await failing.refresh('w2');
    expect(failing.status('w2')).toMatchObject({ state: 'failed', error: 'catalog unavailable' });
    expect(await failing.related('w2', 'weekly signups')).toEqual([]);
  });
});
