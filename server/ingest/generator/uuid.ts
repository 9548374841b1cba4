// event_id values: RFC 9562 UUID version 7 (48-bit Unix ms timestamp of the event, then random
// bits from the seeded stream). Not obvious: the low 32 bits of rand_b carry the event's line
// number XOR a per-run mask — a bijection — so ids are unique by construction, not by luck.

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

function hex16(v: number): string {
  return (HEX_BYTE[(v >>> 8) & 0xff] as string) + (HEX_BYTE[v & 0xff] as string);
}

function hex32(v: number): string {
  return hex16((v >>> 16) & 0xffff) + hex16(v & 0xffff);
}

/**
 * Formats a v7 UUID. `ms` is the timestamp (0 <= ms < 2^48), `random` two 32-bit random words,
 * `unique` a 32-bit value that is distinct for every id of the run.
 */
export function uuidV7(ms: number, random1: number, random2: number, unique: number): string {
  const high = Math.floor(ms / 65536); // top 32 bits of the 48-bit timestamp
  const low = ms - high * 65536;
  const randA = random1 & 0x0fff;
  const variantAndRand = 0x8000 | ((random1 >>> 12) & 0x3fff);
  return `${hex32(high)}-${hex16(low)}-${hex16(0x7000 | randA)}-${hex16(variantAndRand)}-${hex16(
    random2 & 0xffff,
  )}${hex32(unique >>> 0)}`;
}

export const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Reads the timestamp back from a v7 UUID (used by tests and checks). */
export function uuidV7Timestamp(uuid: string): number {
  return parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
}
