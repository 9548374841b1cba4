// The simulated product "Orbit" as data: the event names, properties' value sets, features,
// plans, prices and geography of telemetry-model.md section 4. Names here are the data contract;
// the simulation's behavioural parameters live next to the code that uses them.
import { weighted } from './distributions';

export const EVENT_NAMES = [
  'signed_up',
  'logged_in',
  'page_viewed',
  'onboarding_completed',
  'project_created',
  'feature_used',
  'teammate_invited',
  'report_exported',
  'search_performed',
  'error_occurred',
  'subscription_started',
  'subscription_upgraded',
  'subscription_cancelled',
  'experiment_exposed',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/**
 * What each event means, as the demo workspace's schema registry describes it on first start (the
 * catalog shows it; Ask learns the "Also called" words as synonyms, server/ask/ask-synonyms.ts).
 */
export const EVENT_DESCRIPTIONS: Record<EventName, string> = {
  signed_up:
    'A new Orbit account was created (signup_method: email, google or github; channel: organic, paid, referral or partner). Also called registrations.',
  logged_in: 'A user signed in to Orbit (method: how they authenticated). Also called sign-ins.',
  page_viewed:
    'A page of the app was shown (page; duration_ms spent on it). Also called pageviews, screen views.',
  onboarding_completed: 'The user finished the onboarding checklist (steps_completed).',
  project_created: 'A project was created from a template (blank, kanban or roadmap).',
  feature_used:
    'A product feature was used (feature_name: one of dim_features; duration_ms of use).',
  teammate_invited:
    'A user invited a colleague to their workspace (invitee_role). Also called invitations.',
  report_exported:
    'A report was exported to a file (format: csv, pdf or xlsx). Also called downloads.',
  search_performed: 'A search in the app (results_count: how many results it found).',
  error_occurred:
    'An error the user met (error_code; error_type: client, server or network). Also called failures.',
  subscription_started:
    'A paid subscription began (plan, billing_period monthly or annual, mrr_usd). Also called purchases.',
  subscription_upgraded: 'A subscription moved to a higher plan (from_plan, to_plan, mrr_usd).',
  subscription_cancelled: 'A subscription was cancelled (plan, reason).',
  experiment_exposed: 'A user was shown a variant of an experiment (experiment_key, variant).',
};

export type Plan = 'free' | 'pro' | 'enterprise';
export const PLANS: readonly Plan[] = ['free', 'pro', 'enterprise'];
export const SIGNUP_PLAN = weighted<Plan>([
  ['free', 70],
  ['pro', 25],
  ['enterprise', 5],
]);

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1000+'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];
export const COMPANY_SIZE = weighted<CompanySize>([
  ['1-10', 38],
  ['11-50', 30],
  ['51-200', 18],
  ['201-1000', 9],
  ['1000+', 5],
]);
/** Seats billed per subscription, [min, max] by company size. */
export const SEATS: Record<CompanySize, readonly [number, number]> = {
  '1-10': [2, 8],
  '11-50': [5, 30],
  '51-200': [15, 80],
  '201-1000': [40, 250],
  '1000+': [100, 600],
};

export const INDUSTRY = weighted([
  ['software', 32],
  ['finance', 14],
  ['healthcare', 12],
  ['education', 14],
  ['retail', 14],
  ['manufacturing', 14],
] as const);

export interface CountryInfo {
  code: string;
  /** Locales with weights; the first is the usual one. */
  locales: ReadonlyArray<readonly [string, number]>;
  /** UTC offset in minutes of the working day (no DST: a simulation, not a calendar). */
  utcOffsetMinutes: number;
}

export const COUNTRIES: readonly CountryInfo[] = [
  {
    code: 'US',
    locales: [
      ['en-US', 92],
      ['es-US', 8],
    ],
    utcOffsetMinutes: -300,
  },
  {
    code: 'DE',
    locales: [
      ['de-DE', 88],
      ['en-GB', 12],
    ],
    utcOffsetMinutes: 60,
  },
  { code: 'GB', locales: [['en-GB', 100]], utcOffsetMinutes: 0 },
  {
    code: 'IN',
    locales: [
      ['en-IN', 85],
      ['hi-IN', 15],
    ],
    utcOffsetMinutes: 330,
  },
  {
    code: 'BR',
    locales: [
      ['pt-BR', 95],
      ['en-US', 5],
    ],
    utcOffsetMinutes: -180,
  },
  {
    code: 'FR',
    locales: [
      ['fr-FR', 93],
      ['en-GB', 7],
    ],
    utcOffsetMinutes: 60,
  },
  {
    code: 'JP',
    locales: [
      ['ja-JP', 96],
      ['en-US', 4],
    ],
    utcOffsetMinutes: 540,
  },
  {
    code: 'CA',
    locales: [
      ['en-CA', 78],
      ['fr-CA', 22],
    ],
    utcOffsetMinutes: -300,
  },
  { code: 'AU', locales: [['en-AU', 100]], utcOffsetMinutes: 600 },
  {
    code: 'NL',
    locales: [
      ['nl-NL', 82],
      ['en-GB', 18],
    ],
    utcOffsetMinutes: 60,
  },
];
export const COUNTRY = weighted<CountryInfo>(
  [30, 12, 10, 10, 7, 7, 6, 7, 5, 6].map((w, i) => [COUNTRIES[i] as CountryInfo, w] as const),
);

export type Platform = 'web' | 'ios' | 'android';
export const PLATFORM = weighted<Platform>([
  ['web', 62],
  ['ios', 21],
  ['android', 17],
]);
export type DeviceType = 'desktop' | 'mobile' | 'tablet';

/** A device the user runs Orbit on: fixed per user and platform. */
export interface Device {
  platform: Platform;
  deviceType: DeviceType;
  os: string;
  browser: string | null;
}

export const WEB_DEVICE = weighted<DeviceType>([
  ['desktop', 90],
  ['mobile', 6],
  ['tablet', 4],
]);
export const IOS_DEVICE = weighted<DeviceType>([
  ['mobile', 80],
  ['tablet', 20],
]);
export const ANDROID_DEVICE = weighted<DeviceType>([
  ['mobile', 88],
  ['tablet', 12],
]);
export const DESKTOP_OS = weighted([
  ['macOS', 46],
  ['Windows', 44],
  ['Linux', 10],
] as const);
export const MOBILE_WEB_OS = weighted([
  ['iOS', 55],
  ['Android', 45],
] as const);

export const SIGNUP_METHOD = weighted([
  ['email', 50],
  ['google', 38],
  ['github', 12],
] as const);
export const CHANNEL = weighted([
  ['organic', 45],
  ['paid', 25],
  ['referral', 18],
  ['partner', 12],
] as const);
export const TEMPLATE = weighted([
  ['blank', 45],
  ['kanban', 35],
  ['roadmap', 20],
] as const);
export const INVITEE_ROLE = weighted([
  ['member', 70],
  ['admin', 12],
  ['viewer', 12],
  ['guest', 6],
] as const);
export const REPORT_FORMAT = weighted([
  ['csv', 45],
  ['pdf', 35],
  ['xlsx', 20],
] as const);
export const CANCEL_REASON = weighted([
  ['too_expensive', 34],
  ['missing_features', 22],
  ['switched_competitor', 16],
  ['no_longer_needed', 20],
  ['other', 8],
] as const);

export interface ErrorCode {
  code: string;
  type: 'client' | 'server' | 'network';
}
export const ERROR_CODES = weighted<ErrorCode>([
  [{ code: 'NETWORK_TIMEOUT', type: 'network' }, 24],
  [{ code: 'HTTP_500', type: 'server' }, 14],
  [{ code: 'HTTP_502', type: 'server' }, 6],
  [{ code: 'HTTP_503', type: 'server' }, 5],
  [{ code: 'HTTP_429', type: 'server' }, 7],
  [{ code: 'HTTP_403', type: 'server' }, 6],
  [{ code: 'JS_TYPE_ERROR', type: 'client' }, 12],
  [{ code: 'SYNC_CONFLICT', type: 'client' }, 9],
  [{ code: 'UPLOAD_FAILED', type: 'network' }, 7],
  [{ code: 'WEBSOCKET_DISCONNECTED', type: 'network' }, 6],
  [{ code: 'VALIDATION_FAILED', type: 'client' }, 4],
]);
/** The crash that the injected error spike consists of (see timeline.ts). */
export const SPIKE_ERROR: ErrorCode = { code: 'BOARD_RENDER_CRASH', type: 'client' };

export interface PageInfo {
  page: string;
  path: string;
}
/** In-app pages with how often they are viewed. */
export const APP_PAGES = weighted<PageInfo>([
  [{ page: 'projects', path: '/projects' }, 24],
  [{ page: 'board', path: '/board' }, 22],
  [{ page: 'my_tasks', path: '/my-tasks' }, 14],
  [{ page: 'inbox', path: '/inbox' }, 9],
  [{ page: 'timeline', path: '/timeline' }, 6],
  [{ page: 'reports', path: '/reports' }, 8],
  [{ page: 'dashboards', path: '/dashboards' }, 5],
  [{ page: 'settings', path: '/settings' }, 4],
  [{ page: 'team', path: '/settings/team' }, 3],
  [{ page: 'integrations', path: '/settings/integrations' }, 2],
  [{ page: 'billing', path: '/settings/billing' }, 1.5],
  [{ page: 'search', path: '/search' }, 1.5],
]);
/** Marketing pages seen before signup (anonymous visits). */
export const MARKETING_PAGES = weighted<PageInfo>([
  [{ page: 'home', path: '/' }, 40],
  [{ page: 'pricing', path: '/pricing' }, 25],
  [{ page: 'features', path: '/features' }, 20],
  [{ page: 'blog', path: '/blog' }, 10],
  [{ page: 'customers', path: '/customers' }, 5],
]);
export const PAGE_SIGNUP: PageInfo = { page: 'signup', path: '/signup' };
export const PAGE_ONBOARDING: PageInfo = { page: 'onboarding', path: '/onboarding' };
export const PAGE_BILLING: PageInfo = { page: 'billing', path: '/settings/billing' };
export const PAGE_REPORTS: PageInfo = { page: 'reports', path: '/reports' };
export const PAGE_PROJECTS: PageInfo = { page: 'projects', path: '/projects' };
export const PAGE_TEAM: PageInfo = { page: 'team', path: '/settings/team' };
export const PAGE_SEARCH: PageInfo = { page: 'search', path: '/search' };

export interface FeatureInfo {
  name: string;
  category: string;
  isPremium: boolean;
  /** Launch date relative to the window: null = long before it; 'mid' = mid-window. */
  launch: 'before' | 'mid';
  launchedAt: string | null;
  path: string;
  /** Adoption probability by plan (free, pro, enterprise) for an average user. */
  adoption: readonly [number, number, number];
  /** Share of this feature among the feature_used events of a user who adopted it. */
  usageWeight: number;
}

export const FEATURES: readonly FeatureInfo[] = [
  f('kanban_board', 'planning', false, '2023-03-01', '/board', [0.85, 0.9, 0.9], 1.8),
  f('gantt_chart', 'planning', true, '2023-09-12', '/timeline', [0.06, 0.45, 0.6], 1.2),
  f('time_tracking', 'tracking', false, '2024-02-20', '/time', [0.25, 0.4, 0.45], 1.0),
  f('bulk_edit', 'productivity', false, '2024-05-07', '/projects', [0.3, 0.45, 0.5], 0.6),
  f('automations', 'productivity', true, '2024-09-17', '/automations', [0.04, 0.35, 0.55], 0.8),
  f('custom_fields', 'customization', false, '2024-01-16', '/projects', [0.3, 0.5, 0.6], 0.7),
  f('dashboards', 'reporting', false, '2024-11-05', '/dashboards', [0.25, 0.5, 0.65], 1.0),
  f('api_access', 'platform', true, '2023-06-01', '/settings/api', [0.02, 0.12, 0.4], 0.5),
  f(
    'integrations_slack',
    'integrations',
    false,
    '2023-08-22',
    '/settings/integrations',
    [0.2, 0.35, 0.45],
    0.4,
  ),
  f(
    'integrations_github',
    'integrations',
    false,
    '2024-03-12',
    '/settings/integrations',
    [0.12, 0.25, 0.3],
    0.5,
  ),
  f('ai_summaries', 'ai', true, null, '/projects', [0.08, 0.45, 0.55], 0.9),
  f('guest_access', 'collaboration', true, '2025-02-04', '/settings/team', [0.03, 0.2, 0.4], 0.3),
];

function f(
  name: string,
  category: string,
  isPremium: boolean,
  launchedAt: string | null,
  path: string,
  adoption: readonly [number, number, number],
  usageWeight: number,
): FeatureInfo {
  return {
    name,
    category,
    isPremium,
    launch: launchedAt === null ? 'mid' : 'before',
    launchedAt,
    path,
    adoption,
    usageWeight,
  };
}

/** USD per seat and month, by plan and billing period (annual is discounted). */
export const SEAT_PRICE_USD: Record<'pro' | 'enterprise', { monthly: number; annual: number }> = {
  pro: { monthly: 15, annual: 12 },
  enterprise: { monthly: 40, annual: 32 },
};

export const LOGIN_METHOD = weighted([
  ['password', 46],
  ['google', 34],
  ['github', 10],
  ['sso', 4],
  ['magic_link', 6],
] as const);
