// Keeps the schema registry (event_definitions, property_definitions) up to date from each WAL
// segment after its Delta commit: one aggregation of the segment's rows (aggregate-segment.ts, in
// DuckDB, off the event loop), then ONE statement — an
// INSERT … ON CONFLICT per table, the events one in a data-modifying CTE, so both tables change
// atomically without an interactive transaction (which on PGlite's single pooled connection
// would compete with request traffic for the connection). Rows arrive through unnest() over a
// handful of bound array parameters: the statement size does not grow with the segment and no
// value is ever spliced into SQL.
//
// Counting is at least once: a segment replayed after a crash between its hook and its
// retirement is counted again. That over-counts volume slightly in a rare case but never loses
// an event name, which skipping replays (events_status = 'skipped') could.
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { Prisma } from '../../db/generated/client';
import type { PrismaClient } from '../../db/client';
import type { FlushedSegment } from '../../ingest/flusher';
import type { WriteAheadLog } from '../../ingest/wal/write-ahead-log';
import {
  MAX_EXAMPLES,
  type SegmentAggregate,
  type SegmentAggregator,
  type SegmentSource,
} from './aggregate-segment';

/**
 * The commit hook: aggregates the segment (the Parquet files its commit added, or the WAL
 * segment when a replay found the commit already made), then upserts.
 */
export async function updateRegistryFromSegment(
  prisma: PrismaClient,
  aggregator: SegmentAggregator,
  where: { wal: Pick<WriteAheadLog, 'pathOf'>; eventsTable: string },
  flushed: Pick<FlushedSegment, 'segment' | 'path' | 'events' | 'events_status' | 'events_files'>,
): Promise<void> {
  if (flushed.events === 0) return;
  const source: SegmentSource =
    flushed.events_status === 'written' && flushed.events_files
      ? { kind: 'parquet', files: flushed.events_files.map((f) => path.join(where.eventsTable, f)) }
      : { kind: 'wal', segment: flushed.path ?? where.wal.pathOf(flushed.segment) };
  await upsertRegistry(prisma, await aggregator.aggregate(source));
}

export async function upsertRegistry(
  prisma: PrismaClient,
  aggregate: SegmentAggregate,
): Promise<void> {
  const { events, properties } = aggregate;
  if (events.length === 0) return;
  const iso = (d: Date) => d.toISOString();
  // Rows of a workspace deleted since ingestion are dropped by the join, not an FK error.
  const upsertEvents = Prisma.sql`
    INSERT INTO "event_definitions"
      ("id", "workspace_id", "name", "first_seen", "last_seen", "volume", "updated_at")
    SELECT v.id, v.workspace_id, v.name, v.first_seen::timestamptz, v.last_seen::timestamptz,
           v.volume::bigint, CURRENT_TIMESTAMP
    FROM unnest(
      ${events.map(() => uuidv7())}::text[],
      ${events.map((e) => e.workspaceId)}::text[],
      ${events.map((e) => e.name)}::text[],
      ${events.map((e) => iso(e.firstSeen))}::text[],
      ${events.map((e) => iso(e.lastSeen))}::text[],
      ${events.map((e) => String(e.count))}::text[]
    ) AS v(id, workspace_id, name, first_seen, last_seen, volume)
    JOIN "workspaces" w ON w."id" = v.workspace_id
    ON CONFLICT ("workspace_id", "name") DO UPDATE SET
      "volume" = "event_definitions"."volume" + EXCLUDED."volume",
      "first_seen" = LEAST("event_definitions"."first_seen", EXCLUDED."first_seen"),
      "last_seen" = GREATEST("event_definitions"."last_seen", EXCLUDED."last_seen"),
      "updated_at" = CURRENT_TIMESTAMP`;
  if (properties.length === 0) {
    await prisma.$executeRaw(upsertEvents);
    return;
  }
  // seen_types and examples travel as JSON text per row (unnest flattens nested arrays).
  // On conflict: the type of whichever side was seen last, the union of seen types, and the
  // existing examples first, then new distinct ones, up to MAX_EXAMPLES.
  await prisma.$executeRaw`
    WITH upserted_events AS (${upsertEvents})
    INSERT INTO "property_definitions"
      ("id", "workspace_id", "event_name", "name", "type", "seen_types", "examples",
       "first_seen", "last_seen", "volume", "updated_at")
    SELECT v.id, v.workspace_id, v.event_name, v.name, v.type,
           ARRAY(SELECT jsonb_array_elements_text(v.seen_types::jsonb)),
           v.examples::jsonb, v.first_seen::timestamptz, v.last_seen::timestamptz,
           v.volume::bigint, CURRENT_TIMESTAMP
    FROM unnest(
      ${properties.map(() => uuidv7())}::text[],
      ${properties.map((p) => p.workspaceId)}::text[],
      ${properties.map((p) => p.eventName)}::text[],
      ${properties.map((p) => p.name)}::text[],
      ${properties.map((p) => p.type)}::text[],
      ${properties.map((p) => JSON.stringify(p.seenTypes))}::text[],
      ${properties.map((p) => JSON.stringify(p.examples))}::text[],
      ${properties.map((p) => iso(p.firstSeen))}::text[],
      ${properties.map((p) => iso(p.lastSeen))}::text[],
      ${properties.map((p) => String(p.count))}::text[]
    ) AS v(id, workspace_id, event_name, name, type, seen_types, examples,
           first_seen, last_seen, volume)
    JOIN "workspaces" w ON w."id" = v.workspace_id
    ON CONFLICT ("workspace_id", "event_name", "name") DO UPDATE SET
      "type" = CASE WHEN EXCLUDED."last_seen" >= "property_definitions"."last_seen"
                    THEN EXCLUDED."type" ELSE "property_definitions"."type" END,
      "seen_types" = ARRAY(
        SELECT DISTINCT t
        FROM unnest(COALESCE("property_definitions"."seen_types", '{}'::text[])
                    || EXCLUDED."seen_types") AS t
        ORDER BY t),
      "examples" = (
        SELECT COALESCE(jsonb_agg(m.value ORDER BY m.position), '[]'::jsonb)
        FROM (
          SELECT u.value, MIN(u.position) AS position
          FROM (
            SELECT o.value, o.position
            FROM jsonb_array_elements("property_definitions"."examples")
                 WITH ORDINALITY AS o(value, position)
            UNION ALL
            SELECT n.value, n.position + ${MAX_EXAMPLES * 100}
            FROM jsonb_array_elements(EXCLUDED."examples") WITH ORDINALITY AS n(value, position)
          ) u
          GROUP BY u.value
          ORDER BY MIN(u.position)
          LIMIT ${MAX_EXAMPLES}
        ) m),
      "volume" = "property_definitions"."volume" + EXCLUDED."volume",
      "first_seen" = LEAST("property_definitions"."first_seen", EXCLUDED."first_seen"),
      "last_seen" = GREATEST("property_definitions"."last_seen", EXCLUDED."last_seen"),
      "updated_at" = CURRENT_TIMESTAMP`;
}
