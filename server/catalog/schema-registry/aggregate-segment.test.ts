import { describe, expect, it } from 'vitest';
import {
  aggregateEvents,
  exampleOf,
  jsonTypeOf,
  MAX_PROPERTIES_PER_EVENT,
  type RegistryInputEvent,
} from './aggregate-segment';

let n = 0;
const row = (
  event: string,
  ts: string,
  properties: Record<string, unknown> | string,
  extra: Partial<RegistryInputEvent> = {},
): RegistryInputEvent => ({
  event_id: `id-${++n}`,
  workspace_id: 'ws1',
  event,
  ts,
  properties: typeof properties === 'string' ? properties : JSON.stringify(properties),
  ...extra,
});

describe('jsonTypeOf', () => {
  it('names the six JSON types', () => {
    expect([
      jsonTypeOf('a'),
      jsonTypeOf(1.5),
      jsonTypeOf(false),
      jsonTypeOf({}),
      jsonTypeOf([]),
      jsonTypeOf(null),
    ]).toEqual(['string', 'number', 'boolean', 'object', 'array', 'null']);
  });
});

describe('exampleOf', () => {
  it('cuts strings to 100 characters and drops big objects and nulls', () => {
    expect(exampleOf('x'.repeat(150))).toBe('x'.repeat(100));
    expect(exampleOf({ a: 1 })).toEqual({ a: 1 });
    expect(exampleOf({ a: 'y'.repeat(300) })).toBeUndefined();
    expect(exampleOf(['z'.repeat(250)])).toBeUndefined();
    expect(exampleOf(null)).toBeUndefined();
    expect(exampleOf(0)).toBe(0);
    expect(exampleOf(false)).toBe(false);
  });
});

describe('aggregateEvents', () => {
  it('counts events per workspace and name with their time range', () => {
    const agg = aggregateEvents([
      row('feature_used', '2026-11-01T10:00:00.000Z', {}),
      row('feature_used', '2026-11-01T09:00:00.000Z', {}),
      row('feature_used', '2026-11-01T11:00:00.000Z', {}, { workspace_id: 'ws2' }),
      row('logged_in', '2026-11-02T00:00:00.000Z', {}),
    ]);
    expect(agg.events).toEqual([
      {
        workspaceId: 'ws1',
        name: 'feature_used',
        count: 2,
        firstSeen: new Date('2026-11-01T09:00:00.000Z'),
        lastSeen: new Date('2026-11-01T10:00:00.000Z'),
      },
      expect.objectContaining({ workspaceId: 'ws2', name: 'feature_used', count: 1 }),
      expect.objectContaining({ workspaceId: 'ws1', name: 'logged_in', count: 1 }),
    ]);
  });

  // Client retries repeat an event_id; bronze keeps the event once, so the registry does too.
  it('counts a repeated event id once', () => {
    const e = row('feature_used', '2026-11-01T10:00:00.000Z', { a: 1 });
    const agg = aggregateEvents([e, { ...e }, { ...e }]);
    expect(agg.events[0]?.count).toBe(1);
    expect(agg.properties[0]?.count).toBe(1);
  });

  it('records types, counts and up to five distinct examples per property', () => {
    const rows = ['a', 'b', 'a', 'c', 'd', 'e', 'f'].map((v, i) =>
      row('feature_used', `2026-11-01T10:00:0${i}.000Z`, { feature_name: v, duration_ms: i }),
    );
    const agg = aggregateEvents(rows);
    const byName = Object.fromEntries(agg.properties.map((p) => [p.name, p]));
    expect(byName.feature_name).toMatchObject({
      eventName: 'feature_used',
      type: 'string',
      seenTypes: ['string'],
      count: 7,
      examples: ['a', 'b', 'c', 'd', 'e'],
      firstSeen: new Date('2026-11-01T10:00:00.000Z'),
      lastSeen: new Date('2026-11-01T10:00:06.000Z'),
    });
    expect(byName.duration_ms).toMatchObject({ type: 'number', examples: [0, 1, 2, 3, 4] });
  });

  // "type" is the type of the latest value by event time, not by position in the segment.
  it('keeps every seen type and takes the type of the latest value', () => {
    const agg = aggregateEvents([
      row('signed_up', '2026-11-01T12:00:00.000Z', { plan: 'pro' }),
      row('signed_up', '2026-11-01T10:00:00.000Z', { plan: 3 }),
      row('signed_up', '2026-11-01T11:00:00.000Z', { plan: null }),
    ]);
    expect(agg.properties).toEqual([
      expect.objectContaining({
        name: 'plan',
        type: 'string',
        seenTypes: ['null', 'number', 'string'],
        examples: ['pro', 3],
      }),
    ]);
  });

  it('skips unparseable properties and bad timestamps, and caps keys per event', () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_PROPERTIES_PER_EVENT + 10 }, (_, i) => [`k${i}`, i]),
    );
    const agg = aggregateEvents([
      row('x', '2026-11-01T10:00:00.000Z', 'not json'),
      row('x', 'not a time', { a: 1 }),
      row('x', '2026-11-01T10:00:00.000Z', many),
    ]);
    expect(agg.events[0]?.count).toBe(2);
    expect(agg.properties).toHaveLength(MAX_PROPERTIES_PER_EVENT);
  });
});
