// Maps one CSV or Parquet row onto the envelope (telemetry-model.md §1), so tabular files go
// through the same validation as the API. Pure. Columns are the envelope's names; the context
// fields may be flat columns (app_version, platform, …) or one `context` JSON column. Not
// obvious: file timestamps often lack the "T" or a zone ("2026-11-01 10:00:00"); those are read
// as UTC, which is what exports from warehouses mean. Unknown columns are ignored.
import { CONTEXT_FIELDS } from '../collector/envelope';
import { MAX_PAYLOAD_CHARS, type ImportItem } from './import-item';

export const ID_COLUMNS = ['type', 'event', 'event_id', 'user_id', 'anonymous_id', 'session_id'];
export const JSON_COLUMNS = ['properties', 'traits', 'context'];
export const CONTEXT_COLUMNS: readonly string[] = CONTEXT_FIELDS;
export const TIMESTAMP_COLUMNS = ['timestamp'];
export const KNOWN_COLUMNS = [
  ...ID_COLUMNS,
  ...TIMESTAMP_COLUMNS,
  ...JSON_COLUMNS,
  ...CONTEXT_COLUMNS,
];

export type TabularRow = Record<string, string | null | undefined>;

const SPACED =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** "2026-11-01 10:00:00+00" → "2026-11-01T10:00:00+00:00"; no zone → UTC. Else unchanged. */
export function isoTimestamp(text: string): string {
  const m = SPACED.exec(text.trim());
  if (!m) return text;
  const zone = m[3];
  let offset = 'Z';
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset = `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
  }
  const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2];
  return `${m[1]}T${time}${offset}`;
}

function jsonObject(
  column: string,
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${column}: is not valid JSON` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: `${column}: must be a JSON object` };
  return { ok: true, value: value as Record<string, unknown> };
}

export function rowToItem(row: TabularRow): ImportItem {
  const item: Record<string, unknown> = {};
  const present = (column: string) => {
    const v = row[column];
    return v === null || v === undefined || v === '' ? undefined : v;
  };
  for (const column of ID_COLUMNS) {
    const v = present(column);
    if (v !== undefined) item[column] = v;
  }
  const ts = present('timestamp');
  if (ts !== undefined) item.timestamp = isoTimestamp(ts);
  for (const column of JSON_COLUMNS) {
    const v = present(column);
    if (v === undefined) continue;
    const parsed = jsonObject(column, v);
    if (!parsed.ok) return { ok: false, reason: parsed.reason, payload: payloadOf(row) };
    item[column] = parsed.value;
  }
  const context: Record<string, unknown> = { ...((item.context as object | undefined) ?? {}) };
  let hasContext = item.context !== undefined;
  for (const column of CONTEXT_COLUMNS) {
    const v = present(column);
    if (v === undefined) continue;
    context[column] = v;
    hasContext = true;
  }
  if (hasContext) item.context = context;
  return { ok: true, item };
}

function payloadOf(row: TabularRow): string {
  return JSON.stringify(row).slice(0, MAX_PAYLOAD_CHARS);
}
