// What the dead-letter sink stores from the dead-letter topic (pure mapping).
import { describe, expect, it } from 'vitest';
import { envelopeOf, lakeDeadLetter } from './dead-letter-sink';

const headers = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Buffer.from(v)]));

describe('lakeDeadLetter', () => {
  // The collector's own rejections are stored when they happen: the sink must not store them twice.
  it('leaves the collector’s rejections alone (no source offset)', () => {
    expect(
      lakeDeadLetter('tl.events', { value: Buffer.from('{}'), headers: {}, timestamp: '0' }),
    ).toBeNull();
  });

  // A Spark job's bad row: its workspace, its reason, and an envelope a replay can validate.
  it('stores a lake writer’s bad row in its workspace with its reason, as an envelope', () => {
    const row = {
      event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d99',
      workspace_id: 'ws-1',
      event: 'feature_used',
      user_id: 'u-1',
      ts: 'tomorrow',
      properties: '{"feature_name":"bulk_edit"}',
      country: 'DE',
      source: 'api',
    };
    const letter = lakeDeadLetter('tl.events', {
      value: Buffer.from(JSON.stringify(row)),
      headers: headers({
        reason: 'ts must be an ISO 8601 date-time',
        source_partition: '2',
        source_offset: '41',
      }),
      timestamp: '1796000000000',
    });
    expect(letter).toEqual({
      workspaceId: 'ws-1',
      reason: 'ts must be an ISO 8601 date-time',
      payload: {
        event_id: row.event_id,
        event: 'feature_used',
        user_id: 'u-1',
        timestamp: 'tomorrow',
        properties: { feature_name: 'bulk_edit' },
        context: { country: 'DE' },
      },
      batchId: 'tl.events:2:41',
      receivedAt: new Date(1796000000000),
    });
  });

  // An unreadable message names no workspace: kept raw, attributed to nobody.
  it('keeps an unreadable message raw and names no workspace', () => {
    const letter = lakeDeadLetter('tl.events', {
      value: Buffer.from('garbage'),
      headers: headers({ source_partition: '0', source_offset: '7' }),
      timestamp: '1796000000000',
    });
    expect(letter).toMatchObject({ workspaceId: null, payload: { raw: 'garbage' } });
    expect(letter!.reason).toMatch(/not an intake record/);
  });
});

describe('envelopeOf', () => {
  it('turns an identify row back into an identify call', () => {
    expect(
      envelopeOf({
        workspace_id: 'w',
        user_id: 'u',
        anonymous_id: null,
        ts: 'x',
        traits: '{"plan":"pro"}',
      }),
    ).toEqual({ type: 'identify', user_id: 'u', timestamp: 'x', traits: { plan: 'pro' } });
  });
});
