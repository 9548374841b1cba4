// What the generator knows that the data only implies: the experiments' true rates, the anomaly
// windows, who churned — plus what was actually written (counts, funnel, observed experiment
// outcomes, the anomalies' magnitude), so tests and evaluations can compare an analysis with
// the truth. Observed figures are counted from the emitted events, not from the plans, so they
// match the files exactly (the last, cut-short user included).
import { MS_PER_DAY, dayOf, formatDay } from './calendar';
import { EVENT_NAMES, FEATURES, type EventName, type Plan } from './catalog';
import { ANNUAL_SHARE, ONBOARDING_RATE, type Lifecycle } from './lifecycle';
import type { UserProfile, Variant } from './population';
import { EXPERIMENT_ANNUAL, EXPERIMENT_ONBOARDING, type SimEvent } from './simulate-user';
import type { Timeline } from './timeline';

export interface GenerateArguments {
  events: number;
  seed: number;
  days: number;
  endDate: string;
  endAtMs?: number;
}

const FUNNEL: readonly EventName[] = [
  'signed_up',
  'onboarding_completed',
  'project_created',
  'teammate_invited',
  'subscription_started',
];
const FUNNEL_WINDOW_MS = 14 * MS_PER_DAY;
const EVENT_INDEX = new Map<string, number>(EVENT_NAMES.map((name, i) => [name, i]));
const VARIANTS: readonly Variant[] = ['control', 'treatment'];
const PLAN_LIST: readonly Plan[] = ['free', 'pro', 'enterprise'];

interface VariantTally {
  exposed: number;
  converted: number;
  annual: number;
}

const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const rate = (num: number, den: number) => (den === 0 ? null : round(num / den));

export class GroundTruthCollector {
  private readonly eventsByName = new Array<number>(EVENT_NAMES.length).fill(0);
  private readonly funnelAny = new Array<number>(FUNNEL.length).fill(0);
  private readonly funnel14d = new Array<number>(FUNNEL.length).fill(0);
  private readonly onboarding: Record<Variant, VariantTally> = {
    control: { exposed: 0, converted: 0, annual: 0 },
    treatment: { exposed: 0, converted: 0, annual: 0 },
  };
  private readonly annual: Record<Variant, VariantTally> = {
    control: { exposed: 0, converted: 0, annual: 0 },
    treatment: { exposed: 0, converted: 0, annual: 0 },
  };
  private readonly signupPlans = new Map<Plan, number>();
  private readonly currentPlans = new Map<Plan, number>();
  private readonly activeMrr = new Map<Plan, number>();
  private readonly errorsSpikeSegment: Int32Array;
  private readonly errorsSpikePlatform: Int32Array;
  private readonly reports: Int32Array;
  private readonly churned: Array<{ user_id: string; churned_at: string }> = [];
  private users = 0;
  private anonymousEvents = 0;
  private identifies = 0;
  private truncatedUserId: string | null = null;

  // Per-user state (users are written one after the other).
  private user: UserProfile | undefined;
  private life: Lifecycle | undefined;
  private stage = 0;
  private stage14 = 0;
  private signupMs = 0;
  private onboardingExposed = false;
  private onboardingConverted = false;
  private annualExposed = false;
  private annualConverted = false;
  private annualBilling = false;
  private plan: Plan = 'free';
  private mrr = 0;
  private lastMs = 0;
  private signedUp = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly args: GenerateArguments,
  ) {
    const days = timeline.days;
    this.errorsSpikeSegment = new Int32Array(days);
    this.errorsSpikePlatform = new Int32Array(days);
    this.reports = new Int32Array(days);
  }

  beginUser(user: UserProfile, life: Lifecycle): void {
    this.user = user;
    this.life = life;
    this.stage = 0;
    this.stage14 = 0;
    this.onboardingExposed = false;
    this.onboardingConverted = false;
    this.annualExposed = false;
    this.annualConverted = false;
    this.annualBilling = false;
    this.plan = user.signupPlan;
    this.mrr = 0;
    this.signedUp = false;
  }

  onEvent(e: SimEvent): void {
    this.eventsByName[EVENT_INDEX.get(e.name) ?? 0]!++;
    this.lastMs = e.ms;
    if (e.userId === null) {
      this.anonymousEvents++;
      return;
    }
    // Ordered funnel: each step counts once, after the previous one.
    if (this.stage < FUNNEL.length && e.name === FUNNEL[this.stage]) {
      if (this.stage === 0) this.signupMs = e.ms;
      this.stage++;
      this.funnelAny[this.stage - 1]!++;
      if (this.stage14 === this.stage - 1 && e.ms - this.signupMs <= FUNNEL_WINDOW_MS) {
        this.stage14++;
        this.funnel14d[this.stage14 - 1]!++;
      }
    }
    const dayIndex = dayOf(e.ms) - this.timeline.startDay;
    switch (e.name) {
      case 'signed_up':
        this.signedUp = true;
        break;
      case 'experiment_exposed':
        if (e.properties.includes(EXPERIMENT_ONBOARDING)) this.onboardingExposed = true;
        else if (e.properties.includes(EXPERIMENT_ANNUAL)) this.annualExposed = true;
        break;
      case 'onboarding_completed':
        if (this.onboardingExposed) this.onboardingConverted = true;
        break;
      case 'subscription_started':
        this.mrr = this.life!.subscription!.mrrUsd;
        if (this.annualExposed && !this.annualConverted) {
          this.annualConverted = true;
          this.annualBilling = e.tag === 'annual';
        }
        break;
      case 'subscription_upgraded':
        this.mrr = this.life!.upgrade!.mrrUsd;
        break;
      case 'subscription_cancelled':
        this.mrr = 0;
        break;
      case 'error_occurred': {
        const spike = this.timeline.errorSpike;
        if (
          e.context.platform === spike.platform &&
          dayIndex >= 0 &&
          dayIndex < this.timeline.days
        ) {
          this.errorsSpikePlatform[dayIndex]!++;
          if (e.context.appVersion === spike.appVersion) this.errorsSpikeSegment[dayIndex]!++;
        }
        break;
      }
      case 'report_exported':
        if (dayIndex >= 0 && dayIndex < this.timeline.days) this.reports[dayIndex]!++;
        break;
      default:
        break;
    }
  }

  /** identify calls carry the plan: the last one is the user's current plan. */
  onIdentify(plan: Plan): void {
    this.identifies++;
    this.plan = plan;
  }

  /** `truncated`: the run reached N events inside this user's story. */
  endUser(truncated: boolean): void {
    const user = this.user!;
    if (truncated) this.truncatedUserId = user.userId;
    if (!this.signedUp) return;
    this.users++;
    bump(this.signupPlans, user.signupPlan);
    const life = this.life!;
    const plan = this.plan;
    bump(this.currentPlans, plan);
    if (this.mrr > 0) this.activeMrr.set(plan, (this.activeMrr.get(plan) ?? 0) + this.mrr);
    const ob = this.onboarding[user.onboardingVariant];
    if (this.onboardingExposed) {
      ob.exposed++;
      if (this.onboardingConverted) ob.converted++;
    }
    const an = this.annual[user.annualVariant];
    if (this.annualExposed) {
      an.exposed++;
      if (this.annualConverted) an.converted++;
      if (this.annualBilling) an.annual++;
    }
    if (life.churned && !truncated) {
      this.churned.push({ user_id: user.userId, churned_at: formatDay(dayOf(this.lastMs)) });
    }
  }

  /** The ground_truth.json document (key order fixed). */
  build(totals: { events: number; identifies: number }) {
    const t = this.timeline;
    const spike = t.errorSpike;
    const drop = t.reportDrop;
    const day = (d: number) => formatDay(d);
    const series = (values: Int32Array, from: number, to: number) => {
      const out: Array<{ date: string; count: number }> = [];
      for (let d = Math.max(from, t.startDay); d <= Math.min(to, t.endDay); d++) {
        out.push({ date: day(d), count: values[d - t.startDay] ?? 0 });
      }
      return out;
    };
    const mean = (values: Int32Array, days: number[]) => {
      const inWindow = days.filter((d) => d >= t.startDay && d <= t.endDay);
      if (inWindow.length === 0) return null;
      return round(
        inWindow.reduce((a, d) => a + (values[d - t.startDay] ?? 0), 0) / inWindow.length,
        2,
      );
    };
    const spikeDays: number[] = [];
    for (let d = spike.startDay; d <= spike.endDay; d++) spikeDays.push(d);
    const spikeBaselineDays = [1, 2, 3, 4, 5, 6, 7].map((k) => spike.startDay - k);
    const dropBaselineDays = [7, 14, 21, 28].map((k) => drop.day - k);
    const spikeObserved = mean(this.errorsSpikePlatform, spikeDays);
    const spikeBaseline = mean(this.errorsSpikePlatform, spikeBaselineDays);
    const dropObserved = this.reports[drop.day - t.startDay] ?? 0;
    const dropBaseline = mean(this.reports, dropBaselineDays);

    const experiment = (
      tallies: Record<Variant, VariantTally>,
      trueRate: Record<Variant, number>,
      withAnnual: boolean,
    ) =>
      Object.fromEntries(
        VARIANTS.map((v) => {
          const x = tallies[v];
          const base = {
            exposed_users: x.exposed,
            converted_users: x.converted,
            observed_conversion_rate: rate(x.converted, x.exposed),
          };
          return [
            v,
            withAnnual
              ? {
                  ...base,
                  true_annual_share: trueRate[v],
                  annual_subscriptions: x.annual,
                  observed_annual_share: rate(x.annual, x.converted),
                }
              : { true_conversion_rate: trueRate[v], ...base },
          ];
        }),
      );

    const planCounts = (m: Map<Plan, number>) =>
      Object.fromEntries(PLAN_LIST.map((p) => [p, m.get(p) ?? 0]));

    return {
      generator: 'orbit',
      arguments: {
        events: this.args.events,
        seed: this.args.seed,
        days: this.args.days,
        end_date: this.args.endDate,
        ...(this.args.endAtMs === undefined
          ? {}
          : { end_at: new Date(this.args.endAtMs).toISOString() }),
      },
      window: {
        start_date: day(t.startDay),
        end_date: day(t.endDay),
        end_at: new Date(t.endMs).toISOString(),
      },
      output_order:
        'events.ndjson and identifies.ndjson hold users one after the other (in generation order); each user’s lines are in time order',
      counts: {
        users: this.users,
        events: totals.events,
        anonymous_events: this.anonymousEvents,
        identifies: totals.identifies,
        events_by_name: Object.fromEntries(
          EVENT_NAMES.map((n, i) => [n, this.eventsByName[i] ?? 0]),
        ),
        signup_plan: planCounts(this.signupPlans),
        current_plan: planCounts(this.currentPlans),
        active_mrr_usd_by_plan: planCounts(this.activeMrr),
      },
      funnel: {
        steps: FUNNEL,
        users_any_time: this.funnelAny,
        users_within_14_days: this.funnel14d,
      },
      experiments: {
        [EXPERIMENT_ONBOARDING]: {
          exposure: 'experiment_exposed right after signed_up (every new user)',
          metric: 'onboarding_completed after exposure',
          true_effect: {
            metric: 'onboarding_completed rate',
            control: ONBOARDING_RATE.control,
            treatment: ONBOARDING_RATE.treatment,
            absolute_lift: round(ONBOARDING_RATE.treatment - ONBOARDING_RATE.control),
          },
          variants: experiment(this.onboarding, ONBOARDING_RATE, false),
        },
        [EXPERIMENT_ANNUAL]: {
          exposure:
            'experiment_exposed on the billing page (before subscribing, and for some visitors who do not)',
          metric:
            'subscription_started after exposure; annual billing share among those subscriptions',
          true_effect: {
            metric: 'annual billing share of new subscriptions',
            control: ANNUAL_SHARE.control,
            treatment: ANNUAL_SHARE.treatment,
            absolute_lift: round(ANNUAL_SHARE.treatment - ANNUAL_SHARE.control),
            conversion_lift: 0,
          },
          variants: experiment(this.annual, ANNUAL_SHARE, true),
        },
      },
      anomalies: {
        error_spike: {
          event: spike.event,
          app_version: spike.appVersion,
          platform: spike.platform,
          start_date: day(spike.startDay),
          end_date: day(spike.endDay),
          multiplier: spike.multiplier,
          dominant_error_code: 'BOARD_RENDER_CRASH',
          hotfix_version: '3.4.1',
          observed: {
            platform_errors_per_day_in_window: spikeObserved,
            platform_errors_per_day_7_days_before: spikeBaseline,
            ratio:
              spikeObserved !== null && spikeBaseline
                ? round(spikeObserved / spikeBaseline, 2)
                : null,
            daily_platform_errors: series(
              this.errorsSpikePlatform,
              spike.startDay - 7,
              spike.endDay + 7,
            ),
            daily_segment_errors: series(
              this.errorsSpikeSegment,
              spike.startDay - 3,
              spike.endDay + 3,
            ),
          },
        },
        report_export_drop: {
          event: drop.event,
          date: day(drop.day),
          factor: drop.factor,
          observed: {
            exports_on_date: dropObserved,
            exports_same_weekday_4_weeks_before_mean: dropBaseline,
            ratio: dropBaseline ? round(dropObserved / dropBaseline, 2) : null,
            daily_exports: series(this.reports, drop.day - 7, drop.day + 7),
          },
        },
      },
      churn: {
        definition:
          'the simulation stopped the user (no events after churned_at); users stopping in the last days of the window are churned but look merely quiet',
        churned_users: this.churned.length,
        churned_user_ids: this.churned.map((c) => c.user_id),
        churned_at_by_user_id: Object.fromEntries(
          this.churned.map((c) => [c.user_id, c.churned_at]),
        ),
      },
      truncated_user_id: this.truncatedUserId,
      features: FEATURES.map((f) => ({
        feature_name: f.name,
        category: f.category,
        launched_at: f.launchedAt ?? day(t.aiLaunchDay),
        is_premium: f.isPremium,
      })),
      app_releases: t.releases.map((r) => ({ version: r.version, released_at: day(r.releaseDay) })),
    };
  }
}

function bump(map: Map<Plan, number>, plan: Plan): void {
  map.set(plan, (map.get(plan) ?? 0) + 1);
}
