// A user's story before any event is written: which funnel steps they reach and when, whether
// they subscribe, upgrade or cancel, which features they adopt, and on which day they stop
// (churn). Deciding this first keeps the behaviours the analytics must recover explicit and
// tunable: the funnel's step conversions, the experiments' true rates, and churn that rises
// when a user adopts few features and meets many errors.
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, dayOf } from './calendar';
import {
  CANCEL_REASON,
  FEATURES,
  SEATS,
  SEAT_PRICE_USD,
  type CompanySize,
  type Plan,
} from './catalog';
import { clamp, exponential, geometric, pick } from './distributions';
import type { UserProfile, Variant } from './population';
import type { Prng } from './prng';
import type { Timeline } from './timeline';

/** True rates the simulation uses; ground_truth.json reports them next to the observed ones. */
export const ONBOARDING_RATE: Record<Variant, number> = { control: 0.6, treatment: 0.7 };
export const ANNUAL_SHARE: Record<Variant, number> = { control: 0.3, treatment: 0.55 };
export const PROJECT_RATE_AFTER_ONBOARDING = 0.7;
export const INVITE_RATE: Record<CompanySize, number> = {
  '1-10': 0.3,
  '11-50': 0.5,
  '51-200': 0.55,
  '201-1000': 0.58,
  '1000+': 0.6,
};
/** subscription_started probability by signup plan, after an invite / a project only / neither. */
export const SUBSCRIBE_RATE: Record<Plan, readonly [number, number, number]> = {
  free: [0.12, 0.05, 0.01],
  pro: [0.55, 0.25, 0.06],
  enterprise: [0.7, 0.35, 0.1],
};
export const TRIAL_DAYS = 14;
export const UPGRADE_RATE = 0.1;
export const CANCEL_RATE = 0.14;

export interface Subscription {
  ms: number;
  plan: 'pro' | 'enterprise';
  billingPeriod: 'monthly' | 'annual';
  seats: number;
  mrrUsd: number;
}

export interface Lifecycle {
  onboardingMs: number | null;
  projectMs: number | null;
  inviteMs: number | null;
  /** annual_plan_default exposure: the pricing page. */
  pricingMs: number | null;
  subscription: Subscription | null;
  upgrade: { ms: number; mrrUsd: number } | null;
  cancel: { ms: number; reason: string } | null;
  /** Trial users without a subscription fall back to free here (an identify, no event). */
  trialEndMs: number | null;
  /** Per feature (FEATURES order): when the user starts using it; Infinity = never. */
  adoptionMs: Float64Array;
  /** Last day the user may be active (churn day, or the window's end). */
  lastDay: number;
  churned: boolean;
}

const PLAN_INDEX: Record<Plan, number> = { free: 0, pro: 1, enterprise: 2 };
const AI_FEATURE = FEATURES.findIndex((f) => f.name === 'ai_summaries');

function daysMs(rng: Prng, meanDays: number, minDays: number, maxDays: number): number {
  return Math.round(clamp(exponential(rng, meanDays), minDays, maxDays) * MS_PER_DAY);
}

function mrr(plan: 'pro' | 'enterprise', period: 'monthly' | 'annual', seats: number): number {
  return SEAT_PRICE_USD[plan][period] * seats;
}

export function planLifecycle(rng: Prng, user: UserProfile, timeline: Timeline): Lifecycle {
  const end = timeline.endMs;
  const within = (ms: number | null) => (ms !== null && ms < end ? ms : null);
  const s = user.signupMs;

  // Funnel: signed_up → onboarding_completed → project_created → teammate_invited → subscription_started.
  const onboardingMs = rng.chance(ONBOARDING_RATE[user.onboardingVariant])
    ? within(rng.chance(0.6) ? s + rng.int(2, 12) * MS_PER_MINUTE : s + daysMs(rng, 1, 0.3, 4))
    : null;
  let projectMs: number | null = null;
  if (onboardingMs !== null) {
    if (rng.chance(PROJECT_RATE_AFTER_ONBOARDING)) {
      projectMs = within(
        onboardingMs +
          (rng.chance(0.5) ? rng.int(1, 10) * MS_PER_MINUTE : daysMs(rng, 1.5, 0.2, 6)),
      );
    }
  } else if (rng.chance(0.12)) {
    projectMs = within(s + daysMs(rng, 2, 0.1, 8));
  }
  const inviteMs =
    projectMs !== null && rng.chance(INVITE_RATE[user.companySize])
      ? within(
          projectMs + (rng.chance(0.3) ? rng.int(1, 15) * MS_PER_MINUTE : daysMs(rng, 3, 0.3, 12)),
        )
      : null;

  const stage = inviteMs !== null ? 0 : projectMs !== null ? 1 : 2;
  let subscription: Subscription | null = null;
  if (rng.chance(SUBSCRIBE_RATE[user.signupPlan][stage] ?? 0)) {
    const at = within(
      inviteMs !== null ? inviteMs + daysMs(rng, 5, 0.5, 25) : s + daysMs(rng, 8, 1, 35),
    );
    if (at !== null) {
      const plan: 'pro' | 'enterprise' =
        user.signupPlan === 'free' ? (rng.chance(0.85) ? 'pro' : 'enterprise') : user.signupPlan;
      const billingPeriod = rng.chance(ANNUAL_SHARE[user.annualVariant]) ? 'annual' : 'monthly';
      const [lo, hi] = SEATS[user.companySize];
      const seats = rng.int(lo, hi);
      subscription = {
        ms: at,
        plan,
        billingPeriod,
        seats,
        mrrUsd: mrr(plan, billingPeriod, seats),
      };
    }
  }
  let pricingMs: number | null = null;
  if (subscription) pricingMs = subscription.ms - rng.int(1, 8) * MS_PER_MINUTE;
  else if (rng.chance(projectMs !== null ? 0.45 : 0.12))
    pricingMs = within(s + daysMs(rng, 6, 0.2, 30));

  const upgrade =
    subscription?.plan === 'pro' && rng.chance(UPGRADE_RATE)
      ? (() => {
          const at = within(subscription.ms + daysMs(rng, 20, 7, 60));
          return at === null
            ? null
            : { ms: at, mrrUsd: mrr('enterprise', subscription.billingPeriod, subscription.seats) };
        })()
      : null;
  const cancel =
    subscription && rng.chance(CANCEL_RATE)
      ? (() => {
          const at = within(Math.max(subscription.ms, upgrade?.ms ?? 0) + daysMs(rng, 25, 5, 70));
          return at === null ? null : { ms: at, reason: pick(rng, CANCEL_REASON) };
        })()
      : null;
  const trialEnd = s + TRIAL_DAYS * MS_PER_DAY;
  const trialEndMs =
    user.signupPlan !== 'free' && (subscription === null || subscription.ms > trialEnd)
      ? within(trialEnd)
      : null;

  // Feature adoption: by plan, engagement and cohort; premium features open up on subscribing.
  const cohort = (user.signupDay - timeline.startDay) / Math.max(1, timeline.days - 1);
  const aiLaunchMs = timeline.aiLaunchDay * MS_PER_DAY + 15 * MS_PER_HOUR;
  const adoptionMs = new Float64Array(FEATURES.length).fill(Infinity);
  const engagementFactor = clamp(0.55 + 0.5 * user.engagement, 0.6, 1.4);
  FEATURES.forEach((feature, i) => {
    let cohortFactor = 1;
    if (feature.name === 'automations' || feature.name === 'dashboards')
      cohortFactor = 0.8 + 0.4 * cohort;
    if (feature.name === 'gantt_chart') cohortFactor = 1.2 - 0.4 * cohort;
    if (i === AI_FEATURE) cohortFactor = user.signupMs >= aiLaunchMs ? 1.3 : 0.7;
    const factor = engagementFactor * cohortFactor;
    const pSignup = clamp((feature.adoption[PLAN_INDEX[user.signupPlan]] ?? 0) * factor, 0, 0.97);
    const meanDelay = i === 0 ? 0.3 : 6;
    let at = Infinity;
    if (rng.chance(pSignup)) at = s + daysMs(rng, meanDelay, 0, 60);
    else if (subscription && feature.isPremium) {
      const pPaid = clamp((feature.adoption[PLAN_INDEX[subscription.plan]] ?? 0) * factor, 0, 0.97);
      if (rng.chance((pPaid - pSignup) / (1 - pSignup)))
        at = subscription.ms + daysMs(rng, 4, 0, 40);
    }
    if (i === AI_FEATURE && at < aiLaunchMs + MS_PER_HOUR) {
      at = aiLaunchMs + MS_PER_HOUR + daysMs(rng, 5, 0, 45);
    }
    adoptionMs[i] = at;
  });

  // Churn: a daily hazard after the last milestone, higher with few features and many errors.
  let breadth = 0;
  for (const at of adoptionMs) if (at <= s + 21 * MS_PER_DAY) breadth++;
  const milestones = [onboardingMs, projectMs, inviteMs, pricingMs, subscription?.ms ?? null];
  milestones.push(upgrade?.ms ?? null, cancel?.ms ?? null);
  let baseMs = s;
  for (const ms of milestones) if (ms !== null && ms > baseMs) baseMs = ms;
  const baseDay = dayOf(baseMs);
  let lastDay: number;
  const oneAndDone = baseDay === user.signupDay && rng.chance(onboardingMs === null ? 0.28 : 0.04);
  if (oneAndDone) {
    lastDay = user.signupDay;
  } else {
    const breadthFactor = [2.6, 2.6, 1.9, 1.4, 1.1, 0.85][breadth] ?? 0.6;
    const errorFactor = clamp(user.errorPropensity ** 1.3, 0.4, 4);
    const planFactor =
      subscription !== null && cancel === null
        ? subscription.plan === 'enterprise' || upgrade !== null
          ? 0.45
          : 0.65
        : 1.15;
    const hazard =
      0.0045 *
      breadthFactor *
      errorFactor *
      planFactor *
      clamp(1.4 - 0.5 * user.engagement, 0.5, 1.2) *
      (onboardingMs === null ? 1.8 : 1) *
      (cancel !== null ? 4 : 1);
    lastDay = baseDay + 1 + geometric(rng, clamp(hazard, 0.0005, 0.9));
  }
  const churned = lastDay < timeline.endDay;
  return {
    onboardingMs,
    projectMs,
    inviteMs,
    pricingMs,
    subscription,
    upgrade,
    cancel,
    trialEndMs,
    adoptionMs,
    lastDay: Math.min(lastDay, timeline.endDay),
    churned,
  };
}
