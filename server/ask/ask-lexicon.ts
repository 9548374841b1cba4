// What the offline planner recognises in a question: the marts' dimensions (fixed by the data
// contract, shared/design/telemetry-model.md) and the workspace's own words — its event names and
// the values of its categorical columns and event properties, read from the data. Built by
// `buildLexicon` (pure) from what `loadLexiconData` reads; the planner (ask-planner.ts) only
// matches against it, so a workspace with other events and values gets other answers.
import type { QueryColumn, QueryDialect, QueryEngine } from '../query/query-engine';
import { sqlIdent, sqlString } from '../query/sql-quote';
import { EMPTY_VOCABULARY, type Vocabulary } from './ask-synonyms';

export type MartTable =
  | 'fact_events'
  | 'dim_users'
  | 'fct_sessions'
  | 'fct_subscriptions'
  | 'fct_experiment_exposures'
  | 'dim_features';

/** A column to filter or group on: a mart column, or a key inside an event's properties. */
export interface ColumnRef {
  table: MartTable;
  column: string;
  /**
   * A key of `properties` (fact_events) of this event, e.g. report_exported.format. `column` is
   * then 'properties' (read with json_extract_string), or the typed column that holds the
   * property (export_format): the same values on the event's rows, null on other events.
   */
  property?: { event: string; key: string };
}

export interface Dimension {
  id: string;
  /** Words that name it in a question ("device", "device type"). */
  words: string[];
  /** Where it lives, best first (the planner takes the first the metric's table can reach). */
  columns: ColumnRef[];
  /** Grouping on it implies this event (feature_name → feature_used). */
  impliesEvent?: string;
}

/** The contract's dimensions; property dimensions are added from the data. */
export const DIMENSIONS: Dimension[] = [
  {
    id: 'plan',
    words: ['plan', 'plans', 'tier', 'tiers', 'pricing plan'],
    columns: [
      { table: 'dim_users', column: 'plan' },
      { table: 'fct_subscriptions', column: 'plan' },
    ],
  },
  {
    id: 'platform',
    words: ['platform', 'platforms'],
    columns: [
      { table: 'fact_events', column: 'platform' },
      { table: 'fct_sessions', column: 'platform' },
      { table: 'dim_users', column: 'platform' },
    ],
  },
  {
    id: 'country',
    words: ['country', 'countries', 'geography', 'market', 'markets'],
    columns: [
      { table: 'dim_users', column: 'country' },
      { table: 'fact_events', column: 'country' },
      { table: 'fct_sessions', column: 'country' },
    ],
  },
  {
    id: 'device_type',
    words: ['device type', 'device types', 'device', 'devices'],
    columns: [
      { table: 'fact_events', column: 'device_type' },
      { table: 'fct_sessions', column: 'device_type' },
    ],
  },
  {
    id: 'event_name',
    words: [
      'event type',
      'event types',
      'type of event',
      'kind of event',
      'event name',
      'event',
      'events',
      'type',
      'kind',
    ],
    columns: [{ table: 'fact_events', column: 'event_name' }],
  },
  {
    id: 'feature_name',
    words: ['feature', 'features'],
    columns: [{ table: 'fact_events', column: 'feature_name' }],
    impliesEvent: 'feature_used',
  },
  {
    // dim_features, joined to feature_used events by feature_name.
    id: 'feature_category',
    words: ['feature category', 'feature categories', 'category', 'categories'],
    columns: [{ table: 'dim_features', column: 'category' }],
    impliesEvent: 'feature_used',
  },
  {
    id: 'is_premium',
    words: [],
    columns: [{ table: 'dim_features', column: 'is_premium' }],
    impliesEvent: 'feature_used',
  },
  {
    id: 'os',
    words: ['operating system', 'operating systems', 'os'],
    columns: [{ table: 'fact_events', column: 'os' }],
  },
  {
    id: 'browser',
    words: ['browser', 'browsers', 'web browser'],
    columns: [{ table: 'fact_events', column: 'browser' }],
  },
  {
    id: 'error_code',
    words: ['error code', 'error codes', 'code', 'codes'],
    columns: [{ table: 'fact_events', column: 'error_code' }],
    impliesEvent: 'error_occurred',
  },
  {
    id: 'app_version',
    words: ['app version', 'app versions', 'version', 'versions', 'release', 'releases'],
    columns: [{ table: 'fact_events', column: 'app_version' }],
  },
  {
    // page_viewed's path column ("/projects"); its `page` property is the page's name.
    id: 'page_path',
    words: ['page path', 'page paths', 'path', 'paths', 'url', 'urls', 'route', 'routes'],
    columns: [{ table: 'fact_events', column: 'page_path' }],
    impliesEvent: 'page_viewed',
  },
  {
    // Derived from the event's time (ask-plan.ts columnSql): the UTC hour, the weekday.
    id: 'hour_of_day',
    words: ['hour of the day', 'hours of the day', 'hour of day', 'hours of day', 'time of day'],
    columns: [{ table: 'fact_events', column: 'hour_of_day' }],
  },
  {
    id: 'day_of_week',
    words: ['day of the week', 'days of the week', 'day of week'],
    columns: [{ table: 'fact_events', column: 'day_of_week' }],
  },
  {
    // Weekdays (Monday to Friday) or the weekend, of the event's date: values DAY_TYPES.
    id: 'day_type',
    words: ['weekday or weekend', 'weekdays or weekends', 'day type'],
    columns: [{ table: 'fact_events', column: 'day_type' }],
  },
  {
    id: 'company_size',
    words: [
      'company size',
      'company sizes',
      'organisation size',
      'organization size',
      'org size',
      'team size',
      'employee count',
      'size',
      'sizes',
    ],
    columns: [{ table: 'dim_users', column: 'company_size' }],
  },
  {
    id: 'industry',
    words: [
      'industry',
      'industries',
      'vertical',
      'verticals',
      'business sector',
      'business sectors',
      'sector',
      'sectors',
    ],
    columns: [{ table: 'dim_users', column: 'industry' }],
  },
  {
    id: 'cohort_month',
    words: ['cohort', 'cohorts', 'signup month', 'cohort month'],
    columns: [{ table: 'dim_users', column: 'cohort_month' }],
  },
  {
    id: 'variant',
    words: ['variant', 'variants', 'arm', 'arms', 'group'],
    columns: [{ table: 'fct_experiment_exposures', column: 'variant' }],
  },
  {
    id: 'experiment_key',
    words: ['experiment', 'experiments', 'test', 'a/b test'],
    columns: [{ table: 'fct_experiment_exposures', column: 'experiment_key' }],
  },
  {
    id: 'billing_period',
    words: ['billing period', 'billing periods', 'billing', 'billing cycle'],
    columns: [
      { table: 'fct_subscriptions', column: 'billing_period' },
      // subscription_started events carry it as a property.
      {
        table: 'fact_events',
        column: 'properties',
        property: { event: 'subscription_started', key: 'billing_period' },
      },
    ],
  },
];

/** Country codes the simulated product uses, with the names people type. */
const COUNTRY_NAMES: Record<string, string[]> = {
  US: ['united states', 'usa', 'america', 'the us', 'the states', 'american', 'americans'],
  DE: ['germany', 'german', 'germans'],
  GB: ['united kingdom', 'uk', 'britain', 'great britain', 'england', 'british'],
  IN: ['india', 'indian', 'indians'],
  BR: ['brazil', 'brazilian', 'brazilians'],
  FR: ['france', 'french'],
  JP: ['japan', 'japanese'],
  CA: ['canada', 'canadian', 'canadians'],
  AU: ['australia', 'australian', 'australians'],
  NL: ['netherlands', 'holland', 'dutch'],
  ES: ['spain', 'spanish'],
  IT: ['italy', 'italian', 'italians'],
  MX: ['mexico', 'mexican', 'mexicans'],
  SE: ['sweden', 'swedish'],
  PL: ['poland', 'polish'],
};

/** A value a question may name: "enterprise" → plan = 'enterprise'. */
export interface ValueTerm {
  dimension: string;
  value: string;
  /** Lower-case phrases that name it ("ai summaries", "ai_summaries"). */
  phrases: string[];
  columns: ColumnRef[];
  impliesEvent?: string;
}

/** An event and the phrases that name it ("signed up", "signups", "sign-ups"). */
export interface EventTerm {
  event: string;
  phrases: string[];
  /** Counted as people (signups) rather than occurrences. */
  countsUsers: boolean;
}

export interface Lexicon {
  events: EventTerm[];
  values: ValueTerm[];
  dimensions: Dimension[];
  /** Numeric event properties a question may average ("results per search"). */
  measures: MeasureTerm[];
}

/** A numeric event property: search_performed.results_count, named "results" or "results count". */
export interface MeasureTerm {
  event: string;
  key: string;
  words: string[];
  column: ColumnRef;
}

/** The words that name a numeric property: its key, and the key without a unit or "count". */
export function measureWords(key: string): string[] {
  const words = key.toLowerCase().replace(/_/g, ' ');
  // (The key as written too: "the average results_count per search".)
  const out = new Set([words, key.toLowerCase()]);
  const bare = words.replace(/ (count|ms|usd|seconds|secs|num|number|total)$/, '');
  if (bare !== words && bare.length > 2) out.add(bare);
  if (/^duration\b/.test(bare)) for (const w of ['time spent', 'length', 'time']) out.add(w);
  if (/ /.test(bare)) out.add(bare.split(' ')[0]!); // "steps completed" → "steps"
  return [...out];
}

/** What the lexicon is built from (read from the workspace's marts by loadLexiconData). */
export interface LexiconData {
  events: string[];
  /** Distinct values of categorical columns, by dimension id. */
  columnValues: Record<string, string[]>;
  /**
   * Low-cardinality event properties: event, key, values, and the fact_events column that holds
   * the property typed, when the marts carry one (login_method for logged_in.method).
   */
  properties: { event: string; key: string; values: string[]; column?: string }[];
  /** Numeric event properties (every sampled value a number). Absent in older snapshots. */
  measures?: { event: string; key: string }[];
}

const PAST: Record<string, string> = {
  created: 'create',
  exported: 'export',
  invited: 'invite',
  completed: 'complete',
  started: 'start',
  cancelled: 'cancel',
  canceled: 'cancel',
  upgraded: 'upgrade',
  performed: 'perform',
  viewed: 'view',
  used: 'use',
  occurred: 'occur',
  exposed: 'expose',
  signed: 'sign',
  logged: 'log',
  uploaded: 'upload',
  sent: 'send',
  renewed: 'renew',
  deleted: 'delete',
  shared: 'share',
  opened: 'open',
  clicked: 'click',
};

const plural = (w: string) =>
  /(s|sh|ch|x)$/.test(w) && !w.endsWith('ss')
    ? w.endsWith('s')
      ? w
      : `${w}es`
    : w.endsWith('ss')
      ? `${w}es`
      : w.endsWith('s')
        ? w
        : w.endsWith('y') && !/[aeiou]y$/.test(w)
          ? `${w.slice(0, -1)}ies`
          : `${w}s`;

/** A verb's -ing form: create → creating, log → logging, occur → occurring, sign → signing. */
export const gerund = (verb: string) =>
  /[^e]e$/.test(verb)
    ? `${verb.slice(0, -1)}ing`
    : /^[^aeiou]*[aeiou][bdglmnprt]$/.test(verb) || /cur$/.test(verb)
      ? `${verb}${verb.at(-1)}ing`
      : `${verb}ing`;

/** How people name an event: signed_up → "signed up", "signups", "sign ups", "sign-ups". */
export function eventPhrases(event: string): string[] {
  const words = event
    .toLowerCase()
    .split(/[_\s.-]+/)
    .filter(Boolean);
  const out = new Set<string>([event.toLowerCase(), words.join(' ')]);
  if (words.length === 2) {
    const [a, b] = words as [string, string];
    // verb_particle: signed_up, logged_in
    if (PAST[a] && (b === 'up' || b === 'in' || b === 'out')) {
      const base = PAST[a];
      for (const form of [`${base} ${b}`, `${base}${b}`, `${base}-${b}`])
        for (const f of [form, plural(form)]) out.add(f);
      out.add(`${a} ${b}`);
      out.add(`${gerund(base)} ${b}`); // signing up
      if (b === 'in') for (const f of ['login', 'logins', 'log ins']) out.add(f);
    }
    // noun_pastparticiple: project_created, report_exported, error_occurred, feature_used
    if (PAST[b]) {
      const verb = PAST[b];
      out.add(`${plural(a)} ${b}`); // projects created
      for (const aux of ['were', 'was', 'got', 'have been', 'has been', 'had been', 'are', 'is'])
        for (const noun of [a, plural(a)]) out.add(`${noun} ${aux} ${b}`); // reports were exported
      out.add(`${b} ${a}`); // created project
      out.add(`${b} ${plural(a)}`); // created projects
      out.add(`${b} a ${a}`);
      out.add(`${b} an ${a}`);
      out.add(`${verb} ${a}`);
      out.add(`${verb}s ${a}`);
      out.add(`${verb} ${plural(a)}`);
      // creating a project, completing onboarding, exporting reports
      for (const f of [a, `a ${a}`, `an ${a}`, plural(a)]) out.add(`${gerund(verb)} ${f}`);
      out.add(`${a} ${verb}`);
      out.add(`${a} ${plural(verb)}`); // project creates, page views
      out.add(`${a}${plural(verb)}`); // pageviews
      if (b === 'viewed') out.add(`${a} views`);
      if (b === 'occurred') {
        out.add(plural(a)); // errors
        out.add(a);
      }
      if (b === 'exported') {
        out.add('exports');
        out.add('export');
      }
      if (b === 'invited') {
        out.add('invites');
        out.add('invitations');
        out.add(`invited ${plural(a)}`);
      }
      if (b === 'completed') {
        out.add(`finished ${a}`);
        out.add(a); // (the) onboarding (step)
      }
      if (b === 'performed') {
        out.add(plural(a)); // searches
        out.add(a); // (used) search
      }
      if (b === 'started' && a === 'subscription') {
        out.add('subscribed');
        out.add('new subscriptions');
        out.add('conversions');
        out.add('converted');
        out.add('paid conversions');
        for (const f of [
          'new subscribers',
          'new paying subscribers',
          'new paying customers',
          'new paid subscribers',
          'paying subscribers',
          'subscribers',
          'started a subscription',
          'started subscriptions',
          'started paying',
        ])
          out.add(f);
      }
      if (b === 'cancelled' && a === 'subscription') {
        out.add('cancellations');
        out.add('cancelled');
      }
      if (b === 'upgraded') out.add('upgrades');
      if (b === 'used' && a === 'feature') out.add('feature usage');
      if (b === 'exposed') out.add('exposures');
    }
  }
  if (event === 'signed_up')
    for (const f of [
      'registered',
      'registrations',
      'new signups',
      'joined',
      'new users',
      'new accounts',
      'new customers',
      'created an account',
      'create an account',
      'created accounts',
      'account creation',
      'opened an account',
      'new people',
      'new members',
      'came on board',
      'come on board',
      'coming on board',
    ])
      out.add(f);
  for (const f of EVERYDAY[event] ?? []) out.add(f);
  return [...out].filter((p) => p.length > 1);
}

/**
 * The contract's events in everyday words, as someone new to the product says them ("made an
 * account", "finished the setup steps", "looked something up", "something broke").
 */
const EVERYDAY: Record<string, string[]> = {
  signed_up: ['made an account', 'make an account', 'making an account', 'made accounts'],
  onboarding_completed: [
    'finished the setup',
    'finished setup',
    'finish setup',
    'finish the setup',
    'finishing setup',
    'finishing the setup',
    'finished the setup steps',
    'finishing the setup steps',
    'completed setup',
    'completed the setup',
  ],
  project_created: [
    'started a project',
    'start a project',
    'starting a project',
    'started a new project',
    'made a project',
    'make a project',
    'made projects',
    'start a new project',
    'started projects',
    'new projects',
  ],
  search_performed: [
    'looked something up',
    'look something up',
    'looking something up',
    'looked things up',
    'lookups',
  ],
  report_exported: [
    'downloaded a report',
    'download a report',
    'downloading a report',
    'downloaded reports',
    'reports downloaded',
    'reports were downloaded',
    'report downloads',
  ],
  subscription_cancelled: [
    'dropped their subscription',
    'drop their subscription',
    'dropping their subscription',
    'dropped a subscription',
    'dropped subscriptions',
    'cancelled their subscription',
    'canceled their subscription',
  ],
  subscription_upgraded: ['upgraded to a bigger plan', 'upgraded their plan', 'upgraded'],
  error_occurred: [
    'something broke',
    'something break',
    'something breaks',
    'had something break',
    'crash',
    'crashes',
    'crashed',
  ],
  teammate_invited: [
    'brought a coworker on board',
    'brought a colleague on board',
    'brought in a colleague',
    'brought in a coworker',
    'brought a colleague in',
    'brought a coworker in',
    'invited a colleague',
    'invited a coworker',
    'invited colleagues',
    'invited coworkers',
  ],
};

const COUNTS_USERS = new Set(['signed_up']);

/** The day types of every event date, and what people call them. */
const DAY_TYPES: Record<string, string[]> = {
  weekday: [
    'weekday',
    'weekdays',
    'week days',
    'working days',
    'workdays',
    'business days',
    'mon–fri',
    'mon fri',
    'monday to friday',
    'monday through friday',
  ],
  weekend: [
    'weekend',
    'weekends',
    'weekend days',
    'saturday and sunday',
    'saturdays and sundays',
    'sat–sun',
  ],
};

/** Value phrases: "ai_summaries" → "ai summaries"; country codes get their names. */
function valuePhrases(dimension: string, value: string): string[] {
  if (dimension === 'day_type') return DAY_TYPES[value] ?? [value];
  const lower = value.toLowerCase();
  const out = new Set([lower, lower.replace(/[_-]+/g, ' ')]);
  if (dimension === 'country') {
    out.clear(); // two-letter codes ("in", "us") collide with words; names only, and the code in capitals
    for (const name of COUNTRY_NAMES[value] ?? []) out.add(name);
  }
  if (dimension === 'device_type' && lower === 'desktop')
    for (const f of ['computer', 'computers', 'desktops', 'laptop', 'laptops']) out.add(f);
  // "logged in with single sign-on".
  if (lower === 'sso') for (const f of ['single sign on', 'single sign-on']) out.add(f);
  // "downloaded as Excel files": the spreadsheet format.
  if (lower === 'xlsx')
    for (const f of ['excel', 'excel files', 'excel file', 'spreadsheet', 'spreadsheets'])
      out.add(f);
  // "people on phones", "the iPhone and iPad app".
  if (dimension === 'device_type' && lower === 'mobile')
    for (const f of [
      'phone',
      'phones',
      'mobile phone',
      'mobile phones',
      'smartphone',
      'smartphones',
    ])
      out.add(f);
  if (dimension === 'platform' && lower === 'ios')
    for (const f of ['iphone and ipad app', 'iphone app', 'ipad app', 'iphone', 'ipad']) out.add(f);
  // "the onboarding checklist experiment": a key named without its version suffix.
  if (dimension === 'experiment_key' && /[_-]v\d+$/.test(lower))
    out.add(lower.replace(/[_-]v\d+$/, '').replace(/[_-]+/g, ' '));
  if (dimension === 'company_size') {
    // "51-200" is also "51 to 200 employees"; "1000+" is "1,000+", "over 1000 employees".
    const range = /^(\d+)-(\d+)$/.exec(lower);
    const open = /^(\d+)\+$/.exec(lower);
    const forms = (n: string) => [n, n.replace(/\B(?=(\d{3})+$)/g, ' ')];
    const people = ['employees', 'people', 'staff', 'seats'];
    if (range) {
      out.delete(lower.replace(/[_-]+/g, ' '));
      for (const a of forms(range[1]!))
        for (const b of forms(range[2]!))
          for (const f of [`${a}-${b}`, `${a} to ${b}`, `between ${a} and ${b}`]) {
            out.add(f);
            for (const w of people) out.add(`${f} ${w}`);
          }
    }
    if (open)
      for (const n of forms(open[1]!)) {
        out.add(`${n}+`);
        for (const w of people)
          for (const f of [
            `${n}+ ${w}`,
            `${n} plus ${w}`,
            `more than ${n} ${w}`,
            `over ${n} ${w}`,
            `${n} or more ${w}`,
          ])
            out.add(f);
      }
  }
  if (dimension === 'is_premium')
    return ['premium', 'paid', 'paid tier', 'premium tier', 'premium paid tier'].flatMap((w) => [
      `${w} feature`,
      `${w} features`,
    ]);
  if (dimension === 'billing_period') {
    // "billed annually", "yearly", "monthly plans".
    if (lower === 'annual') for (const w of ['yearly', 'annually', 'per year']) out.add(w);
    if (lower === 'monthly') out.add('per month billing');
  }
  // A word value also in the plural ("came from referrals", "on tablets").
  if (dimension !== 'country' && /^[a-z]{4,}$/.test(lower)) out.add(plural(lower));
  return [...out].filter((p) => p.length > 1);
}

/** The lexicon for a workspace's data. */
export function buildLexicon(
  data: LexiconData,
  vocabulary: Vocabulary = EMPTY_VOCABULARY,
): Lexicon {
  const events = data.events.map((event) => ({
    event,
    phrases: eventPhrases(event),
    countsUsers: COUNTS_USERS.has(event),
  }));
  // Synonyms from the registry's descriptions: an event's own phrases win over another's synonym.
  const taken = new Set(events.flatMap((e) => e.phrases));
  for (const term of events) {
    const extra = (vocabulary.events[term.event] ?? [])
      .flatMap((w) => [w, plural(w)])
      .filter((w) => !taken.has(w));
    for (const w of extra) taken.add(w);
    term.phrases.push(...extra);
  }
  const dimensions = [...DIMENSIONS];
  const values: ValueTerm[] = [];
  for (const dim of DIMENSIONS) {
    const known =
      dim.id === 'day_type' ? Object.keys(DAY_TYPES) : (data.columnValues[dim.id] ?? []);
    for (const value of known) {
      values.push({
        dimension: dim.id,
        value,
        phrases: valuePhrases(dim.id, value),
        columns: dim.columns,
        impliesEvent: dim.impliesEvent,
      });
    }
  }
  for (const prop of data.properties) {
    // feature_used.feature_name, subscription_started.plan…: the contract's columns say it.
    if (DIMENSIONS.some((d) => d.id === prop.key)) continue;
    const id = `${prop.event}.${prop.key}`;
    const column: ColumnRef = {
      table: 'fact_events',
      column: prop.column ?? 'properties',
      property: { event: prop.event, key: prop.key },
    };
    // A property's key names a dimension when no contract dimension has that word.
    // (A property the marts carry typed names its column too: subscription_cancelled.reason is
    // `cancel_reason`, so "per cancel_reason".)
    // ("invitee_role" is also "role" when no other property's key ends so: "by the role".)
    const tail = prop.key.includes('_') ? prop.key.split('_').at(-1)! : '';
    const ownTail =
      tail.length > 3 &&
      !data.properties.some((p) => p !== prop && p.key.split('_').includes(tail));
    const keyWords = [
      prop.key,
      ...(prop.column && prop.column !== prop.key ? [prop.column] : []),
      ...(ownTail ? [tail] : []),
    ]
      .map((k) => k.replace(/_/g, ' '))
      .flatMap((k) => [k, plural(k)]);
    // (Word by word: error_occurred.type is "error type" though "type" is the event type's.)
    const words = keyWords.filter((w) => !dimensions.some((d) => d.words.includes(w)));
    // Synonyms from the property's description name it too, unless another dimension has them.
    for (const w of (vocabulary.properties[id] ?? []).flatMap((s) => [s, plural(s)]))
      if (!words.includes(w) && !dimensions.some((d) => d.words.includes(w))) words.push(w);
    if (words.length > 0)
      dimensions.push({ id, words, columns: [column], impliesEvent: prop.event });
    for (const value of prop.values)
      values.push({
        dimension: id,
        value,
        phrases: valuePhrases(id, value),
        columns: [column],
        impliesEvent: prop.event,
      });
  }
  const measures: MeasureTerm[] = (data.measures ?? []).map((m) => ({
    event: m.event,
    key: m.key,
    words: measureWords(m.key),
    column: {
      table: 'fact_events',
      column: 'properties',
      property: { event: m.event, key: m.key },
    },
  }));
  return { events, values, dimensions, measures };
}

/** Categorical columns whose values the planner recognises, by dimension id. */
const VALUE_QUERIES: Record<string, string> = {
  plan: 'select distinct plan from dim_users where plan is not null',
  platform: 'select distinct platform from fact_events where platform is not null',
  country: 'select distinct country from dim_users where country is not null',
  device_type: 'select distinct device_type from fact_events where device_type is not null',
  feature_name: 'select distinct feature_name from fact_events where feature_name is not null',
  company_size: 'select distinct company_size from dim_users where company_size is not null',
  industry: 'select distinct industry from dim_users where industry is not null',
  experiment_key: 'select distinct experiment_key from fct_experiment_exposures',
  variant: 'select distinct variant from fct_experiment_exposures',
  billing_period:
    'select distinct billing_period from fct_subscriptions where billing_period is not null',
  error_code: 'select distinct error_code from fact_events where error_code is not null',
  feature_category: 'select distinct category from dim_features where category is not null',
  is_premium: "select distinct 'true' from dim_features where is_premium",
  app_version: 'select distinct app_version from fact_events where app_version is not null',
  os: 'select distinct os from fact_events where os is not null',
  browser: 'select distinct browser from fact_events where browser is not null',
};

/** Rows of each event on which a typed property column must equal the property. */
const EQUALITY_ROWS = 20_000;

/** Properties with at most this many distinct values are recognised by value. */
const MAX_PROPERTY_VALUES = 24;

/** Reads the words of a workspace's marts: event names, column values, property values. */
export async function loadLexiconData(engine: QueryEngine, schema: string): Promise<LexiconData> {
  const run = (sql: string) => engine.execute(sql, { schema, maxRows: 10_000, timeoutMs: 30_000 });
  const events = (await run('select distinct event_name from fact_events order by 1')).rows.map(
    (r) => String(r[0]),
  );
  const columnValues: Record<string, string[]> = {};
  for (const [id, sql] of Object.entries(VALUE_QUERIES)) {
    const result = await run(`${sql} limit 500`);
    columnValues[id] = result.rows.map((r) => String(r[0]));
  }
  // Property keys from a sample of each event's rows, in one pass: a key whose values are all
  // numbers is a measure ("results_count"); one with few other values is recognised by value.
  const num = `'^-?[0-9]+(\\.[0-9]+)?$'`;
  const trino = engine.dialect === 'trino';
  // DuckDB: a reservoir sample; Trino (no row-count sample): the first rows it reads.
  const pairs = trino
    ? `s as (
      select event_name, properties from fact_events where properties is not null limit 100000
    ), kv as (
      select s.event_name, k, json_extract_scalar(s.properties, '$.' || k) as v
      from s cross join unnest(map_keys(cast(json_parse(s.properties) as map(varchar, json)))) as u(k)
    ), t as (
      select event_name, k, v, regexp_like(v, ${num}) as numeric from kv where v is not null
    )`
    : `s as (
      select event_name, properties from fact_events using sample 100000 rows
    ), kv as (
      select event_name, k, json_extract_string(properties, '$.' || k) as v
      from (select event_name, properties, unnest(json_keys(properties)) as k from s)
    ), t as (
      select event_name, k, v, regexp_matches(v, ${num}) as numeric from kv where v is not null
    )`;
  const props = await run(`
    with ${pairs}
    select event_name, k, bool_and(numeric) as numeric,
           ${trino ? 'array_agg(distinct v)' : 'list(distinct v)'} filter (where not numeric) as vals,
           count(distinct v) filter (where not numeric) as n
    from t group by 1, 2
    having bool_and(numeric) or count(distinct v) filter (where not numeric) between 1 and ${MAX_PROPERTY_VALUES}
    order by 1, 2`);
  const properties = props.rows
    .filter((r) => r[2] !== true)
    .map((r) => ({
      event: String(r[0]),
      key: String(r[1]),
      values: ((r[3] as unknown[] | null) ?? []).map(String),
    }));
  const measures = props.rows
    .filter((r) => r[2] === true)
    .map((r) => ({ event: String(r[0]), key: String(r[1]) }));
  const typed = await typedPropertyColumns(run, properties, engine.dialect);
  return {
    events,
    columnValues,
    measures,
    properties: properties.map((p) => {
      const column = typed.get(`${p.event}.${p.key}`);
      return column ? { ...p, column } : p;
    }),
  };
}

/**
 * The fact_events columns that hold an event's property typed (dbt's fact_events carries
 * login_method for logged_in.method, export_format for report_exported.format, …): reading one
 * is a plain column scan instead of parsing every event's JSON (3–5× faster at 10M events). A
 * text column named `<key>` or `…_<key>` counts only when it is null on every other event's row
 * and equals the property on the event's first EQUALITY_ROWS rows — so a workspace whose marts
 * differ keeps the JSON path. Keyed `event.key`.
 */
export async function typedPropertyColumns(
  run: (sql: string) => Promise<{ rows: unknown[][]; columns?: QueryColumn[] }>,
  properties: { event: string; key: string }[],
  dialect: QueryDialect = 'duckdb',
): Promise<Map<string, string>> {
  // The columns and their engine types, from an empty result (DESCRIBE is DuckDB's).
  const described = await run('select * from fact_events limit 0');
  const textColumns = (described.columns ?? [])
    .map((c) => ({ name: c.name, type: c.engineType.toUpperCase() }))
    // Plans name columns as plain identifiers (ZAskPlan).
    .filter(
      (c) => c.type === 'VARCHAR' && c.name !== 'properties' && /^[a-z_][a-z0-9_]*$/.test(c.name),
    )
    .map((c) => c.name);
  // Keys the contract's dimensions already name (feature_name, error_code…) are read from
  // those columns anyway (buildLexicon skips them).
  const candidates = properties
    .filter((p) => !DIMENSIONS.some((d) => d.id === p.key))
    .flatMap((p) =>
      textColumns
        .filter((c) => c === p.key || c.endsWith(`_${p.key}`))
        .map((column) => ({ ...p, column })),
    );
  const found = new Map<string, string>();
  if (candidates.length === 0) return found;
  const events = [...new Set(candidates.map((c) => c.event))];
  // Set on other events' rows: every row, but no JSON — the non-null count of each column per
  // event (a GROUP BY on the dictionary-encoded name is twice as fast as filtered counts).
  const columns = [...new Set(candidates.map((c) => c.column))];
  const perEvent = await run(
    `select event_name, ${columns.map((c) => `count(${sqlIdent(c)})`).join(', ')} from fact_events group by 1`,
  );
  const strays = candidates.map((c) =>
    perEvent.rows
      .filter((r) => String(r[0]) !== c.event)
      .reduce((sum, r) => sum + Number(r[1 + columns.indexOf(c.column)]), 0),
  );
  // Equal to the property on the event's rows: the first rows of each event, one statement per
  // event (a LIMIT stops the scan early; a reservoir sample parsed every one of their rows, and
  // one UNION of the events took as long, ~1.5 s at 10M).
  for (const event of events) {
    const own = candidates
      .map((c, i) => ({ ...c, i }))
      .filter((c) => c.event === event && strays[c.i] === 0);
    if (own.length === 0) continue;
    const equal = await run(`
      select ${own
        .map((c) => {
          const value = `${dialect === 'trino' ? 'json_extract_scalar' : 'json_extract_string'}(properties, ${sqlString(`$.${c.key}`)})`;
          return `count(*) filter (where ${sqlIdent(c.column)} is distinct from ${value}), count(${value})`;
        })
        .join(', ')}
      from (select properties, ${[...new Set(own.map((c) => sqlIdent(c.column)))].join(', ')}
            from fact_events where event_name = ${sqlString(event)} limit ${EQUALITY_ROWS})`);
    const row = equal.rows[0] ?? [];
    own.forEach((c, k) => {
      const [differ, set] = [row[2 * k], row[2 * k + 1]].map(Number);
      const id = `${c.event}.${c.key}`;
      if (differ === 0 && set! > 0 && !found.has(id)) found.set(id, c.column);
    });
  }
  return found;
}
