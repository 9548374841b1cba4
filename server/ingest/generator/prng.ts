// The generator's only source of randomness: sfc32 (Small Fast Counting, 128-bit state) on
// 32-bit integer math, seeded through splitmix32. Not obvious: every user gets an independent
// stream derived from (seed, user index, purpose), so a user's data never depends on how much
// randomness another user consumed — that is what keeps the output byte-identical and lets the
// generator stop after exactly N events without disturbing anyone else's data.

/** splitmix32 finaliser: a good 32-bit integer hash, used to derive seeds. */
export function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a list of 32-bit integers into one 32-bit seed (order matters). */
export function hashInts(...values: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) h = mix32((h ^ mix32(v >>> 0)) >>> 0);
  return h;
}

/** A 32-bit hash of a short ASCII label, so streams can be named ("population", "user"). */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from any number of 32-bit integers (e.g. seed, user index, stream label). */
  constructor(...seedParts: readonly number[]) {
    const s = hashInts(...seedParts);
    this.a = mix32(s);
    this.b = mix32(s ^ 0x6a09e667);
    this.c = mix32(s ^ 0xbb67ae85);
    this.d = 1;
    // Discard the first outputs: sfc32 needs a few rounds to decorrelate close seeds.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Lower-case hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.nextU32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}
