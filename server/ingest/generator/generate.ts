// Writes a synthetic Orbit dataset: events.ndjson (exactly N events), identifies.ndjson and
// ground_truth.json. Design, in three points:
// - Order: users one after the other, each user's lines in time order (not globally sorted).
// - Exactly N: users are independent draws; we add users until the N-th event is written. The
//   user during whom that happens is cut short (recorded as truncated_user_id) — one user.
// - Determinism: every random draw comes from Prng streams keyed by (seed, user index) or
//   (seed, "event-ids"); no clock, no Math.random, no locale; keys are written in a fixed order.
// Memory stays bounded: one user's state at a time, output flushed in ~1 MiB chunks.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseIsoDate } from './calendar';
import type { Plan } from './catalog';
import { eventLine, identifyLine } from './event-lines';
import type { GenerateOptions } from './generate-options';
import { GroundTruthCollector } from './ground-truth';
import { planLifecycle } from './lifecycle';
import { createUser, signupDayTable, type UserProfile } from './population';
import { Prng, hashInts, hashLabel } from './prng';
import { simulateUser, type SimEvent, type UserSink } from './simulate-user';
import { buildTimeline } from './timeline';
import { uuidV7 } from './uuid';
import { NdjsonWriter } from './writer';

export const OUTPUT_FILES = {
  events: 'events.ndjson',
  identifies: 'identifies.ndjson',
  groundTruth: 'ground_truth.json',
} as const;

export interface GenerateSummary {
  events: number;
  identifies: number;
  users: number;
  churnedUsers: number;
  /** The `firstUser` of a next part: one past the last user simulated (the cut-short one). */
  nextUser: number;
  outDir: string;
  bytes: { events: number; identifies: number; groundTruth: number; total: number };
}

export interface GenerateHooks {
  /** Called every PROGRESS_EVERY events and once at the end. */
  onProgress?: (written: number, total: number) => void;
}

export const PROGRESS_EVERY = 50_000;
const USER_STREAM = hashLabel('user');
const ID_STREAM = hashLabel('event-ids');
const SALT_STREAM = hashLabel('id-salt');

export async function generateDataset(
  options: GenerateOptions,
  hooks: GenerateHooks = {},
): Promise<GenerateSummary> {
  const endDay = parseIsoDate(options.endDate);
  if (endDay === undefined) throw new Error(`invalid end date ${options.endDate}`);
  const timeline = buildTimeline(endDay, options.days, options.endAtMs);
  const signupDays = signupDayTable(timeline);
  const runSalt = hashInts(options.seed, SALT_STREAM);
  const firstUser = options.firstUser ?? 0;
  // Part 0 keeps the single-file stream, so a data set's first part is that data set's start.
  const idRng =
    firstUser === 0
      ? new Prng(options.seed, ID_STREAM)
      : new Prng(options.seed, ID_STREAM, firstUser);
  const idMask = idRng.nextU32();
  const target = options.events;

  await mkdir(options.outDir, { recursive: true });
  const eventsOut = new NdjsonWriter(path.join(options.outDir, OUTPUT_FILES.events));
  const identifiesOut = new NdjsonWriter(path.join(options.outDir, OUTPUT_FILES.identifies));
  const truth = new GroundTruthCollector(timeline, {
    events: options.events,
    seed: options.seed,
    days: options.days,
    endDate: options.endDate,
    endAtMs: options.endAtMs,
  });

  let written = 0;
  let refused = false;
  let nextUser = firstUser;
  const sink: UserSink = {
    event(event: SimEvent): boolean {
      if (written >= target) {
        refused = true;
        return false;
      }
      const id = uuidV7(event.ms, idRng.nextU32(), idRng.nextU32(), (written ^ idMask) >>> 0);
      eventsOut.write(eventLine(event, id));
      truth.onEvent(event);
      written++;
      if (written % PROGRESS_EVERY === 0) hooks.onProgress?.(written, target);
      return true;
    },
    identify(user: UserProfile, ms: number, plan: Plan): void {
      identifiesOut.write(identifyLine(user, ms, plan));
      truth.onIdentify(plan);
    },
  };

  try {
    // Each user yields at least one event unless they sign up in the last minutes of the
    // window, so this bound is only a guard against a broken simulation.
    const maxUsers = firstUser + target * 4 + 1_000;
    for (let index = firstUser; written < target; index++) {
      if (index >= maxUsers) throw new Error('the simulation stopped producing events');
      const rng = new Prng(options.seed, index, USER_STREAM);
      const user = createUser(rng, index, runSalt, timeline, signupDays);
      const life = planLifecycle(rng, user, timeline);
      truth.beginUser(user, life);
      simulateUser(rng, user, life, timeline, sink);
      truth.endUser(refused);
      nextUser = index + 1;
      if (eventsOut.needsFlush) await eventsOut.flush();
      if (identifiesOut.needsFlush) await identifiesOut.flush();
    }
    await eventsOut.close();
    await identifiesOut.close();
  } catch (error) {
    eventsOut.abort();
    identifiesOut.abort();
    throw error;
  }
  hooks.onProgress?.(written, target);

  const groundTruth = truth.build({ events: written, identifies: identifiesOut.lines });
  const groundTruthText = `${JSON.stringify(groundTruth, null, 2)}\n`;
  await writeFile(path.join(options.outDir, OUTPUT_FILES.groundTruth), groundTruthText);
  const groundTruthBytes = Buffer.byteLength(groundTruthText);
  return {
    events: written,
    identifies: identifiesOut.lines,
    users: groundTruth.counts.users,
    churnedUsers: groundTruth.churn.churned_users,
    nextUser,
    outDir: options.outDir,
    bytes: {
      events: eventsOut.bytes,
      identifies: identifiesOut.bytes,
      groundTruth: groundTruthBytes,
      total: eventsOut.bytes + identifiesOut.bytes + groundTruthBytes,
    },
  };
}
