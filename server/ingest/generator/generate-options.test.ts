import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { GENERATE_DEFAULTS, parseGenerateOptions } from './generate-options';

const TODAY = '2026-11-01';

function badRequest(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_REQUEST');
    return error as AppError;
  }
  throw new Error('expected a BAD_REQUEST');
}

describe('parseGenerateOptions', () => {
  it('applies the defaults, with today as the end date', () => {
    expect(parseGenerateOptions({}, TODAY)).toEqual({
      events: GENERATE_DEFAULTS.events,
      seed: 7,
      days: 90,
      endDate: TODAY,
      outDir: './.data/generated',
    });
  });

  it('accepts explicit values', () => {
    expect(
      parseGenerateOptions(
        { events: '1000', seed: '0', days: '1', endDate: '2024-02-29', out: '/tmp/x' },
        TODAY,
      ),
    ).toEqual({ events: 1000, seed: 0, days: 1, endDate: '2024-02-29', outDir: '/tmp/x' });
  });

  it.each([
    [{ events: '2.5' }, /--events must be an integer/],
    [{ events: '0' }, /--events must be an integer from 1/],
    [{ events: '-5' }, /--events/],
    [{ events: '1e6' }, /--events/],
    [{ events: 'abc' }, /--events/],
    [{ seed: '-1' }, /--seed/],
    [{ days: '0' }, /--days must be an integer from 1/],
    [{ endDate: '2026-02-30' }, /--end-date must be a calendar date/],
    [{ endDate: '01/11/2026' }, /--end-date/],
    [{ endDate: '1970-01-05', days: '30' }, /must start after 1970-01-01/],
    [{ out: '  ' }, /--out/],
  ])('rejects %j', (raw, message) => {
    expect(badRequest(() => parseGenerateOptions(raw, TODAY)).message).toMatch(message);
  });
});
