// Session timing under the 30-minute inactivity rule: a session is a run of events whose gaps
// are all < 30 min; a gap of >= 30 min starts a new session. The generator produces sessions
// that already satisfy the rule (gaps inside a session stay under 25 min; the next session
// starts >= 31 min after the previous one ended), so a downstream sessionizer recomputing
// session_id from timestamps gets the same sessions. splitSessions is that sessionizer.
import { MS_PER_MINUTE, MS_PER_SECOND } from './calendar';
import { clamp, geometric, logNormal } from './distributions';
import type { Prng } from './prng';

export const SESSION_GAP_MS = 30 * MS_PER_MINUTE;
export const MAX_SESSION_EVENTS = 30;
export const MAX_SESSION_SECONDS = 86_400;
/** Inside a session: seconds to minutes, never near the inactivity limit. */
export const MIN_EVENT_GAP_MS = 1_500;
export const MAX_EVENT_GAP_MS = 25 * MS_PER_MINUTE;
/** Between sessions: at least this much idle time. */
export const MIN_SESSION_SPACING_MS = SESSION_GAP_MS + MS_PER_MINUTE;

/** Gap between two events of one session (median ~30 s, long right tail). */
export function eventGapMs(rng: Prng): number {
  return Math.round(
    clamp(logNormal(rng, 30 * MS_PER_SECOND, 1.1), MIN_EVENT_GAP_MS, MAX_EVENT_GAP_MS),
  );
}

/** Events in a session (1 … 30), longer for engaged users; `mandatory` events are included. */
export function sessionLength(rng: Prng, engagement: number, mandatory: number): number {
  const mean = 1.8 + 2.7 * engagement; // ~2.9 … 6.7 extra events
  const n = 1 + geometric(rng, 1 / (1 + mean));
  return Math.max(Math.min(n, MAX_SESSION_EVENTS), Math.min(mandatory + 1, MAX_SESSION_EVENTS));
}

/** Idle time before the next session of the same day (31 min … ~8 h). */
export function idleBetweenSessionsMs(rng: Prng): number {
  return (
    MIN_SESSION_SPACING_MS +
    Math.round(clamp(logNormal(rng, 110 * MS_PER_MINUTE, 0.8), 0, 7 * 60 * MS_PER_MINUTE))
  );
}

/**
 * The 30-minute rule over sorted timestamps: returns the session number of each event.
 * Used by tests to check that generated session_ids agree with the rule.
 */
export function splitSessions(timestampsMs: readonly number[], gapMs = SESSION_GAP_MS): number[] {
  const out: number[] = [];
  let session = -1;
  let previous = -Infinity;
  for (const ts of timestampsMs) {
    if (ts < previous) throw new Error('timestamps must be sorted');
    if (ts - previous >= gapMs) session++;
    out.push(session);
    previous = ts;
  }
  return out;
}
