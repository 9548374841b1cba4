import { describe, expect, it } from 'vitest';
import type { BronzeEvent, BronzeIdentify } from '../collector/normalize';
import { messagesOf, partitionOf, type IntakeRecord } from './kafka-log';
import { rowsToWrite } from './kafka-lake-writer';

const event = (id: string, user: string | null, anon: string | null = null) =>
  ({ event_id: id, user_id: user, anonymous_id: anon, event: 'x' }) as BronzeEvent;
const identify = (user: string, anon: string | null) =>
  ({ user_id: user, anonymous_id: anon }) as BronzeIdentify;

describe('messagesOf', () => {
  const decode = (m: { partition: number; value: string }) => ({
    partition: m.partition,
    value: JSON.parse(m.value) as IntakeRecord,
  });

  // Per-user order in Kafka needs all of a user's rows in one partition, in request order.
  it('puts each user’s rows in their partition, in order', () => {
    const record: IntakeRecord = {
      id: 'b1',
      events: [event('1', 'u1'), event('2', 'u2'), event('3', 'u1'), event('4', null, 'a9')],
      identifies: [identify('u2', 'a2')],
    };
    const messages = messagesOf(record, 64).map(decode);
    const of = (user: string) => messages.find((m) => m.partition === partitionOf(user, 64))!;
    expect(of('u1').value.events.map((e) => e.event_id)).toEqual(
      expect.arrayContaining(['1', '3']),
    );
    const u1 = of('u1')
      .value.events.filter((e) => e.user_id === 'u1')
      .map((e) => e.event_id);
    expect(u1).toEqual(['1', '3']);
    expect(of('u2').value.identifies).toEqual([identify('u2', 'a2')]);
    expect(of('a9').value.events.map((e) => e.event_id)).toContain('4');
    expect(messages.every((m) => m.value.id === 'b1')).toBe(true);
    // Nothing lost or doubled.
    expect(messages.flatMap((m) => m.value.events.map((e) => e.event_id)).sort()).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
  });

  // The producer's cost is per message: a request yields at most one per partition.
  it('sends at most one message per partition', () => {
    const events = Array.from({ length: 1000 }, (_, i) => event(String(i), `u${i}`));
    const messages = messagesOf({ id: 'b', events, identifies: [] }, 6);
    expect(messages.length).toBe(6);
    expect(new Set(messages.map((m) => m.partition)).size).toBe(6);
  });

  // An event with neither id still spreads by its own id, not into one shared partition.
  it('places an event without user or anonymous id by its event id', () => {
    const events = Array.from({ length: 100 }, (_, i) => event(`e${i}`, null, null));
    expect(messagesOf({ id: 'b', events, identifies: [] }, 6).length).toBeGreaterThan(1);
  });

  it('hashes a key to the same partition every time, within range', () => {
    for (const key of ['u1', 'user_42', '', 'ünïcode']) {
      const p = partitionOf(key, 7);
      expect(p).toBe(partitionOf(key, 7));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
    }
  });
});

describe('rowsToWrite', () => {
  const msg = (offset: number, record: Partial<IntakeRecord> | string) => ({
    offset: String(offset),
    value: Buffer.from(typeof record === 'string' ? record : JSON.stringify(record)),
  });

  // A batch redelivered after a crash between the Delta commit and the offset commit: the rows
  // below each table's committed version are dropped, per table.
  it('drops rows each table already has', () => {
    const out = rowsToWrite(
      [
        msg(4, { id: 'a', events: [event('4', 'u')], identifies: [identify('u', null)] }),
        msg(5, { id: 'b', events: [event('5', 'u')], identifies: [identify('u', 'x')] }),
        msg(6, { id: 'c', events: [event('6', 'u')], identifies: [] }),
      ],
      { events: 6, identifies: 5 },
    );
    expect(out.events.map((e) => e.event_id)).toEqual(['6']);
    expect(out.identifies).toEqual([identify('u', 'x')]);
    expect(out.bad).toEqual([]);
  });

  // A foreign producer's message must not stop the partition: it is set aside by offset.
  it('sets unreadable messages aside', () => {
    const out = rowsToWrite(
      [msg(0, 'not json'), msg(1, { id: 'x' }), msg(2, { id: 'y', events: [], identifies: [] })],
      { events: 0, identifies: 0 },
    );
    expect(out.bad).toEqual([0, 1]);
  });
});
