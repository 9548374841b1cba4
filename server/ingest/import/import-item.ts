// What a file reader yields for each line or row: an item in one of the shapes the API accepts,
// or a rejection found before validation (a line that is not JSON, a properties cell that is
// not a JSON object). Readers also say how far into the file they are, for progress.

export type ImportItem =
  { ok: true; item: unknown } | { ok: false; reason: string; payload: unknown };

export interface ItemReader {
  /** Bytes of the file consumed so far (an estimate for CSV). */
  bytesRead(): number;
  items(): AsyncIterable<ImportItem>;
}

/** Rejected raw text is kept for the dead-letter view, cut to this many characters. */
export const MAX_PAYLOAD_CHARS = 32 * 1024;

/**
 * Files (exports, our own generator) write `null` for an absent value, where the API's schemas
 * expect the key to be missing: `"user_id": null` on an anonymous event, `"browser": null` in a
 * mobile context. The importer reads a top-level or context null as "absent"; nulls inside
 * properties and traits are data and stay.
 */
export function withoutNulls(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    if (value === null) continue;
    out[key] =
      key === 'context' && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null),
          )
        : value;
  }
  return out;
}
