import { describe, expect, it } from 'vitest';
import { formatDay, isWeekend, parseIsoDate } from './calendar';
import { buildTimeline, versionOn } from './timeline';

describe('buildTimeline', () => {
  const t = buildTimeline(parseIsoDate('2026-11-01')!, 90);

  it('spans the window ending on end-date', () => {
    expect(formatDay(t.startDay)).toBe('2026-08-04');
    expect(formatDay(t.endDay)).toBe('2026-11-01');
    expect(t.endMs - t.startMs).toBe(90 * 86_400_000);
  });

  it('ships 3.0.0 … 3.6.x in order, 3.4.0 the day before the spike and 3.4.1 after it', () => {
    const versions = t.releases.map((r) => r.version);
    expect(versions[0]).toBe('3.0.0');
    expect(versions.at(-1)).toMatch(/^3\.6\./);
    const days = t.releases.map((r) => r.releaseDay);
    expect([...days].sort((a, b) => a - b)).toEqual(days);
    const r340 = t.releases.find((r) => r.version === '3.4.0')!;
    const r341 = t.releases.find((r) => r.version === '3.4.1')!;
    expect(r340.releaseDay).toBe(t.errorSpike.startDay - 1);
    expect(r341.releaseDay).toBe(t.errorSpike.endDay + 1);
  });

  it('puts both anomalies on weekdays inside the window, apart from each other', () => {
    const { errorSpike, reportDrop } = t;
    expect(errorSpike.endDay - errorSpike.startDay).toBe(1);
    for (const d of [errorSpike.startDay, errorSpike.endDay, reportDrop.day]) {
      expect(d).toBeGreaterThanOrEqual(t.startDay);
      expect(d).toBeLessThanOrEqual(t.endDay);
      expect(isWeekend(d)).toBe(false);
    }
    expect(reportDrop.day > errorSpike.endDay || reportDrop.day < errorSpike.startDay).toBe(true);
  });

  it('lets lagging clients run older versions', () => {
    const day = t.errorSpike.startDay;
    expect(versionOn(t, day, 0)).toBe('3.4.0');
    expect(versionOn(t, day, 30)).not.toBe('3.4.0');
  });

  it('copes with a one-day window', () => {
    const one = buildTimeline(parseIsoDate('2026-11-01')!, 1);
    expect(one.errorSpike.startDay).toBe(one.startDay);
    expect(one.errorSpike.endDay).toBe(one.endDay);
    expect(one.reportDrop.day).toBe(one.endDay);
  });

  it('ends at a given instant inside the last day, and refuses one outside it', () => {
    const end = parseIsoDate('2026-11-01')!;
    const at = Date.parse('2026-11-01T13:45:00Z');
    expect(buildTimeline(end, 90, at).endMs).toBe(at);
    expect(buildTimeline(end, 90).endMs).toBe(Date.parse('2026-11-02T00:00:00Z'));
    expect(() => buildTimeline(end, 90, Date.parse('2026-11-02T00:00:01Z'))).toThrow(/last day/);
    expect(() => buildTimeline(end, 90, Date.parse('2026-11-01T00:00:00Z'))).toThrow(/last day/);
  });
});
