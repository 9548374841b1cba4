// The ingestion contract (shared/design/telemetry-model.md §1) as zod schemas: our envelope and
// the payload shapes of Segment's HTTP tracking API (track / identify / page / batch), so existing
// Segment and RudderStack SDKs can send here by changing the endpoint. Pure: no I/O.
import { z } from 'zod';

export const LIMITS = {
  eventsPerBatch: 1000,
  batchBytes: 5 * 1024 * 1024,
  propertiesBytes: 32 * 1024,
  eventNameLength: 200,
  idLength: 200,
} as const;

const id = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(LIMITS.idLength, `${what} is longer than ${LIMITS.idLength} characters`);

/**
 * The instants bronze can hold: the Delta writer's timestamps (Python datetime) span the years
 * 0001–9999 in UTC. The ISO syntax also admits year 0000 and offsets that cross the ends; such a
 * row would fail its whole WAL segment's commit, and every later segment with it.
 */
export const TIME_RANGE = {
  min: Date.parse('0001-01-01T00:00:00.000Z'),
  max: Date.parse('9999-12-31T23:59:59.999Z'),
} as const;
export const inTimeRange = (ms: number): boolean => ms >= TIME_RANGE.min && ms <= TIME_RANGE.max;

/** ISO 8601 with a time and an offset or Z, e.g. 2026-11-01T10:00:00.123Z. */
export const ZTimestamp = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T10:00:00.123Z',
  })
  .refine((t) => inTimeRange(Date.parse(t)), {
    message: 'must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z',
  });

const ZJsonObject = z.record(z.string(), z.unknown());

/** Serialised size; Infinity when the value is nested too deeply to serialise at all. */
function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch {
    return Infinity; // RangeError: maximum call stack size exceeded
  }
}

const ZProperties = ZJsonObject.refine((p) => jsonBytes(p) <= LIMITS.propertiesBytes, {
  message: `properties are larger than ${LIMITS.propertiesBytes / 1024} KiB or nested too deeply`,
});

/** The context fields the contract names (bronze columns of the same names). */
export const CONTEXT_FIELDS = [
  'app_version',
  'platform',
  'os',
  'browser',
  'device_type',
  'country',
  'locale',
  'page_path',
] as const;
export const CONTEXT_FIELD_LENGTH = 500;

const ctxString = z.string().max(CONTEXT_FIELD_LENGTH).optional();
export const ZContext = z
  .object(
    Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, ctxString])) as Record<
      (typeof CONTEXT_FIELDS)[number],
      typeof ctxString
    >,
  )
  .catchall(z.unknown());

/** One event in our envelope. */
export const ZEnvelopeEvent = z
  .object({
    type: z.literal('track').optional(),
    event_id: z.uuid('event_id must be a UUID').optional(),
    event: z
      .string()
      .trim()
      .min(1, 'event is required')
      .max(LIMITS.eventNameLength, `event is longer than ${LIMITS.eventNameLength} characters`),
    user_id: id('user_id').optional(),
    anonymous_id: id('anonymous_id').optional(),
    session_id: id('session_id').optional(),
    timestamp: ZTimestamp.optional(),
    properties: ZProperties.optional(),
    context: ZContext.optional(),
  })
  .refine((e) => e.user_id !== undefined || e.anonymous_id !== undefined, {
    message: 'user_id or anonymous_id is required',
    path: ['user_id'],
  });
export type TEnvelopeEvent = z.infer<typeof ZEnvelopeEvent>;

export const ZEnvelopeIdentify = z.object({
  type: z.literal('identify'),
  user_id: id('user_id'),
  anonymous_id: id('anonymous_id').optional(),
  timestamp: ZTimestamp.optional(),
  traits: ZProperties.optional(),
});
export type TEnvelopeIdentify = z.infer<typeof ZEnvelopeIdentify>;

// ---- Segment shapes (camelCase) ----

const ZSegmentCommon = z.object({
  messageId: id('messageId').optional(),
  userId: id('userId').optional(),
  anonymousId: id('anonymousId').optional(),
  timestamp: ZTimestamp.optional(),
  context: ZJsonObject.optional(),
});

export const ZSegmentTrack = ZSegmentCommon.extend({
  type: z.literal('track').optional(),
  event: z.string().trim().min(1, 'event is required').max(LIMITS.eventNameLength),
  properties: ZProperties.optional(),
});
export const ZSegmentPage = ZSegmentCommon.extend({
  type: z.literal('page'),
  name: z.string().max(LIMITS.eventNameLength).optional(),
  properties: ZProperties.optional(),
});
export const ZSegmentIdentify = ZSegmentCommon.extend({
  type: z.literal('identify'),
  traits: ZProperties.optional(),
});

/** Top level of a batch request: ours ({batch, sent_at}) or Segment's ({batch, sentAt}). */
export const ZBatchRequest = z.object({
  batch: z
    .array(z.unknown())
    .min(1, 'batch must contain at least one event')
    .max(LIMITS.eventsPerBatch, `batch holds more than ${LIMITS.eventsPerBatch} events; split it`),
  sent_at: ZTimestamp.optional(),
  sentAt: ZTimestamp.optional(),
  context: ZJsonObject.optional(),
});
export type TBatchRequest = z.infer<typeof ZBatchRequest>;

/** "properties.feature_name: expected string" style reasons for the per-event rejection list. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
