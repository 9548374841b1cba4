// A fast path for the common case of the collector: one event in our envelope that is valid.
// zod validates ~1,000 items per request and was the largest cost of an acknowledgement, so
// this checks the same rules with plain code and answers either "valid, here are the fields" or
// "not sure" — never "invalid". Anything unusual (a wrong type, a limit, an odd timestamp)
// returns undefined and goes through ZEnvelopeEvent, which gives the precise reason. The
// property test in fast-envelope.test.ts checks that whatever this accepts, zod accepts with the
// same output.
import { CONTEXT_FIELD_LENGTH, CONTEXT_FIELDS, LIMITS, ZTimestamp } from './envelope';

/** The fields of a valid envelope event, as ZEnvelopeEvent would output them. */
export interface FastEnvelopeEvent {
  event: string;
  event_id?: string;
  user_id?: string;
  anonymous_id?: string;
  session_id?: string;
  timestamp?: string;
  properties?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

// zod's z.uuid(): RFC 9562 versions 1–8 and the variant bits, or the nil / max UUID.
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
// The common shape of a timestamp; only these are checked here (then by ZTimestamp itself).
const SIMPLE_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const KNOWN = new Set([
  'type',
  'event',
  'event_id',
  'user_id',
  'anonymous_id',
  'session_id',
  'timestamp',
  'properties',
  'context',
]);

// An own "__proto__" key (JSON.parse makes one) is copied differently by zod: let zod decide.
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype &&
  !Object.hasOwn(v, '__proto__');

/** A trimmed id of 1..LIMITS.idLength characters, or undefined when absent; null = not sure. */
function id(v: unknown): string | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t.length >= 1 && t.length <= LIMITS.idLength ? t : null;
}

function smallJson(v: Record<string, unknown>): boolean {
  // Strings are at most 3 bytes per UTF-16 unit in UTF-8, so a short text needs no byte count.
  let text: string;
  try {
    text = JSON.stringify(v);
  } catch {
    return false;
  }
  return (
    text.length * 3 <= LIMITS.propertiesBytes || Buffer.byteLength(text) <= LIMITS.propertiesBytes
  );
}

/** The event when `o` is certainly valid; undefined when zod must decide. */
export function fastEnvelopeEvent(o: Record<string, unknown>): FastEnvelopeEvent | undefined {
  if (Object.hasOwn(o, '__proto__')) return undefined;
  for (const k in o) if (!KNOWN.has(k)) return undefined;
  if (o.type !== undefined && o.type !== 'track') return undefined;
  if (typeof o.event !== 'string') return undefined;
  const event = o.event.trim();
  if (event.length < 1 || event.length > LIMITS.eventNameLength) return undefined;
  const out: FastEnvelopeEvent = { event };
  if (o.event_id !== undefined) {
    if (typeof o.event_id !== 'string' || !UUID.test(o.event_id)) return undefined;
    out.event_id = o.event_id;
  }
  const userId = id(o.user_id);
  const anonymousId = id(o.anonymous_id);
  const sessionId = id(o.session_id);
  if (userId === null || anonymousId === null || sessionId === null) return undefined;
  if (userId === undefined && anonymousId === undefined) return undefined;
  if (userId !== undefined) out.user_id = userId;
  if (anonymousId !== undefined) out.anonymous_id = anonymousId;
  if (sessionId !== undefined) out.session_id = sessionId;
  if (o.timestamp !== undefined) {
    if (typeof o.timestamp !== 'string' || !SIMPLE_TS.test(o.timestamp)) return undefined;
    if (!ZTimestamp.safeParse(o.timestamp).success) return undefined;
    out.timestamp = o.timestamp;
  }
  if (o.properties !== undefined) {
    if (!isPlainObject(o.properties) || !smallJson(o.properties)) return undefined;
    out.properties = o.properties;
  }
  if (o.context !== undefined) {
    if (!isPlainObject(o.context)) return undefined;
    for (const k of CONTEXT_FIELDS) {
      const v = o.context[k];
      if (v !== undefined && (typeof v !== 'string' || v.length > CONTEXT_FIELD_LENGTH))
        return undefined;
    }
    out.context = o.context;
  }
  return out;
}
