import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventIdFromMessageId, normalizeBatch, type NormalizeMeta } from './normalize';
import { AppError } from '../../errors';

const receivedAt = new Date('2026-11-01T12:00:00.000Z');
let n = 0;
const meta: NormalizeMeta = {
  workspaceId: 'ws1',
  receivedAt,
  source: 'api',
  batchId: 'b1',
  newId: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
};

const good = {
  event: 'feature_used',
  user_id: 'u_1',
  timestamp: '2026-11-01T11:59:00.000Z',
  properties: { feature_name: 'bulk_edit' },
  context: { platform: 'web', country: 'DE', app_version: '3.4.0' },
};

describe('normalizeBatch', () => {
  // The contract's envelope becomes a bronze row with every column named as in telemetry-model.md.
  it('maps an envelope event to a bronze row', () => {
    const out = normalizeBatch({ batch: [good] }, meta);
    expect(out.rejected).toEqual([]);
    expect(out.events[0]).toMatchObject({
      workspace_id: 'ws1',
      event: 'feature_used',
      user_id: 'u_1',
      anonymous_id: null,
      ts: '2026-11-01T11:59:00.000Z',
      event_date: '2026-11-01',
      received_at: '2026-11-01T12:00:00.000Z',
      properties: '{"feature_name":"bulk_edit"}',
      platform: 'web',
      country: 'DE',
      app_version: '3.4.0',
      source: 'api',
      ingest_batch_id: 'b1',
    });
    expect(out.events[0]?.event_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  // A bad event never drops the good ones; each rejection says which item and why.
  it('rejects bad items individually with index and reason', () => {
    const out = normalizeBatch(
      {
        batch: [
          good,
          { event: '', user_id: 'u' },
          { event: 'x' },
          'nope',
          { ...good, timestamp: 'yesterday' },
          good,
        ],
      },
      meta,
    );
    expect(out.events).toHaveLength(2);
    expect(out.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(out.rejected[0]?.reason).toMatch(/event/);
    expect(out.rejected[1]?.reason).toMatch(/user_id or anonymous_id is required/);
    expect(out.rejected[2]?.reason).toMatch(/JSON object/);
    expect(out.rejected[3]?.reason).toMatch(/timestamp: must be an ISO 8601/);
  });

  // Segment's clock-skew rule: the client's clock is off by (sent_at − received_at).
  it('corrects client clock skew with sent_at', () => {
    const out = normalizeBatch(
      {
        sent_at: '2026-11-01T13:00:00.000Z',
        batch: [{ ...good, timestamp: '2026-11-01T12:59:00.000Z' }],
      },
      meta,
    );
    expect(out.events[0]?.ts).toBe('2026-11-01T11:59:00.000Z');
    expect(out.events[0]?.sent_at).toBe('2026-11-01T13:00:00.000Z');
  });

  it('uses received_at when the event has no timestamp and keeps a client event_id', () => {
    const out = normalizeBatch(
      {
        batch: [
          { event: 'x', anonymous_id: 'a1', event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d0e' },
        ],
      },
      meta,
    );
    expect(out.events[0]).toMatchObject({
      ts: receivedAt.toISOString(),
      event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d0e',
      anonymous_id: 'a1',
    });
  });

  it('uses a Segment messageId as the event id, so SDK retries deduplicate', () => {
    const uuid = '0192F0A4-1B2C-7D3E-8F40-123456789ABC';
    const send = () =>
      normalizeBatch(
        {
          batch: [
            { type: 'track', event: 'x', userId: 'u', messageId: 'ajs-next-1730000000-abc' },
            { type: 'track', event: 'x', userId: 'u', messageId: uuid },
            { type: 'track', event: 'x', userId: 'u' },
          ],
        },
        meta,
      ).events.map((e) => e.event_id);
    const [first, second] = [send(), send()];
    expect(first[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second[0]).toBe(first[0]);
    expect(first[1]).toBe(uuid.toLowerCase());
    expect(eventIdFromMessageId('ajs-next-1730000000-abd')).not.toBe(first[0]);
  });

  // Existing Segment / RudderStack SDKs send camelCase track, page and identify calls.
  it('accepts Segment track, page and identify shapes', () => {
    const out = normalizeBatch(
      {
        sentAt: '2026-11-01T12:00:00.000Z',
        batch: [
          {
            type: 'track',
            event: 'report_exported',
            userId: 'u_2',
            messageId: 'm1',
            timestamp: '2026-11-01T11:00:00.000Z',
            properties: { format: 'csv' },
            context: {
              app: { version: '3.1.0' },
              os: { name: 'macOS' },
              device: { type: 'desktop' },
              page: { path: '/reports' },
              locale: 'de-DE',
            },
          },
          { type: 'page', name: 'Board', anonymousId: 'a_9', properties: { duration_ms: 10 } },
          { type: 'identify', userId: 'u_2', anonymousId: 'a_9', traits: { plan: 'pro' } },
          { type: 'alias', userId: 'u_2' },
        ],
      },
      meta,
    );
    expect(out.events.map((e) => e.event)).toEqual(['report_exported', 'page_viewed']);
    expect(out.events[0]).toMatchObject({
      user_id: 'u_2',
      app_version: '3.1.0',
      os: 'macOS',
      device_type: 'desktop',
      page_path: '/reports',
      locale: 'de-DE',
    });
    expect(JSON.parse(out.events[1]!.properties)).toEqual({ duration_ms: 10, page: 'Board' });
    expect(out.identifies).toEqual([
      expect.objectContaining({ user_id: 'u_2', anonymous_id: 'a_9', traits: '{"plan":"pro"}' }),
    ]);
    expect(out.rejected).toEqual([
      { index: 3, reason: expect.stringMatching(/"alias" is not supported/) },
    ]);
  });

  // A malformed request as a whole is a 400, not a list of rejections.
  it('throws BAD_REQUEST for a malformed request and for more than 1,000 events', () => {
    for (const body of [
      null,
      [],
      { events: [] },
      { batch: [] },
      { batch: Array.from({ length: 1001 }, () => good) },
    ]) {
      expect(() => normalizeBatch(body, meta)).toThrow(AppError);
    }
  });

  // Regression: the generator's anonymous and mobile events carry null ids and context fields.
  it('treats null top-level and context fields as absent, keeps nulls in properties', () => {
    const out = normalizeBatch(
      {
        batch: [
          {
            event: 'page_viewed',
            user_id: null,
            anonymous_id: 'a_1',
            session_id: null,
            properties: { page: null },
            context: { browser: null, platform: 'ios' },
          },
        ],
      },
      meta,
    );
    expect(out.rejected).toEqual([]);
    expect(out.events[0]).toMatchObject({
      user_id: null,
      anonymous_id: 'a_1',
      browser: null,
      platform: 'ios',
      properties: '{"page":null}',
    });
  });

  it('rejects properties over 32 KiB', () => {
    const out = normalizeBatch(
      { batch: [{ ...good, properties: { blob: 'x'.repeat(33 * 1024) } }] },
      meta,
    );
    expect(out.rejected[0]?.reason).toMatch(/32 KiB/);
  });

  // Fuzz: whatever the items are, nothing throws, and every item is either kept or explained.
  it('accounts for every item of any batch', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.anything(),
            fc.record({
              event: fc.string(),
              user_id: fc.string(),
              timestamp: fc.string(),
              properties: fc.anything(),
            }),
          ),
          { minLength: 1, maxLength: 50 },
        ),
        (batch) => {
          const out = normalizeBatch({ batch }, meta);
          expect(out.events.length + out.identifies.length + out.rejected.length).toBe(
            batch.length,
          );
          for (const r of out.rejected) expect(r.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
