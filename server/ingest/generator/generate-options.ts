// Validates the generator's arguments (from the CLI or a test) into GenerateOptions. Bad input is
// an AppError('BAD_REQUEST') whose message says which argument is wrong and what is expected.
import { AppError } from '../../errors';
import { parseIsoDate } from './calendar';

export interface GenerateOptions {
  /** Exactly this many lines in events.ndjson. */
  events: number;
  seed: number;
  /** Length of the window in days, ending with endDate (inclusive). */
  days: number;
  /** YYYY-MM-DD, the window's last day (UTC). */
  endDate: string;
  /**
   * Epoch ms within endDate where the window stops (default: the midnight after it). The
   * first-start demo ends "now", so that no event lies in the future.
   */
  endAtMs?: number;
  /**
   * Index of the first simulated user (default 0). A data set too large for one file is
   * generated as consecutive parts: each part starts where the previous one's users ended, so
   * user, anonymous and session ids never repeat across parts, and each part draws its event
   * ids from its own stream.
   */
  firstUser?: number;
  outDir: string;
}

export interface RawGenerateOptions {
  events?: string | number;
  seed?: string | number;
  days?: string | number;
  endDate?: string;
  out?: string;
}

export const GENERATE_DEFAULTS = { events: 200_000, seed: 7, days: 90, out: './.data/generated' };
export const MAX_EVENTS = 1_000_000_000;
export const MAX_DAYS = 3_650;
export const MAX_SEED = 4_294_967_295;

function integer(
  name: string,
  raw: string | number | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError(
      'BAD_REQUEST',
      `--${name} must be an integer from ${min} to ${max}, got "${String(raw)}".`,
      { argument: name },
    );
  }
  return value;
}

/** `today` (YYYY-MM-DD, UTC) is the default end date; the caller reads the clock, not this. */
export function parseGenerateOptions(raw: RawGenerateOptions, today: string): GenerateOptions {
  const events = integer('events', raw.events, GENERATE_DEFAULTS.events, 1, MAX_EVENTS);
  const seed = integer('seed', raw.seed, GENERATE_DEFAULTS.seed, 0, MAX_SEED);
  const days = integer('days', raw.days, GENERATE_DEFAULTS.days, 1, MAX_DAYS);
  const endDate = (raw.endDate ?? today).trim();
  const endDay = parseIsoDate(endDate);
  if (endDay === undefined) {
    throw new AppError(
      'BAD_REQUEST',
      `--end-date must be a calendar date as YYYY-MM-DD, got "${raw.endDate ?? today}".`,
      { argument: 'end-date' },
    );
  }
  if (endDay - days + 1 < 0 || endDay > parseIsoDate('9999-12-30')!) {
    throw new AppError(
      'BAD_REQUEST',
      `The window of ${days} days ending ${endDate} must start after 1970-01-01.`,
      {
        argument: 'end-date',
      },
    );
  }
  const outDir = (raw.out ?? GENERATE_DEFAULTS.out).trim();
  if (outDir === '') {
    throw new AppError('BAD_REQUEST', '--out must be a directory path.', { argument: 'out' });
  }
  return { events, seed, days, endDate, outDir };
}
