// Who the users are: one profile per user, drawn from the user's own stream. Users are i.i.d.
// given the window — a profile never depends on another user — which is what lets generate.ts
// add users one at a time until it has exactly N events (see generate.ts).
import { MS_PER_DAY, MS_PER_MINUTE, isWeekend } from './calendar';
import {
  ANDROID_DEVICE,
  CHANNEL,
  COMPANY_SIZE,
  COUNTRY,
  DESKTOP_OS,
  INDUSTRY,
  IOS_DEVICE,
  MOBILE_WEB_OS,
  PLATFORM,
  SIGNUP_METHOD,
  SIGNUP_PLAN,
  WEB_DEVICE,
  type CompanySize,
  type CountryInfo,
  type Device,
  type Plan,
  type Platform,
} from './catalog';
import {
  clamp,
  geometric,
  logNormal,
  normal,
  pick,
  weighted,
  type WeightedTable,
} from './distributions';
import { mix32, type Prng } from './prng';
import type { Timeline } from './timeline';

export type Variant = 'control' | 'treatment';

export interface UserProfile {
  index: number;
  userId: string;
  anonymousId: string;
  /** Bijective per-user prefix of session ids (unique by construction). */
  sessionPrefix: string;
  signupMs: number;
  signupDay: number;
  signupPlan: Plan;
  companySize: CompanySize;
  industry: string;
  country: CountryInfo;
  locale: string;
  signupMethod: string;
  channel: string;
  primary: Device;
  secondary: Device | null;
  /** Share of sessions on the secondary device. */
  secondaryShare: number;
  /** Days a mobile client lags behind each release (web is always current). */
  mobileLagDays: number;
  /** 0.4 … 1.8: drives activity, session length, adoption and (inversely) churn. */
  engagement: number;
  /** Median 1: multiplies the error rate the user meets; drives churn. */
  errorPropensity: number;
  /** Local minute of the day when the working day usually starts. */
  dayStartLocalMinute: number;
  onboardingVariant: Variant;
  annualVariant: Variant;
}

/** Signup days: weekdays weigh 1.6 against 1.0 on weekends, with mild growth over the window. */
export function signupDayTable(timeline: Timeline): WeightedTable<number> {
  const entries: Array<readonly [number, number]> = [];
  for (let d = timeline.startDay; d <= timeline.endDay; d++) {
    const growth = 1 + (0.25 * (d - timeline.startDay)) / Math.max(1, timeline.days - 1);
    entries.push([d, (isWeekend(d) ? 1 : 1.6) * growth]);
  }
  return weighted(entries);
}

function hex32(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

export function userIdFor(index: number): string {
  return `u_${String(index + 1).padStart(6, '0')}`;
}

function deviceFor(rng: Prng, platform: Platform): Device {
  if (platform === 'ios') {
    const deviceType = pick(rng, IOS_DEVICE);
    return { platform, deviceType, os: deviceType === 'tablet' ? 'iPadOS' : 'iOS', browser: null };
  }
  if (platform === 'android') {
    return { platform, deviceType: pick(rng, ANDROID_DEVICE), os: 'Android', browser: null };
  }
  const deviceType = pick(rng, WEB_DEVICE);
  if (deviceType === 'desktop') {
    const os = pick(rng, DESKTOP_OS);
    const r = rng.next();
    const browser =
      os === 'macOS'
        ? r < 0.62
          ? 'Chrome'
          : r < 0.9
            ? 'Safari'
            : 'Firefox'
        : os === 'Windows'
          ? r < 0.68
            ? 'Chrome'
            : r < 0.9
              ? 'Edge'
              : 'Firefox'
          : r < 0.6
            ? 'Chrome'
            : 'Firefox';
    return { platform, deviceType, os, browser };
  }
  const os = deviceType === 'tablet' ? 'iPadOS' : pick(rng, MOBILE_WEB_OS);
  const browser = os === 'Android' ? 'Chrome' : rng.chance(0.8) ? 'Safari' : 'Chrome';
  return { platform, deviceType, os, browser };
}

export function createUser(
  rng: Prng,
  index: number,
  runSalt: number,
  timeline: Timeline,
  signupDays: WeightedTable<number>,
): UserProfile {
  const country = pick(rng, COUNTRY);
  const signupDay = pick(rng, signupDays);
  // Local time of signup: mostly working hours; wrapped into the drawn UTC day.
  const localMinute = clamp(Math.round(13.5 * 60 + normal(rng) * 200), 6 * 60, 23 * 60);
  const utcMinute = (((localMinute - country.utcOffsetMinutes) % 1440) + 1440) % 1440;
  const signupMs = signupDay * MS_PER_DAY + utcMinute * MS_PER_MINUTE + rng.int(0, 59_999);

  const platform = pick(rng, PLATFORM);
  const primary = deviceFor(rng, platform);
  let secondary: Device | null = null;
  if (rng.chance(0.35)) {
    const other: Platform = platform === 'web' ? (rng.chance(0.55) ? 'ios' : 'android') : 'web';
    secondary = deviceFor(rng, other);
  }
  const localeTable = weighted(country.locales);
  return {
    index,
    userId: userIdFor(index),
    anonymousId: `a_${hex32(mix32(index ^ runSalt))}${rng.hex(8)}`,
    sessionPrefix: `s_${hex32(mix32((index ^ mix32(runSalt)) >>> 0))}`,
    signupMs,
    signupDay,
    signupPlan: pick(rng, SIGNUP_PLAN),
    companySize: pick(rng, COMPANY_SIZE),
    industry: pick(rng, INDUSTRY),
    country,
    locale: pick(rng, localeTable),
    signupMethod: pick(rng, SIGNUP_METHOD),
    channel: pick(rng, CHANNEL),
    primary,
    secondary,
    secondaryShare: secondary ? 0.1 + rng.next() * 0.25 : 0,
    mobileLagDays: Math.min(12, geometric(rng, 0.45)),
    engagement: clamp(logNormal(rng, 0.95, 0.4), 0.4, 1.8),
    errorPropensity: clamp(logNormal(rng, 1, 0.55), 0.25, 5),
    dayStartLocalMinute: clamp(Math.round(9 * 60 + normal(rng) * 60), 6 * 60, 12 * 60),
    onboardingVariant: rng.chance(0.5) ? 'treatment' : 'control',
    annualVariant: rng.chance(0.5) ? 'treatment' : 'control',
  };
}
