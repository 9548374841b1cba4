// Turns one user's profile and lifecycle into events, in time order: anonymous visits, the
// signup session, then day by day sessions until the user's last day. Milestones (funnel steps,
// subscription changes) ride in the first session at or after their planned time. Not obvious:
// the sink may refuse an event (the run has its N events); the simulation then stops at once,
// so the last user of a run is cut short — the only user whose story is incomplete.
import { MS_PER_DAY, MS_PER_MINUTE, dayOf, isWeekend } from './calendar';
import {
  APP_PAGES,
  ERROR_CODES,
  FEATURES,
  INVITEE_ROLE,
  LOGIN_METHOD,
  MARKETING_PAGES,
  PAGE_BILLING,
  PAGE_ONBOARDING,
  PAGE_PROJECTS,
  PAGE_REPORTS,
  PAGE_SEARCH,
  PAGE_SIGNUP,
  PAGE_TEAM,
  REPORT_FORMAT,
  SPIKE_ERROR,
  TEMPLATE,
  type Device,
  type EventName,
  type PageInfo,
  type Plan,
  type Platform,
} from './catalog';
import { clamp, geometric, logNormal, pick, pickIndex } from './distributions';
import * as props from './event-properties';
import type { Lifecycle } from './lifecycle';
import type { UserProfile } from './population';
import type { Prng } from './prng';
import {
  MIN_SESSION_SPACING_MS,
  eventGapMs,
  idleBetweenSessionsMs,
  sessionLength,
} from './sessions';
import { versionOn, type Timeline } from './timeline';

export const EXPERIMENT_ONBOARDING = 'onboarding_checklist_v2';
export const EXPERIMENT_ANNUAL = 'annual_plan_default';

export interface SessionContext {
  /** `{"app_version":…,"page_path":"` — the event appends its path and `"}`. */
  prefix: string;
  platform: Platform;
  appVersion: string;
}

export interface SimEvent {
  name: EventName;
  ms: number;
  /** null before signup (anonymous activity). */
  userId: string | null;
  anonymousId: string;
  sessionId: string;
  properties: string;
  context: SessionContext;
  pagePath: string;
  /** Experiment variant for experiment_exposed, billing period for subscription_started. */
  tag: string | null;
}

export interface UserSink {
  /** Returns false when the run has all its events: the simulation must stop. */
  event(event: SimEvent): boolean;
  identify(user: UserProfile, ms: number, plan: Plan): void;
}

type MilestoneKind =
  'onboarding' | 'project' | 'invite' | 'pricing' | 'subscribe' | 'upgrade' | 'cancel';
interface Milestone {
  ms: number;
  kind: MilestoneKind;
}

const STOP = -1;
/** Milestones due within this much of a session's start ride in that session. */
const MILESTONE_LOOKAHEAD_MS = 20 * MS_PER_MINUTE;
const NON_CHURNED_MAX_IDLE_DAYS = 9;

function contextFor(
  timeline: Timeline,
  user: UserProfile,
  device: Device,
  day: number,
): SessionContext {
  const lag = device.platform === 'web' ? 0 : user.mobileLagDays;
  const appVersion = versionOn(timeline, day, lag);
  const browser = device.browser === null ? 'null' : `"${device.browser}"`;
  return {
    prefix: `{"app_version":"${appVersion}","platform":"${device.platform}","os":"${device.os}","browser":${browser},"device_type":"${device.deviceType}","country":"${user.country.code}","locale":"${user.locale}","page_path":"`,
    platform: device.platform,
    appVersion,
  };
}

function milestonesOf(life: Lifecycle): Milestone[] {
  const list: Milestone[] = [];
  const add = (ms: number | null | undefined, kind: MilestoneKind) => {
    if (ms !== null && ms !== undefined) list.push({ ms, kind });
  };
  add(life.onboardingMs, 'onboarding');
  add(life.projectMs, 'project');
  add(life.inviteMs, 'invite');
  add(life.pricingMs, 'pricing');
  add(life.subscription?.ms, 'subscribe');
  add(life.upgrade?.ms, 'upgrade');
  add(life.cancel?.ms, 'cancel');
  // Stable sort by time; ties keep the funnel order above.
  return list.sort((a, b) => a.ms - b.ms);
}

const durationMs = (rng: Prng, median: number, max: number) =>
  Math.round(clamp(logNormal(rng, median, 0.9), 300, max));

/**
 * Simulates one user. Stops early when an event would fall after the window (everything later
 * would too) or when the sink refuses an event (the run is complete).
 */
export function simulateUser(
  rng: Prng,
  user: UserProfile,
  life: Lifecycle,
  timeline: Timeline,
  sink: UserSink,
): void {
  const endMs = timeline.endMs;
  const queue = milestonesOf(life);
  let plan: Plan = user.signupPlan;
  let projectDone = false;
  let inviteDone = false;
  let sessionSeq = 0;
  let prevEnd = -Infinity;
  let trialPending = life.trialEndMs;
  const featureWeights = new Float64Array(FEATURES.length);

  const newSessionId = () => {
    const seq = (sessionSeq++ & 0xffff).toString(16).padStart(4, '0');
    return `${user.sessionPrefix}${seq}${rng.hex(4)}`;
  };

  const flushTrial = (beforeMs: number) => {
    if (trialPending !== null && trialPending <= beforeMs) {
      if (plan === user.signupPlan) {
        plan = 'free';
        sink.identify(user, trialPending, plan);
      }
      trialPending = null;
    }
  };

  let refused = false;
  const send = (event: SimEvent): boolean => {
    if (sink.event(event)) return true;
    refused = true;
    return false;
  };

  // --- one session -------------------------------------------------------------------------
  let ctx: SessionContext;
  let sessionId = '';
  let t = 0;
  let emitted = 0;
  let userIdNow: string | null = null;

  /** Emits at time t (advancing t by a gap first unless it is the session's first event). */
  const emit = (name: EventName, properties: string, page: string, tag: string | null = null) => {
    if (emitted > 0) t += eventGapMs(rng);
    if (t >= endMs) return false;
    emitted++;
    return send({
      name,
      ms: t,
      userId: userIdNow,
      anonymousId: user.anonymousId,
      sessionId,
      properties,
      context: ctx,
      pagePath: page,
      tag,
    });
  };

  const emitPage = (page: PageInfo) =>
    emit('page_viewed', props.pageViewedProps(page, durationMs(rng, 18_000, 600_000)), page.path);

  const emitFiller = (): boolean => {
    const day = dayOf(t);
    // Features open to the user now (premium ones mostly need a paid plan).
    let anyFeature = 0;
    for (let i = 0; i < FEATURES.length; i++) {
      const f = FEATURES[i]!;
      const w =
        (life.adoptionMs[i] ?? Infinity) <= t
          ? f.usageWeight * (f.isPremium && plan === 'free' ? 0.1 : 1)
          : 0;
      featureWeights[i] = w;
      anyFeature += w;
    }
    const spike = timeline.errorSpike;
    const inSpike =
      day >= spike.startDay &&
      day <= spike.endDay &&
      ctx.platform === spike.platform &&
      ctx.appVersion === spike.appVersion;
    const platformErrors = ctx.platform === 'android' ? 1.4 : ctx.platform === 'ios' ? 1.1 : 1;
    const wPage = 34;
    const wFeature = anyFeature > 0 ? 30 : 0;
    const wSearch = 7;
    const wReport =
      3.5 *
      (plan === 'free' ? 0.8 : 1.4) *
      (day === timeline.reportDrop.day ? timeline.reportDrop.factor : 1);
    const wError = 2 * user.errorPropensity * platformErrors * (inSpike ? spike.multiplier : 1);
    const wProject = projectDone ? 1.2 : 0;
    const wInvite = inviteDone ? 0.5 : 0;
    let r = rng.next() * (wPage + wFeature + wSearch + wReport + wError + wProject + wInvite);
    if ((r -= wPage) < 0) return emitPage(pick(rng, APP_PAGES));
    if ((r -= wFeature) < 0) {
      const f = FEATURES[pickIndex(rng, featureWeights)]!;
      return emit(
        'feature_used',
        props.featureUsedProps(f.name, durationMs(rng, 45_000, 1_800_000)),
        f.path,
      );
    }
    if ((r -= wSearch) < 0) {
      const results = rng.chance(0.12) ? 0 : Math.min(500, 1 + geometric(rng, 0.05));
      return emit('search_performed', props.searchPerformedProps(results), PAGE_SEARCH.path);
    }
    if ((r -= wReport) < 0) {
      return emit(
        'report_exported',
        props.reportExportedProps(pick(rng, REPORT_FORMAT)),
        PAGE_REPORTS.path,
      );
    }
    if ((r -= wError) < 0) {
      const error = inSpike && rng.chance(0.85) ? SPIKE_ERROR : pick(rng, ERROR_CODES);
      const page = inSpike ? '/board' : pick(rng, APP_PAGES).path;
      return emit('error_occurred', props.errorOccurredProps(error), page);
    }
    if ((r -= wProject) < 0) {
      return emit(
        'project_created',
        props.projectCreatedProps(pick(rng, TEMPLATE)),
        PAGE_PROJECTS.path,
      );
    }
    return emit(
      'teammate_invited',
      props.teammateInvitedProps(pick(rng, INVITEE_ROLE)),
      PAGE_TEAM.path,
    );
  };

  /** Events a milestone adds to its session. */
  const milestoneSize = (m: Milestone) => (m.kind === 'pricing' ? 2 : m.kind === 'invite' ? 3 : 1);

  const emitMilestone = (m: Milestone): boolean => {
    switch (m.kind) {
      case 'onboarding':
        return emit(
          'onboarding_completed',
          props.onboardingCompletedProps(user.onboardingVariant === 'treatment' ? 5 : 4),
          PAGE_ONBOARDING.path,
        );
      case 'project':
        projectDone = true;
        return emit(
          'project_created',
          props.projectCreatedProps(pick(rng, TEMPLATE)),
          PAGE_PROJECTS.path,
        );
      case 'invite': {
        inviteDone = true;
        const invites = 1 + Math.min(2, geometric(rng, 0.6));
        for (let i = 0; i < invites; i++) {
          if (
            !emit(
              'teammate_invited',
              props.teammateInvitedProps(pick(rng, INVITEE_ROLE)),
              PAGE_TEAM.path,
            )
          ) {
            return false;
          }
        }
        return true;
      }
      case 'pricing':
        return (
          emitPage(PAGE_BILLING) &&
          emit(
            'experiment_exposed',
            props.experimentExposedProps(EXPERIMENT_ANNUAL, user.annualVariant),
            PAGE_BILLING.path,
            user.annualVariant,
          )
        );
      case 'subscribe': {
        const s = life.subscription!;
        plan = s.plan;
        const ok = emit(
          'subscription_started',
          props.subscriptionStartedProps(s.plan, s.billingPeriod, s.mrrUsd),
          PAGE_BILLING.path,
          s.billingPeriod,
        );
        if (ok) sink.identify(user, t, plan);
        return ok;
      }
      case 'upgrade': {
        const from = plan;
        plan = 'enterprise';
        const ok = emit(
          'subscription_upgraded',
          props.subscriptionUpgradedProps(from, 'enterprise', life.upgrade!.mrrUsd),
          PAGE_BILLING.path,
        );
        if (ok) sink.identify(user, t, plan);
        return ok;
      }
      case 'cancel': {
        const from = plan;
        plan = 'free';
        const ok = emit(
          'subscription_cancelled',
          props.subscriptionCancelledProps(from, life.cancel!.reason),
          PAGE_BILLING.path,
        );
        if (ok) sink.identify(user, t, plan);
        return ok;
      }
    }
  };

  /** Runs one session from `start`; returns its end time, or STOP when the run must end. */
  const runSession = (
    start: number,
    device: Device,
    due: Milestone[],
    signup: boolean,
    continueSession = false,
  ): number => {
    if (!continueSession) {
      ctx = contextFor(timeline, user, device, dayOf(start));
      sessionId = newSessionId();
      t = start;
      emitted = 0;
    }
    let mandatory = 0;
    for (const m of due) mandatory += milestoneSize(m);
    // signed_up, its exposure and the onboarding page, after any anonymous page views.
    if (signup) mandatory += 3 + (continueSession ? emitted : 0);
    let filler = sessionLength(rng, user.engagement, mandatory) - mandatory;
    if (signup) {
      userIdNow = user.userId;
      if (
        !emit('signed_up', props.signedUpProps(user.signupMethod, user.channel), PAGE_SIGNUP.path)
      )
        return STOP;
      sink.identify(user, t, plan);
      if (
        !emit(
          'experiment_exposed',
          props.experimentExposedProps(EXPERIMENT_ONBOARDING, user.onboardingVariant),
          PAGE_ONBOARDING.path,
          user.onboardingVariant,
        ) ||
        !emitPage(PAGE_ONBOARDING)
      ) {
        return STOP;
      }
    } else if (filler > 0 && rng.chance(0.45)) {
      filler--;
      if (!emit('logged_in', props.loggedInProps(pick(rng, LOGIN_METHOD)), '/login')) return STOP;
    }
    for (const m of due) {
      let before = Math.min(filler, rng.int(0, 2));
      filler -= before;
      while (before-- > 0) if (!emitFiller()) return STOP;
      if (!emitMilestone(m)) return STOP;
    }
    while (filler-- > 0) if (!emitFiller()) return STOP;
    return t;
  };

  const takeDue = (start: number, lastOfDay: boolean, day: number): Milestone[] => {
    const due: Milestone[] = [];
    while (queue.length > 0) {
      const next = queue[0]!;
      if (next.ms <= start + MILESTONE_LOOKAHEAD_MS || (lastOfDay && dayOf(next.ms) <= day)) {
        due.push(queue.shift()!);
      } else break;
    }
    return due;
  };

  const pickDevice = (): Device =>
    user.secondary !== null && rng.chance(user.secondaryShare) ? user.secondary : user.primary;

  const story = (): void => {
    // --- anonymous visits before signup   --------------------------------------------------------
    userIdNow = null;
    const anonymousHead = rng.chance(0.4) ? 1 + Math.min(3, geometric(rng, 0.5)) : 0;
    if (anonymousHead > 0 && rng.chance(0.5)) {
      // An earlier visit, hours to days before signing up.
      const visitStart = user.signupMs - Math.round((2 + rng.next() * 70) * 60 * MS_PER_MINUTE);
      if (visitStart >= timeline.startMs) {
        ctx = contextFor(timeline, user, user.primary, dayOf(visitStart));
        sessionId = newSessionId();
        t = visitStart;
        emitted = 0;
        const n = 1 + Math.min(4, geometric(rng, 0.45));
        for (let i = 0; i < n; i++) if (!emitPage(pick(rng, MARKETING_PAGES))) return;
        prevEnd = t;
      }
    }
    // The visit that ends in the signup form: page views a few minutes before signed_up, in the
    // same session (the ids are linked by the identify call at signup).
    const headGaps: number[] = [];
    for (let i = 0; i < anonymousHead; i++) headGaps.push(eventGapMs(rng));
    const headMs = headGaps.reduce((a, b) => a + b, 0);
    const headStart = user.signupMs - headMs;
    const headFits =
      anonymousHead > 0 &&
      headStart >= timeline.startMs &&
      headStart >= prevEnd + MIN_SESSION_SPACING_MS;

    // --- the signup session --------------------------------------------------------------------
    const signupDue = takeDue(user.signupMs, false, user.signupDay);
    let continueSession = false;
    if (headFits) {
      ctx = contextFor(timeline, user, user.primary, dayOf(headStart));
      sessionId = newSessionId();
      t = headStart;
      for (let i = 0; i < anonymousHead; i++) {
        if (i > 0) t += headGaps[i] ?? 0;
        if (t >= endMs) return;
        const page = i === anonymousHead - 1 ? PAGE_SIGNUP : pick(rng, MARKETING_PAGES);
        const event: SimEvent = {
          name: 'page_viewed',
          ms: t,
          userId: null,
          anonymousId: user.anonymousId,
          sessionId,
          properties: props.pageViewedProps(page, durationMs(rng, 15_000, 300_000)),
          context: ctx,
          pagePath: page.path,
          tag: null,
        };
        if (!send(event)) return;
      }
      emitted = anonymousHead;
      continueSession = true;
    }
    const signupEnd = runSession(user.signupMs, user.primary, signupDue, true, continueSession);
    if (signupEnd === STOP) return;
    prevEnd = signupEnd;

    // --- day by day until the last day ---------------------------------------------------------
    const pActive = clamp(0.08 + 0.26 * user.engagement, 0.1, 0.6);
    let idleDays = 0;
    for (let day = user.signupDay; day <= life.lastDay; day++) {
      const forcedByMilestone = queue.length > 0 && dayOf(queue[0]!.ms) <= day;
      const forcedLast = life.churned && day === life.lastDay && day !== user.signupDay;
      const forcedIdle = !life.churned && idleDays >= NON_CHURNED_MAX_IDLE_DAYS;
      const p = day === user.signupDay ? 0.3 : pActive * (isWeekend(day) ? 0.3 : 1);
      if (!(forcedByMilestone || forcedLast || forcedIdle || rng.chance(p))) {
        idleDays++;
        continue;
      }
      idleDays = 0;
      const sessions = 1 + (rng.chance(0.3) ? 1 : 0) + (rng.chance(0.08) ? 1 : 0);
      const localMinute = user.dayStartLocalMinute + rng.int(-45, 240);
      let start =
        day * MS_PER_DAY +
        (localMinute - user.country.utcOffsetMinutes) * MS_PER_MINUTE +
        rng.int(0, 59_999);
      for (let k = 0; k < sessions; k++) {
        if (k > 0) start = prevEnd + idleBetweenSessionsMs(rng);
        start = Math.max(start, prevEnd + MIN_SESSION_SPACING_MS);
        if (start >= endMs) return;
        flushTrial(start);
        const due = takeDue(start, k === sessions - 1, day);
        const end = runSession(start, pickDevice(), due, false);
        if (end === STOP) return;
        prevEnd = end;
      }
    }
  };

  story();
  // A trial that ends after the last session still falls back to free (unless the run ended).
  if (!refused) flushTrial(endMs - 1);
}
