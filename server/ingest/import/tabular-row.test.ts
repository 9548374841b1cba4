import { describe, expect, it } from 'vitest';
import { withoutNulls } from './import-item';
import { isoTimestamp, rowToItem } from './tabular-row';

describe('isoTimestamp', () => {
  it('reads warehouse-style timestamps as UTC and leaves ISO and junk alone', () => {
    expect(isoTimestamp('2026-11-01 10:00:00')).toBe('2026-11-01T10:00:00Z');
    expect(isoTimestamp('2026-11-01 10:00:00.123+00')).toBe('2026-11-01T10:00:00.123+00:00');
    expect(isoTimestamp('2026-11-01 10:00-0530')).toBe('2026-11-01T10:00:00-05:30');
    expect(isoTimestamp('2026-11-01T10:00:00Z')).toBe('2026-11-01T10:00:00Z');
    expect(isoTimestamp('yesterday')).toBe('yesterday');
  });
});

describe('rowToItem', () => {
  it('maps envelope columns, parses JSON columns and folds flat context columns', () => {
    expect(
      rowToItem({
        event: 'feature_used',
        user_id: 'u_1',
        anonymous_id: '',
        timestamp: '2026-11-01 10:00:00',
        properties: '{"feature_name":"bulk_edit"}',
        context: '{"os":"macOS"}',
        platform: 'web',
        browser: null,
      }),
    ).toEqual({
      ok: true,
      item: {
        event: 'feature_used',
        user_id: 'u_1',
        timestamp: '2026-11-01T10:00:00Z',
        properties: { feature_name: 'bulk_edit' },
        context: { os: 'macOS', platform: 'web' },
      },
    });
  });

  it('rejects properties that are not a JSON object, with a reason', () => {
    expect(rowToItem({ event: 'x', properties: '{oops' })).toMatchObject({
      ok: false,
      reason: 'properties: is not valid JSON',
    });
    expect(rowToItem({ event: 'x', traits: '[1]' })).toMatchObject({
      ok: false,
      reason: 'traits: must be a JSON object',
    });
  });
});

describe('withoutNulls', () => {
  it('drops top-level and context nulls, keeps nulls inside properties', () => {
    expect(
      withoutNulls({
        event: 'e',
        user_id: null,
        context: { browser: null, os: 'iOS' },
        properties: { a: null },
      }),
    ).toEqual({ event: 'e', context: { os: 'iOS' }, properties: { a: null } });
  });
});
