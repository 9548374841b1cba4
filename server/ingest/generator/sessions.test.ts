import { describe, expect, it } from 'vitest';
import { MS_PER_MINUTE } from './calendar';
import { Prng } from './prng';
import {
  MAX_EVENT_GAP_MS,
  MAX_SESSION_EVENTS,
  MIN_EVENT_GAP_MS,
  MIN_SESSION_SPACING_MS,
  SESSION_GAP_MS,
  eventGapMs,
  idleBetweenSessionsMs,
  sessionLength,
  splitSessions,
} from './sessions';

describe('splitSessions (30-minute inactivity rule)', () => {
  it('starts a new session after a gap of 30 minutes or more, not before', () => {
    const t0 = 1_000_000;
    const ts = [
      t0,
      t0 + 29 * MS_PER_MINUTE, // 29 min: same session
      t0 + 59 * MS_PER_MINUTE, // exactly 30 min later: new session
      t0 + 59 * MS_PER_MINUTE + 1,
      t0 + 200 * MS_PER_MINUTE,
    ];
    expect(splitSessions(ts)).toEqual([0, 0, 1, 1, 2]);
  });

  it('handles empty input and rejects unsorted timestamps', () => {
    expect(splitSessions([])).toEqual([]);
    expect(() => splitSessions([2, 1])).toThrow(/sorted/);
  });
});

describe('session timing', () => {
  it('keeps in-session gaps between seconds and 25 minutes', () => {
    const rng = new Prng(4);
    const gaps = Array.from({ length: 50_000 }, () => eventGapMs(rng));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_EVENT_GAP_MS);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_EVENT_GAP_MS);
    expect(MAX_EVENT_GAP_MS).toBeLessThan(SESSION_GAP_MS);
  });

  it('spaces sessions by at least the inactivity limit', () => {
    const rng = new Prng(6);
    const idle = Array.from({ length: 10_000 }, () => idleBetweenSessionsMs(rng));
    expect(Math.min(...idle)).toBeGreaterThanOrEqual(MIN_SESSION_SPACING_MS);
    expect(MIN_SESSION_SPACING_MS).toBeGreaterThan(SESSION_GAP_MS);
  });

  it('draws 1–30 events per session and leaves room for mandatory events', () => {
    const rng = new Prng(8);
    const engaged = Array.from({ length: 20_000 }, () => sessionLength(rng, 1.8, 0));
    expect(Math.min(...engaged)).toBe(1);
    expect(Math.max(...engaged)).toBe(MAX_SESSION_EVENTS);
    const withMilestones = Array.from({ length: 20_000 }, () => sessionLength(rng, 0.4, 6));
    expect(Math.min(...withMilestones)).toBeGreaterThanOrEqual(7);
  });

  it('a generated session re-splits into itself and stays under a day', () => {
    const rng = new Prng(10);
    let t = 0;
    const ts = [t];
    for (let i = 1; i < MAX_SESSION_EVENTS; i++) ts.push((t += eventGapMs(rng)));
    expect(new Set(splitSessions(ts))).toEqual(new Set([0]));
    expect((MAX_SESSION_EVENTS - 1) * MAX_EVENT_GAP_MS).toBeLessThan(86_400_000);
  });
});
