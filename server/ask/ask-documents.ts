// The documents Ask's retrieval indexes (ask-retrieval.ts), built from a workspace's sources by a
// pure function: the lexicon (events and the phrasings the planner knows, property values), the
// schema registry's descriptions, the marts' columns with their dbt descriptions, saved insights,
// shared saved queries and the examples feedback taught. Ids are stable (kind + what the document
// describes) so re-indexing replaces a document instead of adding a copy.
import type { PrismaClient } from '../db/client';
import type { Lexicon } from './ask-lexicon';
import type { RetrievalDoc } from './ask-retrieval';
import { vocabularyFrom, type Vocabulary } from './ask-synonyms';

export interface DocumentSources {
  lexicon: Lexicon;
  eventDescriptions: { name: string; description: string | null }[];
  propertyDescriptions: { eventName: string; name: string; description: string | null }[];
  /** Columns of the marts (tables users query), with their descriptions. */
  columns: { table: string; column: string; description: string }[];
  insights: { id: string; name: string; description: string | null; kind: string }[];
  queries: { id: string; name: string; description: string | null }[];
  examples: { question: string; answerAs: string; kind: 'up' | 'correction' }[];
}

const MAX_TEXT = 2_000;
const clip = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

export function buildRetrievalDocs(src: DocumentSources): RetrievalDoc[] {
  const docs: RetrievalDoc[] = [];
  const eventDescription = new Map(src.eventDescriptions.map((e) => [e.name, e.description]));
  for (const e of src.lexicon.events) {
    const description = eventDescription.get(e.event);
    docs.push({
      id: `event:${e.event}`,
      kind: 'event',
      title: e.event,
      text: clip(
        [`Event ${e.event}`, e.phrases.join(', '), description].filter(Boolean).join('. '),
      ),
    });
  }
  const propertyDescription = new Map(
    src.propertyDescriptions.map((p) => [`${p.eventName}.${p.name}`, p.description]),
  );
  // Values by property (the lexicon holds one term per value).
  const values = new Map<string, { event?: string; key: string; values: string[] }>();
  for (const v of src.lexicon.values) {
    const ref = v.columns[0];
    if (!ref) continue;
    const key = ref.property ? `${ref.property.event}.${ref.property.key}` : ref.column;
    const entry = values.get(key) ?? {
      event: ref.property?.event,
      key: ref.property?.key ?? ref.column,
      values: [],
    };
    if (!entry.values.includes(v.value)) entry.values.push(v.value);
    values.set(key, entry);
  }
  for (const [key, p] of values) {
    const description = propertyDescription.get(key);
    docs.push({
      id: `property:${key}`,
      kind: 'property',
      title: key,
      text: clip(
        [
          p.event ? `Property ${p.key} of ${p.event} events` : `Attribute ${p.key}`,
          `values: ${p.values.slice(0, 40).join(', ')}`,
          description,
        ]
          .filter(Boolean)
          .join('. '),
      ),
    });
  }
  for (const c of src.columns)
    docs.push({
      id: `column:${c.table}.${c.column}`,
      kind: 'column',
      title: `${c.table}.${c.column}`,
      text: clip(`Column ${c.column} of ${c.table}. ${c.description}`),
    });
  for (const i of src.insights)
    docs.push({
      id: `insight:${i.id}`,
      kind: 'insight',
      title: i.name,
      text: clip(`Saved ${i.kind} insight. ${i.description ?? ''}`),
      ref: i.id,
    });
  for (const q of src.queries)
    docs.push({
      id: `query:${q.id}`,
      kind: 'query',
      title: q.name,
      text: clip(`Saved SQL query. ${q.description ?? ''}`),
      ref: q.id,
    });
  for (const e of src.examples)
    docs.push({
      id: `example:${e.question}`,
      kind: 'example',
      title: e.question,
      text: clip(
        e.kind === 'correction' ? `Answered as: ${e.answerAs}` : 'A good answer (thumbs up).',
      ),
      ref: e.answerAs,
    });
  return docs;
}

/** The metadata half of the sources (the app database). */
export async function loadMetadataSources(
  prisma: PrismaClient,
  workspaceId: string,
): Promise<Omit<DocumentSources, 'lexicon' | 'columns'>> {
  const [events, properties, insights, queries, examples] = await Promise.all([
    prisma.eventDefinition.findMany({
      where: { workspaceId },
      select: { name: true, description: true },
    }),
    prisma.propertyDefinition.findMany({
      where: { workspaceId, description: { not: null } },
      select: { eventName: true, name: true, description: true },
    }),
    prisma.savedInsight.findMany({
      where: { workspaceId },
      select: { id: true, name: true, description: true, query: true },
      take: 2_000,
    }),
    prisma.savedQuery.findMany({
      where: { workspaceId, shared: true },
      select: { id: true, name: true, description: true },
      take: 2_000,
    }),
    prisma.askExample.findMany({
      where: { workspaceId },
      select: { question: true, answerAs: true, kind: true },
      take: 5_000,
    }),
  ]);
  return {
    eventDescriptions: events,
    propertyDescriptions: properties,
    insights: insights.map((i) => ({
      id: i.id,
      name: i.name,
      description: i.description,
      kind: String((i.query as { kind?: unknown } | null)?.kind ?? 'insight'),
    })),
    queries,
    examples: examples.map((e) => ({
      ...e,
      kind: e.kind === 'correction' ? ('correction' as const) : ('up' as const),
    })),
  };
}

/** The synonyms the registry's event and property descriptions name (ask-synonyms.ts). */
export async function loadVocabulary(
  prisma: PrismaClient,
  workspaceId: string,
): Promise<Vocabulary> {
  const [events, properties] = await Promise.all([
    prisma.eventDefinition.findMany({
      where: { workspaceId, description: { not: null } },
      select: { name: true, description: true },
    }),
    prisma.propertyDefinition.findMany({
      where: { workspaceId, description: { not: null } },
      select: { eventName: true, name: true, description: true },
    }),
  ]);
  return vocabularyFrom({ events, properties });
}
