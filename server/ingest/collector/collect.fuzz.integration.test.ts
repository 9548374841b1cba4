// Property-based fuzzing of the HTTP collector on a real runtime (PGlite, WAL, flusher, Delta
// writer, DuckDB). Whatever a client sends — wrong types in every field, strings over LIMITS,
// properties nested thousands of levels deep, invalid UTF-8 bytes or lone UTF-16 surrogates,
// impossible timestamps, duplicate event ids, non-objects at the top level, mixed batches — the
// collector must answer with a 2xx or a 4xx that explains itself, and every event it
// acknowledged must reach bronze. The last part is the one that is not obvious: an event that
// passes validation but that the Delta writer cannot encode (a year-0 timestamp, a lone
// surrogate) does not fail the request, it poisons its WAL segment, and because segments commit
// oldest first every later event is stuck behind it. So acknowledgements are recorded in a
// ledger during the fuzzing and checked against bronze after one flush at the end (a flush per
// run would be slower, and after a poisoned segment every later flush fails, which would make
// fast-check's shrinking meaningless).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import { collect, type CollectKind } from './collect';
import { LIMITS } from './envelope';

let fx: Fixture;
let key: string;

beforeAll(async () => {
  // No background flush: the test flushes itself, so a failing commit surfaces as an error of
  // the final check rather than in a timer.
  fx = await startFixture(testDatabases()[0]!, { TL_FLUSH_INTERVAL_MS: '3600000' });
  const admin = createCaller(
    await fx.context({
      cookie: await fx.cookieFor(fx.users.admin.email),
      workspace: fx.workspace.slug,
    }),
  );
  key = (await admin.admin.apiKeys.create({ name: 'fuzz' })).secret;
});
afterAll(async () => fx?.dispose());

// ---------------------------------------------------------------------------------------------
// Building bodies that JSON.stringify cannot produce: raw bytes (invalid UTF-8) and nesting
// deeper than the test's own stack allows. Such pieces are Raw values in the generated object,
// written through a placeholder.

class Raw {
  constructor(
    readonly bytes: Buffer,
    private readonly label: string,
  ) {}
  // How fast-check prints it in a counterexample (the bytes can be megabytes).
  [fc.toStringMethod](): string {
    return `Raw(${this.label})`;
  }
}
const NONCE = randomUUID().replaceAll('-', '');
const PLACEHOLDER = new RegExp(`"${NONCE}:(\\d+)"`, 'g');

function encode(value: unknown): Buffer {
  if (value instanceof Raw) return value.bytes;
  const raws: Raw[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) =>
    v instanceof Raw ? `${NONCE}:${raws.push(v) - 1}` : v,
  ) as string | undefined;
  if (text === undefined) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(Buffer.from(text.slice(last, m.index)), raws[Number(m[1])]!.bytes);
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last)));
  return Buffer.concat(parts);
}

/** A JSON string literal with invalid UTF-8 byte sequences between its text parts. */
const rawString = (parts: (string | number[])[]) =>
  new Raw(
    Buffer.concat([
      Buffer.from('"'),
      ...parts.map((p) =>
        typeof p === 'string' ? Buffer.from(JSON.stringify(p).slice(1, -1)) : Buffer.from(p),
      ),
      Buffer.from('"'),
    ]),
    `string ${JSON.stringify(parts)}`,
  );

/** A JSON value nested `depth` levels deep, as text (the test could not stringify it). */
const deepJson = (depth: number, shape: 'object' | 'array' | 'mixed') => {
  const [open, close] =
    shape === 'object' ? ['{"a":', '}'] : shape === 'array' ? ['[', ']'] : ['[{"a":', '}]'];
  return new Raw(
    Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`),
    `${shape} nested ${depth} deep`,
  );
};

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xfe],
  [0x80], // lone continuation byte
  [0xc0, 0xaf], // overlong '/'
  [0xe2, 0x82], // truncated 3-byte sequence
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8 (CESU-8)
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
];
const LONE_SURROGATES = ['\ud800', 'x\udbff', '\udc00y', 'a\ud83d', '\udfff\ud800'];

// ---------------------------------------------------------------------------------------------
// Generators. Items of a mixed batch carry a tag: `valid` (the contract accepts it, so it must
// be kept), `invalid` (the contract rejects it, so it must be rejected with a reason) or `edge`
// (either answer is fine, but if it is acknowledged it must reach bronze).

type Tag = 'valid' | 'invalid' | 'edge';
interface Item {
  tag: Tag;
  value: unknown;
  /** For valid items: which id of the run's id pool to use (undefined: the server assigns). */
  slot?: number;
}

const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter((s) => s.trim().length > 0 && s.length <= LIMITS.idLength);
const badBytes = fc.constantFrom(...INVALID_UTF8);
/** Non-empty text that arrives with invalid UTF-8 bytes in it (decoded to U+FFFD). */
const mangled = fc
  .tuple(text, badBytes, fc.string({ maxLength: 5 }))
  .map(([a, bytes, b]) => rawString([a, bytes, b]));
const goodString = fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: mangled });

const isoWithOffset = (d: Date, minutes: number) => {
  const local = new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
};
const dateIn = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
/** Timestamps every store can hold, mostly in one week (few Delta partitions), in any form. */
const validTimestamp = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: dateIn('2026-10-01T00:00:00Z', '2026-10-07T23:59:59Z') },
      { weight: 1, arbitrary: dateIn('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z') },
    ),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: -14 * 60, max: 14 * 60 }),
  )
  .map(([d, form, offset]) =>
    form === 0
      ? d.toISOString()
      : form === 1
        ? isoWithOffset(d, offset)
        : form === 2
          ? `${d.toISOString().slice(0, 19)}Z`
          : `${d.toISOString().slice(0, 23)}456789Z`,
  );
/** Timestamps at the edges of what a UTC date-time can be: valid, but only without sent_at. */
const extremeTimestamp = fc.constantFrom(
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:00:00.000+00:00',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59Z',
);

const ctxValue = fc.oneof(text, fc.constant(null), fc.constant('p'.repeat(500)));
const context = fc.record(
  {
    app_version: ctxValue,
    platform: ctxValue,
    os: ctxValue,
    browser: ctxValue,
    device_type: ctxValue,
    country: ctxValue,
    locale: ctxValue,
    page_path: ctxValue,
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const properties = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })),
  },
  // Just under the 32 KiB limit.
  { weight: 1, arbitrary: fc.constant({ blob: 'x'.repeat(LIMITS.propertiesBytes - 20) }) },
  { weight: 1, arbitrary: fc.constant({ __proto__: 'p', constructor: { prototype: 1 } }) },
);

/** An event of our envelope that the contract accepts. */
const validEvent = (opts: { extremeTimes: boolean }) =>
  fc
    .record(
      {
        type: fc.constant('track'),
        event: fc.oneof(goodString, fc.constant('e'.repeat(LIMITS.eventNameLength))),
        ids: fc.oneof(
          fc.record({ user_id: goodString }),
          fc.record({ anonymous_id: goodString }),
          fc.record({ user_id: goodString, anonymous_id: fc.oneof(goodString, fc.constant(null)) }),
          fc.record({ user_id: fc.constant(null), anonymous_id: goodString }),
        ),
        session_id: fc.oneof(goodString, fc.constant(null)),
        timestamp: opts.extremeTimes
          ? fc.oneof(
              { weight: 6, arbitrary: validTimestamp },
              { weight: 1, arbitrary: extremeTimestamp },
            )
          : validTimestamp,
        properties,
        context,
      },
      { requiredKeys: ['event', 'ids'] },
    )
    .map(({ ids, ...rest }) => ({ ...rest, ...ids }) as Record<string, unknown>);

const huge = (c: string) =>
  fc.integer({ min: LIMITS.idLength + 1, max: 100_000 }).map((n) => c.repeat(n));
const wrongType = fc.oneof(
  fc.integer(),
  // Not NaN or ±Infinity: JSON.stringify writes them as null, and a null user_id next to an
  // anonymous_id is a valid event (CI found this: "invalid item accepted" with user_id Infinity).
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const badTimestamp = fc.oneof(
  fc.constantFrom(
    'yesterday',
    '',
    '2026-11-01',
    '2026-11-01T10:00:00', // no zone
    '2026-11-01 10:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-11-01T25:00:00Z',
    '2026-11-01T10:00:00+2400',
    '+012026-11-01T10:00:00Z',
    '-000001-01-01T00:00:00Z',
  ),
  fc.integer(),
  fc.string({ maxLength: 30 }),
);

/** One field of a valid event broken in a way the contract rejects. */
const mutations: fc.Arbitrary<(e: Record<string, unknown>) => unknown>[] = [
  fc.constant(({ event: _e, ...e }) => e),
  fc.constantFrom('', '   ').map((v) => (e) => ({ ...e, event: v })),
  wrongType.map((v) => (e) => ({ ...e, event: v })),
  huge('e').map((v) => (e) => ({ ...e, event: v })),
  fc.constant(({ user_id: _u, anonymous_id: _a, ...e }) => ({ ...e, user_id: null })),
  wrongType.map((v) => (e) => ({ ...e, user_id: v })),
  wrongType.map((v) => (e) => ({ ...e, anonymous_id: v })),
  fc.constantFrom('', ' \t ').map((v) => (e) => ({ ...e, user_id: v })),
  huge('u').map((v) => (e) => ({ ...e, anonymous_id: v })),
  fc.oneof(wrongType, huge('s')).map((v) => (e) => ({ ...e, session_id: v })),
  fc
    .oneof(wrongType, fc.constantFrom('not-a-uuid', `${randomUUID()}0`, ''))
    .map((v) => (e) => ({ ...e, event_id: v })),
  badTimestamp
    .filter(
      (t) =>
        typeof t !== 'string' ||
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(t),
    )
    .map((v) => (e) => ({ ...e, timestamp: v })),
  fc
    .oneof(
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.array(fc.integer()),
      fc.constant({ blob: 'x'.repeat(LIMITS.propertiesBytes + 1) }),
    )
    .map((v) => (e) => ({ ...e, properties: v })),
  fc
    .oneof(fc.string(), fc.integer(), fc.array(fc.string()), fc.constant({ platform: 7 }))
    .map((v) => (e) => ({ ...e, context: v })),
  fc.constant((e) => ({ ...e, context: { os: 'o'.repeat(501) } })),
  fc.oneof(fc.constantFrom('alias', 'screen', 'group', 'TRACK'), wrongType).map((v) => (e) => ({
    ...e,
    type: v,
  })),
];
const invalidItem: fc.Arbitrary<Item> = fc.oneof(
  fc
    .tuple(validEvent({ extremeTimes: false }), fc.oneof(...mutations))
    .map(([e, mutate]) => ({ tag: 'invalid' as const, value: mutate(e) })),
  fc
    .oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue()))
    .map((value) => ({ tag: 'invalid' as const, value })),
);

const surrogate = fc.constantFrom(...LONE_SURROGATES);
/** Valid apart from one thing whose acceptance is a policy choice; acknowledged ⇒ stored. */
const edgeMutations: fc.Arbitrary<(e: Record<string, unknown>) => unknown>[] = [
  fc
    .tuple(fc.constantFrom('event', 'user_id', 'anonymous_id', 'session_id'), surrogate)
    .map(([field, s]) => (e) => ({ ...e, [field]: s })),
  surrogate.map((s) => (e) => ({ ...e, context: { platform: s, browser: `b${s}` } })),
  surrogate.map((s) => (e) => ({ ...e, properties: { [`k${s}`]: s } })),
  fc
    .constantFrom(
      '0000-01-01T00:00:00Z',
      '0000-12-31T23:59:59.999Z',
      '0001-01-01T00:00:00+00:01',
      '0001-01-01T00:30:00+14:00',
      '9999-12-31T23:59:59-00:01',
      '9999-12-31T23:00:00-14:00',
      '2024-02-29T12:00:00+14:00',
      '2026-11-01T10:00:00.1234567890123Z',
    )
    .map((t) => (e) => ({ ...e, timestamp: t })),
  fc
    .tuple(fc.constantFrom(100, 1_000, 5_000, 20_000), fc.constantFrom('object', 'array', 'mixed'))
    .chain(([depth, shape]) =>
      fc.constantFrom<(e: Record<string, unknown>) => unknown>(
        (e) => ({ ...e, properties: { nested: deepJson(depth, shape as 'object') } }),
        (e) => ({ ...e, context: { platform: 'web', nested: deepJson(depth, shape as 'object') } }),
        (e) => ({ ...e, unknown_field: deepJson(depth, shape as 'object') }),
        (e) => ({ ...e, event: deepJson(depth, shape as 'object') }),
      ),
    ),
  fc.constant((e) => ({ ...e, type: 'identify', traits: e.properties })),
];
const segmentItem = fc.record(
  {
    type: fc.constantFrom('track', 'page', 'identify', 'screen'),
    userId: fc.oneof(goodString, surrogate, wrongType),
    anonymousId: fc.oneof(goodString, wrongType),
    messageId: fc.oneof(text, fc.uuid()),
    event: fc.oneof(goodString, wrongType),
    name: fc.oneof(text, surrogate),
    timestamp: fc.oneof(validTimestamp, badTimestamp),
    properties: fc.oneof(properties, wrongType),
    traits: fc.oneof(properties, wrongType),
    context: fc.oneof(
      fc.object({ maxDepth: 2 }),
      surrogate.map((s) => ({
        app: { version: s },
        os: { name: s },
        page: { path: 'x'.repeat(900) },
      })),
    ),
  },
  { requiredKeys: [] },
);
const edgeItem: fc.Arbitrary<Item> = fc.oneof(
  fc
    .tuple(validEvent({ extremeTimes: false }), fc.oneof(...edgeMutations))
    .map(([e, mutate]) => ({ tag: 'edge' as const, value: mutate(e) })),
  segmentItem.map((value) => ({ tag: 'edge' as const, value })),
  fc.anything({ maxDepth: 3 }).map((value) => ({ tag: 'edge' as const, value })),
);

const POOL = 8; // ids per run; slots below SHARED are shared by all runs (cross-batch duplicates)
const SHARED = 3;
const validItem = (extremeTimes: boolean): fc.Arbitrary<Item> =>
  fc
    .tuple(validEvent({ extremeTimes }), fc.option(fc.nat({ max: POOL - 1 }), { freq: 5 }))
    .map(([value, slot]) => ({ tag: 'valid' as const, value, slot: slot ?? undefined }));

const mixedBatch = fc
  .tuple(fc.option(validTimestamp, { freq: 3 }), fc.boolean())
  .chain(([sentAt, sentAtCase]) =>
    fc.record({
      sentAt: fc.constant(sentAt ?? undefined),
      sentAtKey: fc.constant(sentAtCase ? 'sent_at' : 'sentAt'),
      items: fc.array(
        fc.oneof(
          { weight: 5, arbitrary: validItem(sentAt === null) },
          { weight: 3, arbitrary: invalidItem },
          { weight: 2, arbitrary: edgeItem },
        ),
        { minLength: 1, maxLength: 25 },
      ),
    }),
  );

// ---------------------------------------------------------------------------------------------
// The ledger of acknowledgements and the checks every answer must pass.

const ledger = {
  /** Sum of `accepted` over every 200: rows that must be in bronze.events + bronze.identifies. */
  accepted: 0,
  /** Per tracked event_id: how many acknowledged rows carry it. */
  ids: new Map<string, number>(),
  requests: 0,
  statuses: new Map<number, number>(),
};
const sharedIds = Array.from({ length: SHARED }, () => randomUUID());

const post = (kind: CollectKind, body: Buffer, headers: Record<string, string>) =>
  collect(
    fx.runtime,
    new Request(`http://x/api/v1/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: new Uint8Array(body),
    }),
    kind,
  );

interface Answer {
  status: number;
  accepted?: number;
  rejected?: { index: number; reason: string }[];
  error?: { code: string; message: string };
}

/** The invariants of every answer; `size` is the number of items when the test knows it. */
async function check(res: Response, size: number | undefined): Promise<Answer> {
  ledger.requests++;
  ledger.statuses.set(res.status, (ledger.statuses.get(res.status) ?? 0) + 1);
  const raw = await res.text();
  expect(res.status, `5xx answer: ${raw.slice(0, 300)}`).toBeLessThan(500);
  let body: Answer;
  try {
    body = { ...(JSON.parse(raw) as object), status: res.status };
  } catch {
    throw new Error(`answer ${res.status} is not JSON: ${raw.slice(0, 200)}`);
  }
  if (res.status < 200 || res.status >= 300) {
    const { code, message } = body.error ?? {};
    expect(typeof code === 'string' && code.length > 0, `no error code: ${raw.slice(0, 300)}`).toBe(
      true,
    );
    expect(
      typeof message === 'string' && message.trim().length > 0,
      `no error message: ${raw.slice(0, 300)}`,
    ).toBe(true);
  }
  if (body.rejected !== undefined || res.status === 200) {
    expect(Array.isArray(body.rejected)).toBe(true);
    const seen = new Set<number>();
    for (const r of body.rejected!) {
      expect(Number.isInteger(r.index) && r.index >= 0, `bad index ${r.index}`).toBe(true);
      if (size !== undefined) expect(r.index).toBeLessThan(size);
      expect(seen.has(r.index), `index ${r.index} rejected twice`).toBe(false);
      seen.add(r.index);
      expect(typeof r.reason === 'string' && r.reason.trim().length > 0, `no reason`).toBe(true);
    }
    const accepted = body.accepted ?? 0;
    if (res.status === 200) expect(accepted).toBeGreaterThan(0);
    else expect(accepted).toBe(0);
    if (size !== undefined) expect(accepted + body.rejected!.length).toBe(size);
  }
  if (res.status === 200) ledger.accepted += body.accepted!;
  return body;
}

const bearer = () => ({ authorization: `Bearer ${key}` });

describe('collector fuzzing', () => {
  it('explains every rejection and keeps every valid item of a mixed batch', async () => {
    await fc.assert(
      fc.asyncProperty(mixedBatch, async ({ sentAt, sentAtKey, items }) => {
        const runIds = [...sharedIds, ...Array.from({ length: POOL - SHARED }, () => randomUUID())];
        const batch = items.map((item) => {
          if (item.tag === 'valid' && item.slot !== undefined)
            return { ...(item.value as object), event_id: runIds[item.slot] };
          const v = item.value;
          if (item.tag !== 'valid' && v && typeof v === 'object' && !Array.isArray(v))
            // Never a pool id: the ledger counts pool ids of valid items exactly.
            return 'event_id' in v ? v : { ...v, event_id: randomUUID() };
          return item.value;
        });
        const body = encode({ batch, ...(sentAt ? { [sentAtKey]: sentAt } : {}) });
        const answer = await check(await post('batch', body, bearer()), items.length);

        const valid = items.flatMap((it, i) => (it.tag === 'valid' ? [i] : []));
        const invalid = items.flatMap((it, i) => (it.tag === 'invalid' ? [i] : []));
        const rejected = new Map((answer.rejected ?? []).map((r) => [r.index, r.reason]));
        // The ledger first, so that a failing run (and fast-check's shrinking re-runs) still
        // records what was stored, and the bronze check below reports only its own failures.
        if (answer.status === 200)
          for (const i of valid) {
            const id = (batch[i] as { event_id?: string }).event_id;
            if (id && !rejected.has(i)) ledger.ids.set(id, (ledger.ids.get(id) ?? 0) + 1);
          }
        for (const id of runIds) if (!ledger.ids.has(id)) ledger.ids.set(id, 0);
        if (body.length > LIMITS.batchBytes) {
          expect(answer.status).toBe(413);
          return;
        }
        for (const i of valid)
          expect(
            rejected.get(i),
            `valid item ${i} rejected: ${JSON.stringify(batch[i])?.slice(0, 300)}`,
          ).toBeUndefined();
        for (const i of invalid)
          expect(
            rejected.has(i),
            `invalid item ${i} accepted: ${JSON.stringify(batch[i])?.slice(0, 300)}`,
          ).toBe(true);
        if (valid.length > 0) expect(answer.status).toBe(200);
        else expect([200, 400]).toContain(answer.status);
      }),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx, whatever the body, the endpoint or the credentials', async () => {
    const batchItems = fc.array(fc.oneof(validItem(true), invalidItem, edgeItem), {
      maxLength: 12,
    });
    const body: fc.Arbitrary<{ value: unknown; size?: number; bytes?: Buffer }> = fc.oneof(
      // Anything at the top level: numbers, strings, null, arrays, objects.
      fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value })),
      fc
        .record({
          batch: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.anything({ maxDepth: 2 }))),
        })
        .map((value) => ({
          value,
          size: Array.isArray(value.batch) ? value.batch.length : undefined,
        })),
      // Batches with odd sent_at values (out of range, malformed, wrong type) or none at all.
      fc
        .tuple(
          batchItems,
          fc.oneof(
            validTimestamp,
            extremeTimestamp,
            badTimestamp,
            wrongType,
            fc.constant('0000-01-01T00:00:00Z'),
          ),
        )
        .map(([items, sentAt]) => ({
          value: { batch: items.map((i) => i.value), sent_at: sentAt },
        })),
      // Empty and oversized batches.
      fc.constantFrom(0, LIMITS.eventsPerBatch + 1).map((n) => ({
        value: { batch: Array.from({ length: n }, (_, i) => ({ event: 'e', user_id: `u${i}` })) },
      })),
      // Arbitrary bytes, and JSON with invalid UTF-8 spliced in anywhere.
      fc.uint8Array({ maxLength: 512 }).map((a) => ({ value: undefined, bytes: Buffer.from(a) })),
      fc
        .tuple(batchItems, fc.array(fc.tuple(fc.nat(), badBytes), { minLength: 1, maxLength: 4 }))
        .map(([items, cuts]) => {
          let bytes = encode({ batch: items.map((i) => i.value) });
          for (const [at, bad] of cuts) {
            const p = at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, p), Buffer.from(bad), bytes.subarray(p)]);
          }
          return { value: undefined, bytes };
        }),
      // Deep nesting at the top level and as the batch.
      fc
        .tuple(fc.constantFrom(1_000, 5_000, 100_000), fc.constantFrom('object', 'array', 'mixed'))
        .chain(([depth, shape]) =>
          fc.constantFrom(
            { value: deepJson(depth, shape as 'object') },
            { value: { batch: deepJson(depth, shape as 'object') } },
            { value: { batch: [deepJson(depth, shape as 'object')] }, size: 1 },
          ),
        ),
      // Over the 5 MiB body limit, and empty.
      fc.constantFrom(
        {
          value: {
            batch: [
              {
                event: 'e',
                user_id: 'u',
                properties: {
                  b: new Raw(Buffer.alloc(LIMITS.batchBytes, 0x61), 'a string over 5 MiB'),
                },
              },
            ],
          },
        },
        { value: undefined, bytes: Buffer.alloc(0) },
        { value: undefined, bytes: Buffer.from('\ufeff{"batch":[{"event":"e","user_id":"u"}]}') },
      ),
    );
    const credentials = fc.oneof(
      { weight: 6, arbitrary: fc.constant('bearer') },
      { weight: 1, arbitrary: fc.constantFrom('none', 'wrong', 'basic', 'basic-junk', 'body') },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<CollectKind>('batch', 'batch', 'capture', 'identify'),
        body,
        credentials,
        async (kind, { value, size, bytes }, cred) => {
          const headers: Record<string, string> =
            cred === 'bearer'
              ? bearer()
              : cred === 'wrong'
                ? { authorization: 'Bearer tlk_not-a-real-key' }
                : cred === 'basic'
                  ? { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }
                  : cred === 'basic-junk'
                    ? { authorization: 'Basic %%%not base64\u00ff' }
                    : {};
          const withKey =
            cred === 'body' &&
            value &&
            typeof value === 'object' &&
            !Array.isArray(value) &&
            !(value instanceof Raw)
              ? { ...value, api_key: key }
              : value;
          const payload = bytes ?? encode(withKey);
          const res = await post(kind, payload, headers);
          const known = kind === 'batch' ? size : bytes ? undefined : 1;
          await check(res, known);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores exactly the acknowledged events in bronze', async () => {
    // A known event and identify, so both bronze tables exist whatever the fuzzing accepted.
    const sentinel = randomUUID();
    const res = await post(
      'batch',
      encode({
        batch: [
          { event: 'fuzz_sentinel', user_id: 'u_sentinel', event_id: sentinel },
          { type: 'identify', user_id: 'u_sentinel', traits: { plan: 'pro' } },
        ],
      }),
      bearer(),
    );
    expect((await check(res, 2)).accepted).toBe(2);
    ledger.ids.set(sentinel, 1);

    await fx.runtime.flusher.flush();
    expect(fx.runtime.wal.stats.sealed, 'every WAL segment was committed and retired').toBe(0);

    const scalar = async (sql: string) =>
      Number((await fx.runtime.engine.execute(sql)).rows[0]?.[0]);
    const events = await scalar('select count(*) from bronze.events');
    const identifies = await scalar('select count(*) from bronze.identifies');
    expect(events + identifies, 'bronze rows = acknowledged rows').toBe(ledger.accepted);

    const tracked = [...ledger.ids.keys()];
    const found = await fx.runtime.engine.execute(
      `select event_id, count(*)::int from bronze.events
        where list_contains(string_split($ids, ','), event_id) group by event_id`,
      { params: { ids: tracked.join(',') }, maxRows: tracked.length + 1 },
    );
    const inBronze = new Map(found.rows.map((r) => [String(r[0]), Number(r[1])]));
    const expected = new Map([...ledger.ids].filter(([, n]) => n > 0));
    expect(inBronze).toEqual(expected);
    console.info(
      `collector fuzz: ${ledger.requests} requests, statuses ${JSON.stringify(Object.fromEntries(ledger.statuses))}, ` +
        `${ledger.accepted} rows acknowledged, ${expected.size} tracked event ids`,
    );
  });
});
