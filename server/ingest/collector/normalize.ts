// Turns one request body into bronze rows: validates every item on its own (a bad event is
// rejected with its index and reason, the good ones are kept), maps Segment shapes onto the
// envelope, corrects client clock skew with sent_at the way Segment does
// (ts = received_at − (sent_at − timestamp)), assigns UUIDv7 event ids and stamps
// received_at, workspace_id, source and the batch id. Pure apart from the id generator.
// Text columns are repaired to well-formed Unicode: a JSON escape can carry a lone UTF-16
// surrogate, which the Delta writer cannot encode — it would fail the whole WAL segment's commit.
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { AppError } from '../../errors';
import { fastEnvelopeEvent, type FastEnvelopeEvent } from './fast-envelope';
import {
  describeIssues,
  inTimeRange,
  ZBatchRequest,
  ZEnvelopeEvent,
  ZEnvelopeIdentify,
  ZSegmentIdentify,
  ZSegmentPage,
  ZSegmentTrack,
} from './envelope';

export type IngestSource = 'api' | 'kafka' | 'batch';

/** A row of bronze.events (telemetry-model.md §2). */
export interface BronzeEvent {
  event_id: string;
  workspace_id: string;
  event: string;
  user_id: string | null;
  anonymous_id: string | null;
  session_id: string | null;
  ts: string;
  event_date: string;
  received_at: string;
  sent_at: string | null;
  properties: string;
  app_version: string | null;
  platform: string | null;
  os: string | null;
  browser: string | null;
  device_type: string | null;
  country: string | null;
  locale: string | null;
  page_path: string | null;
  source: IngestSource;
  ingest_batch_id: string;
}

/** A row of bronze.identifies. */
export interface BronzeIdentify {
  workspace_id: string;
  user_id: string;
  anonymous_id: string | null;
  ts: string;
  received_at: string;
  traits: string;
  source: IngestSource;
  ingest_batch_id: string;
}

export interface Rejection {
  index: number;
  reason: string;
}

export interface NormalizedBatch {
  events: BronzeEvent[];
  identifies: BronzeIdentify[];
  rejected: Rejection[];
}

export interface NormalizeMeta {
  workspaceId: string;
  receivedAt: Date;
  source: IngestSource;
  batchId: string;
  /** Injected for tests; defaults to UUIDv7 at the event's time. */
  newId?: (ts: Date) => string;
}

/** Lone surrogates → U+FFFD, as invalid UTF-8 bytes already become when the body is decoded. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;
// isWellFormed is a fast scan; the replace only runs on the rare string that needs it.
const wellFormed = (v: string): string =>
  v.isWellFormed() ? v : v.replace(LONE_SURROGATE, '\uFFFD');
const optText = (v: string | undefined): string | null => (v === undefined ? null : wellFormed(v));
// Slicing can cut a surrogate pair in half, so repair after it.
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 ? wellFormed(v.slice(0, 500)) : null;
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function correctedTime(
  timestamp: string | undefined,
  sentAt: string | undefined,
  receivedAt: Date,
): Date {
  if (!timestamp) return receivedAt;
  const client = Date.parse(timestamp);
  if (!sentAt) return new Date(client);
  return new Date(receivedAt.getTime() - (Date.parse(sentAt) - client));
}

interface Candidate {
  kind: 'event' | 'identify';
  event?: string;
  eventId?: string;
  userId?: string;
  anonymousId?: string;
  sessionId?: string;
  timestamp?: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
}

type Parsed = { ok: true; value: Candidate } | { ok: false; reason: string };

function fail(error: z.ZodError): Parsed {
  return { ok: false, reason: describeIssues(error) };
}

/**
 * SDKs (and our own generator) send `"user_id": null` or `"browser": null` for "not known";
 * at the top level and in `context` a null means absent. Nulls inside properties are data.
 */
function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  // On the hot path (1,000 items per request): plain loops, and no copy when nothing is null.
  const context = o.context;
  let contextHasNull = false;
  if (context && typeof context === 'object' && !Array.isArray(context))
    for (const k in context)
      if ((context as Record<string, unknown>)[k] === null) {
        contextHasNull = true;
        break;
      }
  let hasNull = contextHasNull;
  if (!hasNull)
    for (const k in o)
      if (o[k] === null) {
        hasNull = true;
        break;
      }
  if (!hasNull) return o;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === null) continue;
    if (k === 'context' && contextHasNull) {
      const c: Record<string, unknown> = {};
      for (const ck of Object.keys(v as object)) {
        const cv = (v as Record<string, unknown>)[ck];
        if (cv !== null) c[ck] = cv;
      }
      out[k] = c;
    } else out[k] = v;
  }
  return out;
}

/** Which shape an item has, and its fields in one neutral form. */
function parseItem(item: unknown): Parsed {
  if (!item || typeof item !== 'object' || Array.isArray(item))
    return { ok: false, reason: 'each item must be a JSON object' };
  const o = withoutNulls(item as Record<string, unknown>);
  const segment = 'userId' in o || 'anonymousId' in o || 'messageId' in o || o.type === 'page';
  if (o.type === 'identify') {
    if (segment) {
      const r = ZSegmentIdentify.safeParse(o);
      if (!r.success) return fail(r.error);
      if (!r.data.userId) return { ok: false, reason: 'userId: identify needs a userId' };
      return {
        ok: true,
        value: {
          kind: 'identify',
          userId: r.data.userId,
          anonymousId: r.data.anonymousId,
          timestamp: r.data.timestamp,
          properties: r.data.traits ?? {},
          context: r.data.context ?? {},
        },
      };
    }
    const r = ZEnvelopeIdentify.safeParse(o);
    if (!r.success) return fail(r.error);
    return {
      ok: true,
      value: {
        kind: 'identify',
        userId: r.data.user_id,
        anonymousId: r.data.anonymous_id,
        timestamp: r.data.timestamp,
        properties: r.data.traits ?? {},
        context: {},
      },
    };
  }
  if (o.type !== undefined && o.type !== 'track' && o.type !== 'page') {
    return {
      ok: false,
      reason: `type: "${String(o.type).slice(0, 50)}" is not supported; use track, page or identify`,
    };
  }
  if (segment) {
    const r = o.type === 'page' ? ZSegmentPage.safeParse(o) : ZSegmentTrack.safeParse(o);
    if (!r.success) return fail(r.error);
    if (!r.data.userId && !r.data.anonymousId)
      return { ok: false, reason: 'userId: userId or anonymousId is required' };
    const isPage = o.type === 'page';
    const d = r.data as z.infer<typeof ZSegmentTrack> & { name?: string };
    return {
      ok: true,
      value: {
        kind: 'event',
        event: isPage ? 'page_viewed' : d.event,
        eventId: d.messageId === undefined ? undefined : eventIdFromMessageId(d.messageId),
        userId: d.userId,
        anonymousId: d.anonymousId,
        timestamp: d.timestamp,
        properties: isPage
          ? { ...(d.properties ?? {}), ...(d.name ? { page: d.name } : {}) }
          : (d.properties ?? {}),
        context: segmentContext(d.context ?? {}),
      },
    };
  }
  let e: FastEnvelopeEvent | undefined = fastEnvelopeEvent(o);
  if (!e) {
    const r = ZEnvelopeEvent.safeParse(o);
    if (!r.success) return fail(r.error);
    e = r.data;
  }
  return {
    ok: true,
    value: {
      kind: 'event',
      event: e.event,
      eventId: e.event_id,
      userId: e.user_id,
      anonymousId: e.anonymous_id,
      sessionId: e.session_id,
      timestamp: e.timestamp,
      properties: e.properties ?? {},
      context: e.context ?? {},
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Fixed namespace for ids derived from Segment messageIds (a random v4, chosen once).
const MESSAGE_ID_NAMESPACE = '6f1c8a52-3f0e-4c59-9a53-0f5f3b2a7d41';

/**
 * Segment SDKs retry with the same messageId, so it is the event's id: as is when it is a UUID,
 * else a UUIDv5 of it — the same messageId always gives the same event_id, and retries dedupe.
 */
export function eventIdFromMessageId(messageId: string): string {
  return UUID.test(messageId) ? messageId.toLowerCase() : uuidv5(messageId, MESSAGE_ID_NAMESPACE);
}

/** Segment's nested context → our flat context fields. */
function segmentContext(c: Record<string, unknown>): Record<string, unknown> {
  const app = obj(c.app);
  const os = obj(c.os);
  const device = obj(c.device);
  const page = obj(c.page);
  const location = obj(c.location);
  return {
    app_version: app.version,
    platform: c.platform ?? device.type,
    os: os.name,
    browser: c.browser,
    device_type: device.type,
    country: location.country,
    locale: c.locale,
    page_path: page.path,
  };
}

export function normalizeBatch(body: unknown, meta: NormalizeMeta): NormalizedBatch {
  const request = ZBatchRequest.safeParse(body);
  if (!request.success)
    throw new AppError(
      'BAD_REQUEST',
      `The request is not a valid batch: ${describeIssues(request.error)}`,
      {
        issues: request.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    );
  const sentAt = request.data.sent_at ?? request.data.sentAt;
  const receivedAtIso = meta.receivedAt.toISOString();
  const newId = meta.newId ?? ((ts: Date) => uuidv7({ msecs: ts.getTime() }));
  const out: NormalizedBatch = { events: [], identifies: [], rejected: [] };

  request.data.batch.forEach((item, index) => {
    const parsed = parseItem(item);
    if (!parsed.ok) {
      out.rejected.push({ index, reason: parsed.reason });
      return;
    }
    const c = parsed.value;
    const ts = correctedTime(c.timestamp, sentAt, meta.receivedAt);
    if (!inTimeRange(ts.getTime())) {
      out.rejected.push({
        index,
        reason:
          'timestamp: corrected with sent_at it falls outside the years 0001–9999; check the client clock',
      });
      return;
    }
    const tsIso = ts.toISOString();
    if (c.kind === 'identify') {
      out.identifies.push({
        workspace_id: meta.workspaceId,
        user_id: wellFormed(c.userId!),
        anonymous_id: optText(c.anonymousId),
        ts: tsIso,
        received_at: receivedAtIso,
        traits: JSON.stringify(c.properties),
        source: meta.source,
        ingest_batch_id: meta.batchId,
      });
      return;
    }
    const ctx = c.context;
    out.events.push({
      event_id: c.eventId ?? newId(ts),
      workspace_id: meta.workspaceId,
      event: wellFormed(c.event!),
      user_id: optText(c.userId),
      anonymous_id: optText(c.anonymousId),
      session_id: optText(c.sessionId),
      ts: tsIso,
      event_date: tsIso.slice(0, 10),
      received_at: receivedAtIso,
      sent_at: sentAt ? new Date(Date.parse(sentAt)).toISOString() : null,
      properties: JSON.stringify(c.properties),
      app_version: str(ctx.app_version),
      platform: str(ctx.platform),
      os: str(ctx.os),
      browser: str(ctx.browser),
      device_type: str(ctx.device_type),
      country: str(ctx.country),
      locale: str(ctx.locale),
      page_path: str(ctx.page_path),
      source: meta.source,
      ingest_batch_id: meta.batchId,
    });
  });
  return out;
}
