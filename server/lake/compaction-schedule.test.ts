import { describe, expect, it } from 'vitest';
import { compactionSchedule } from './compaction-schedule';

describe('compactionSchedule', () => {
  it('is off for 0', () => {
    expect(compactionSchedule(0)).toBeNull();
  });

  it('says every n minutes, also where cron cannot (7 or 90 minutes)', () => {
    expect(compactionSchedule(600_000)).toBe('FREQ=MINUTELY;INTERVAL=10');
    expect(compactionSchedule(7 * 60_000)).toBe('FREQ=MINUTELY;INTERVAL=7');
    expect(compactionSchedule(90 * 60_000)).toBe('FREQ=MINUTELY;INTERVAL=90');
    expect(compactionSchedule(86_400_000)).toBe('FREQ=MINUTELY;INTERVAL=1440');
  });

  it('rounds to whole minutes, at least one (pg-boss fires at most once a minute)', () => {
    expect(compactionSchedule(1_000)).toBe('FREQ=MINUTELY;INTERVAL=1');
    expect(compactionSchedule(90_000)).toBe('FREQ=MINUTELY;INTERVAL=2');
    expect(compactionSchedule(629_999)).toBe('FREQ=MINUTELY;INTERVAL=10');
  });
});
