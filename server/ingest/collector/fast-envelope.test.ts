// The fast path must never disagree with zod: whatever it accepts, ZEnvelopeEvent accepts with
// the same output. Items are drawn around the edges of every rule (types, lengths, trimming,
// timestamps, UUIDs, context strings, odd keys).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZEnvelopeEvent } from './envelope';
import { fastEnvelopeEvent } from './fast-envelope';

const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: 8 }), weight: 6 },
    fc.string({ minLength: max - 2, maxLength: max + 2 }),
    fc.constantFrom(
      '',
      ' ',
      '  x  ',
      '\t',
      '\u00a0id\u00a0',
      'a'.repeat(max),
      ` ${'b'.repeat(max)} `,
    ),
  );
const anything = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
// Mostly the field's own kind (so many items are valid), sometimes absent or of a wrong type.
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ arbitrary: arb, weight: 12 }, { arbitrary: anything, weight: 1 }), {
    nil: undefined,
    freq: 4,
  });
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 1 });
const timestamp = fc.oneof(
  fc
    .date({
      min: new Date(-70_000_000_000_000),
      max: new Date(260_000_000_000_000),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-11-01T10:00:00Z',
    '2026-11-01T10:00:00.123456789+05:30',
    '2026-02-30T10:00:00Z',
    '2026-11-01T24:00:00Z',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    '2026-11-01 10:00:00Z',
    '2026-11-01T10:00:00',
    '2026-11-01T10:00Z',
  ),
);
const uuid = fc.oneof(
  { arbitrary: fc.uuid(), weight: 6 },
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '01a0669c-a178-092d-afb0-d7dce6d8f44f',
    '01a0669c-a178-792d-cfb0-d7dce6d8f44f',
    'not-a-uuid',
  ),
);
const properties = fc.oneof(
  {
    arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
    weight: 6,
  },
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constant({ big: 'x'.repeat(33 * 1024) }),
  fc.constant({ big: 'é'.repeat(11_000) }),
  fc.constant(JSON.parse('{"__proto__": {"a": 1}}') as Record<string, unknown>),
);
const context = fc.oneof(
  {
    arbitrary: fc.record({
      platform: fc.string({ maxLength: 10 }),
      country: fc.string({ maxLength: 3 }),
    }),
    weight: 6,
  },
  fc.record(
    {
      app_version: maybe(text(500)),
      platform: maybe(fc.string()),
      country: maybe(text(500)),
      extra: maybe(fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.constant(JSON.parse('{"__proto__": "x"}') as Record<string, unknown>),
);
const item = fc.record(
  {
    type: rarely(fc.constantFrom('track', 'page', 'identify')),
    event: maybe(text(200)),
    event_id: maybe(uuid),
    user_id: maybe(text(200)),
    anonymous_id: maybe(text(200)),
    session_id: maybe(text(200)),
    timestamp: maybe(timestamp),
    properties: maybe(properties),
    context: maybe(context),
    unknown_field: rarely(fc.string()),
  },
  { requiredKeys: [] },
);

describe('fastEnvelopeEvent', () => {
  it('accepts only what zod accepts, with the same output', () => {
    let fast = 0;
    fc.assert(
      fc.property(item, (o) => {
        const quick = fastEnvelopeEvent(o as Record<string, unknown>);
        if (quick === undefined) return;
        fast++;
        const r = ZEnvelopeEvent.safeParse(o);
        expect(r.success, JSON.stringify(o).slice(0, 300)).toBe(true);
        expect(quick).toEqual(r.data);
      }),
      { numRuns: 20_000 },
    );
    // The property is not vacuous: a good share of the drawn items take the fast path.
    expect(fast).toBeGreaterThan(100);
  });

  it('takes the fast path for a typical event', () => {
    const e = {
      event_id: '01a0669c-a178-792d-afb0-d7dce6d8f44f',
      event: 'signed_up',
      user_id: ' u_1 ',
      timestamp: '2026-09-03T09:32:16.120Z',
      properties: { plan: 'pro' },
      context: { platform: 'web', country: 'GB' },
    };
    expect(fastEnvelopeEvent(e)).toEqual({ ...e, user_id: 'u_1' });
  });
});
