// The offline planner: a plain-English question → a typed plan (ask-plan.ts), with no language
// model. A semantic parser over the workspace's lexicon (ask-lexicon.ts): it reads the period and
// grain (ask-periods.ts), the events and values the question names (longest phrase first, typos
// of one letter forgiven in longer words), the breakdown ("by plan", "which countries", "mobile
// versus desktop"), a ranking ("top 5", "least") and the metric ("users", "sessions", "share of
// users who … did …", "MRR"). When the question asks for something the data does not hold, or
// is not a question about the data, it refuses and says what it can answer: it never guesses a
// number. A follow-up ("now only enterprise", "as a weekly trend") edits the previous plan.
import {
  NUMBER_WORDS,
  daysEnding,
  isOneUnit,
  readTime,
  splitPair,
  type AskPeriod,
  type Grain,
} from './ask-periods';
import type {
  ColumnRef,
  Dimension,
  EventTerm,
  Lexicon,
  MartTable,
  MeasureTerm,
  ValueTerm,
} from './ask-lexicon';
import { METRIC_TABLE, PART_METRICS, type AskPlan, type Metric } from './ask-plan';

export type PlannerOutcome =
  | {
      kind: 'plan';
      plan: AskPlan;
      notes: string[];
      /** The plan is the previous one (options.context) edited by this question. */
      followUp: boolean;
    }
  | {
      kind: 'refusal';
      reason: string;
      /** Why, in a word: the answer's headline depends on it (components/ask/ask-chat.tsx). */
      cause: RefusalCause;
      suggestions: string[];
      /**
       * The planner could not read the question (nothing it knows how to count), as opposed to
       * knowing the data does not hold it or that it is not a question: a configured language
       * model may try these (ask-service.ts), never the others.
       */
      unread?: true;
    };

// ---- text -------------------------------------------------------------------------------------

export function normalise(question: string): string {
  return ` ${question
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[“”"]/g, ' ')
    .replace(/\bmonthly recurring revenue\b/g, 'mrr')
    .replace(/\b(ppl|peeps|folks)\b/g, 'people')
    // "How many logos": B2B for customer accounts.
    .replace(/\blogos\b/g, 'customers')
    // "month to date", "MTD", "year-to-date": the current period so far ("this month").
    // "active on at least 15 of the last 30 days": 15 days in the last 30.
    .replace(
      /\b(\d+|a)( or more| or fewer| or less)? of the (last|past|previous|first) (\d+) days\b/g,
      '$1$2 days in the $3 $4 days',
    )
    // ("Include the current month to date" keeps every month.)
    .replace(
      /(?<!\b(?:current|including|include|includes) )\b(?:this |the )?(week|month|quarter|year)[ -]to[ -]date\b/g,
      'this $1',
    )
    .replace(
      /\b(?:this |the )?(w|m|q|y)td\b/g,
      (_m, u: string) =>
        ({ w: 'this week', m: 'this month', q: 'this quarter', y: 'this year' })[u]!,
    )
    // "sessions w/ an error", "users w/o a project": the words.
    .replace(/\bw\/o(?=\s|$)/g, 'without')
    .replace(/\bw\/(?=\s|[a-z])/g, 'with ')
    // "last wk", "past 2 wks", "last mo", "per yr": the words.
    .replace(/\bwks\b/g, 'weeks')
    .replace(/\bwk\b/g, 'week')
    .replace(/\b(last|this|past|previous|prior|per|a|each|every|next) mo\b/g, '$1 month')
    .replace(/\bmos\b/g, 'months')
    .replace(/\byrs\b/g, 'years')
    .replace(/\byr\b/g, 'year')
    .replace(/\bhrs\b/g, 'hours')
    .replace(/\bhr\b/g, 'hour')
    .replace(/\bannual recurring revenue\b/g, 'arr')
    .replace(/(\d)\s*%/g, '$1 percent')
    .replace(/%/g, ' percent ')
    // "the users' current plan": a plural possessive read as the noun; "pct": percent.
    .replace(/([a-z])s'(?=\s|$)/g, '$1s')
    .replace(/\bpct\b/g, 'percent')
    // "dim_users.company_size", "fct_sessions.page_views": the column, named as the question
    // would; "plan_at_event = 'enterprise'", "status = 'active'", "is_churned = true": the value.
    .replace(
      /\b(?:fact_events|dim_users|fct_sessions|fct_subscriptions|dim_features|fct_experiment_exposures|fct_user_activity_daily|fct_feature_usage_daily|metrics_daily)\.(?=[a-z_])/g,
      '',
    )
    .replace(/\s*(?:=|==)\s*'([^']+)'/g, ' $1')
    .replace(/\bis_churned\s*(?:=|==|is)\s*true\b/g, 'churned')
    .replace(/\bis_premium\s*(?:=|==|is)\s*true\b/g, 'premium')
    // A column named as written ("median session_duration", "by feature_name"): its words.
    .replace(
      /\b(?:signup_date|cohort_month|company_size|is_churned|churned_at|lifetime_events|event_name|feature_name|plan_at_event|device_type|app_version|session_duration|error_code|event_count|page_views|is_premium|billing_period|mrr_usd|initial_mrr_usd|experiment_key|first_exposed_at|converted_at|started_at|ended_at|event_date)\b/g,
      (c) => c.replace(/_/g, ' '),
    )
    // "each Monday-start week", "Monday-starting weeks": calendar weeks (they start on Monday).
    .replace(/\bmonday[- ]start(?:ing)? (weeks?)\b/g, '$1')
    // "a visit", "visits" (not page visits): sessions.
    .replace(/(?<!\bpage )\bvisits\b/g, 'sessions')
    .replace(/(?<!\bpage )\ba visit\b/g, 'a session')
    // "an Android app visit", "per desktop visit": a session.
    .replace(/(?<!\bpage )\b(android|ios|web|mobile|desktop|tablet|app) visit\b/g, '$1 session')
    .replace(/\bper ([a-z]+ )?visit\b/g, 'per $1session')
    // "searches that turned up nothing", "came back with zero hits": zero results.
    .replace(
      /\b(?:turned up|found|returned|came back with|come back with|got) (?:nothing(?: at all)?|no (?:results|hits|matches)|zero (?:hits|matches|results))\b/g,
      'returned zero results',
    )
    .replace(/\bzero (hits|matches)\b/g, 'zero results')
    // "1,000": one number.
    .replace(/(\d),(\d{3})\b/g, '$1$2')
    // "on a paid plan (pro or enterprise)": alternatives in an aside define a set, not a
    // comparison of its values.
    .replace(/\(([^()]*)\)/g, (_m, inner: string) => `(${inner.replace(/\bor\b/g, 'and')})`)
    // "by their primary platform (the one they use most)": an aside that defines a word, not a
    // ranking.
    .replace(/\((?:the one|the ones|whichever|i\.?e\.?,? the one)\b[^)]*\)/g, ' ')
    .replace(/[?!,;:()]/g, ' ')
    // "week-1 retention", "day-7": the words.
    .replace(/\b(day|week|month)-(\d)/g, '$1 $2')
    // "pro-plan", "server-side", "sign-ups": words, as if spaced.
    .replace(/([a-z])-(?=[a-z])/g, '$1 ')
    // "exported at least one report" is "exported a report"; "each calendar month", "each month";
    // every subscription is paid.
    .replace(/\b(at least (one|1|a single)|one or more)\b/g, 'a')
    .replace(/\bcalendar (day|week|month|year)/g, '$1')
    // "one row per week and error type", "a row for each signup month": the breakdown asked for.
    .replace(
      /\b(?:with )?(?:one|a|a single) (?:row|line) (?:per|for each|for every|for|by) /g,
      'per ',
    )
    .replace(/\b(a|the|this|last|past) fortnight\b/g, '$1 14 days')
    // "the invitee's role": possessives read as the noun.
    .replace(/([a-z])'s\b/g, '$1')
    // "subscriptions that haven't been cancelled": the active ones.
    .replace(
      /\b(?:that |which )?(?:(?:haven't|have not|hasn't|has not|weren't|were not|aren't|are not|not) (?:been |yet )?(?:cancell?ed|canceled|churned)|(?:are |is )?still (?:running|live|going|on|in force))\b/g,
      ' active',
    )
    .replace(/\bpaid (subscription|subscriber)/g, '$1')
    .replace(/\.(\s|$)/g, ' ')
    // "How many customers do we have on the enterprise plan today": the current figure, not the
    // ones active today (unless something in between says what they did).
    .replace(
      /\b(do|does) (we|you|they) have\b((?:(?!\b(?:active|logged|used|did|signed|visited|who|that|which|events?|sessions?)\b)[a-z0-9_ -])*?)\s+(?:today|right now|now|currently|at the moment)\s*$/,
      '$1 $2 have$3',
    )
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** Country codes that are also English words in capitals ("IN", "IT", "ES"…). */
const WORD_CODES = new Set([
  'IN',
  'IT',
  'AT',
  'ID',
  'BE',
  'NO',
  'IS',
  'ME',
  'MY',
  'SO',
  'TO',
  'OR',
]);

/**
 * "just the US, DE and GB": country codes in capitals, as the country's name. A code that is also
 * a word ("IN", "IT") only in a list of codes.
 */
function expandCountryCodes(question: string, lexicon: Lexicon): string {
  const names = new Map(
    lexicon.values
      .filter((v) => v.dimension === 'country' && /^[A-Z]{2}$/.test(v.value) && v.phrases.length)
      .map((v) => [v.value, v.phrases[0]!]),
  );
  if (!names.size) return question;
  const code = /\b([A-Z]{2})\b/g;
  const listed = (at: number, length: number): boolean => {
    const around = `${question.slice(Math.max(0, at - 8), at)}#${question.slice(at + length, at + length + 8)}`;
    return /\b[A-Z]{2}(?:,| and| or|,? &)\s*#|#(?:,| and| or|\s*&)\s*(?:the\s+)?[A-Z]{2}\b/.test(
      around,
    );
  };
  return question.replace(code, (match, c: string, at: number) =>
    names.has(c) && (!WORD_CODES.has(c) || listed(at, match.length)) ? names.get(c)! : match,
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A one-letter typo of a word (Levenshtein distance 1: a letter added, dropped or changed), but
 * not a word that merely ends one letter sooner or later ("table" is not a typo of "tablet",
 * nor "plans" of "plan"): those are other words.
 */
function withinOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  // Two neighbouring letters swapped ("feautre") is one typo too.
  if (a.length === b.length) {
    const diff = [...a].flatMap((c, i) => (c !== b[i] ? [i] : []));
    if (
      diff.length === 2 &&
      diff[1] === diff[0]! + 1 &&
      a[diff[0]!] === b[diff[1]!] &&
      a[diff[1]!] === b[diff[0]!]
    )
      return true;
  }
  if (a.length !== b.length && (a.startsWith(b) || b.startsWith(a))) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

interface Hit<T> {
  item: T;
  start: number;
  end: number;
  phrase: string;
}

/**
 * Finds phrases in `text`, longest first, without overlaps; consumed spans are blanked in the
 * returned text. Single words of 5+ letters also match with one typo.
 */
function findPhrases<T>(
  text: string,
  entries: { item: T; phrases: string[] }[],
  taken: boolean[],
  /** Words of a phrase may have a determiner between them ("create their first project"). */
  loose = false,
): Hit<T>[] {
  // Phrases are normalised as questions are, so a value with punctuation ("x'); --") still
  // matches the question that names it.
  const all = entries.flatMap((e) =>
    e.phrases.map((p) => ({ item: e.item, phrase: normalise(p).trim() })).filter((p) => p.phrase),
  );
  all.sort((a, b) => b.phrase.length - a.phrase.length);
  const hits: Hit<T>[] = [];
  const free = (s: number, e: number) => {
    for (let k = s; k < e; k++) if (taken[k]) return false;
    return true;
  };
  for (const { item, phrase } of all) {
    const body = loose
      ? phrase.split(' ').map(escape).join(`(?: (?:${DETERMINERS}))* `)
      : escape(phrase);
    const re = new RegExp(`(?<=[\\s])${body}(?=[\\s])`, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const s = m.index;
      const e = s + m[0].length;
      if (!free(s, e)) continue;
      for (let k = s; k < e; k++) taken[k] = true;
      hits.push({ item, start: s, end: e, phrase });
    }
  }
  // One-typo matches for single long words ("enterprize", "andriod").
  const words = [...text.matchAll(/[a-z_][a-z0-9_'-]{5,}/g)];
  for (const w of words) {
    const s = w.index;
    const e = s + w[0].length;
    if (!free(s, e)) continue;
    const found = all.find(
      ({ phrase }) => phrase.length >= 6 && !phrase.includes(' ') && withinOne(phrase, w[0]),
    );
    if (!found) continue;
    for (let k = s; k < e; k++) taken[k] = true;
    hits.push({ item: found.item, start: s, end: e, phrase: w[0] });
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Words that may stand between an event's verb and noun ("created their first project"). */
const DETERMINERS = 'their|his|her|its|our|your|my|a|an|the|first|new|1st|some|any';

// ---- words the planner knows ------------------------------------------------------------------

const NUM = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;
const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : NUMBER_WORDS[s]!);

/** Things people ask about that the marts do not hold: refused, named in the reason. */
const UNKNOWN_MEASURES: [RegExp, string][] = [
  [/\b(net promoter|nps)\b/, 'net promoter scores (no survey data)'],
  [
    /\b(csat|customer satisfaction|satisfaction score|sentiment|health scores?|account health|customer health)\b/,
    'satisfaction or sentiment scores',
  ],
  [
    /\b(profit|profits|margin|margins|costs?|cac|customer acquisition cost|spend(?!\s+(?:more |less |much |the most |most |any |their |our )?(?:time|minutes|hours|seconds|days))|ad spend)\b/,
    'costs or profit',
  ],
  [/\b(ltv|lifetime value|clv)\b/, 'customer lifetime value'],
  [
    /\b(forecasts?|forecasting|predict(ed|ion|ions)?|projections?|projected|next (quarter|year))\b/,
    'forecasts (only what has happened)',
  ],
  [
    // (Not a company size: "1000+ employees", "51 to 200 staff".)
    /(?<!\d\+? |\d plus )\b(employees?|headcount|salar(y|ies)|staff)\b(?! (companies|company|count|size|firms|organi[sz]ations))/,
    'company employee data',
  ],
  [
    /\b(cit(y|ies)|zip ?codes?|postal codes?|postcodes?|neighbou?rhoods?|gps|latitudes?|longitudes?)\b/,
    'locations finer than a country',
  ],
  [
    /\b(weather|temperature|stock price|share price|bitcoin|slack|push notifications?|opt(ed)? in|opt-ins?|github stars?|trade shows?|conferences?|podcasts?)\b/,
    'anything outside the product’s telemetry',
  ],
  [/\b(page load|load time|latency|response time|cpu|memory usage)\b/, 'performance timings'],
  [
    /\b(time|hours?|minutes?|money|dollars?) (?:[a-z]+ ){0,5}(saved?|saving|savings)\b|\b(productivity|efficiency) gains?\b|\broi\b/,
    'outcome measures such as time or money saved (only what users did in the product)',
  ],

  [
    /\b(heat ?maps?|scroll(ing)? depth|scroll|scrolls|scrolled|eye[- ]tracking|surveys?|questionnaires?|interviews?|session recordings?|screen recordings?|click maps?|taps? on)\b/,
    'UX research data (heatmaps, scrolling, surveys, recordings)',
  ],
  [
    /\b(age|gender|birthday|email address|phone number|names? of (the )?users?|job titles?|job roles?|departments?|seniority)\b/,
    'personal data about users',
  ],
  [
    /\b(credit cards?|card payments?|failed payments?|payment failures?|payments? (failed|declined|bounced)|dunning|(payment|processor|processing|transaction|stripe) fees?)\b/,
    'payment records (only subscriptions and their MRR)',
  ],
  [
    /\b(refund\w*|invoices?|chargebacks?|taxes?)\b/,
    'billing documents (only subscriptions and their MRR)',
  ],
  [
    // (A "roadmap review" or "retention review" is the meeting the question is for.)
    /\b(tickets?|support requests?|nps responses?|(app store|app|product|customer|user|online|store|g2|capterra|trustpilot) reviews?|(star )?ratings?|support (calls?|phone calls?|chats?)|phone calls?|call (center|centre|volume)|handle time)\b/,
    'support tickets or reviews',
  ],
  [
    /\b(ad clicks?|clicks? on (our |the )?ads?|impressions?|ctr|cpc|cpm|roas|google analytics|website visitors?|(marketing|landing) (website|site|pages?)|seo|keyword rankings?|ad campaigns?|(marketing|ad|ads|advertising|paid|google|facebook|email) campaigns?|campaigns?|utm\w*)\b/,
    'marketing or advertising data (ads, clicks, impressions, campaigns)',
  ],
  [
    /\b(open rates?|click ?through rates?|(welcome|marketing|onboarding|lifecycle|transactional|nurture) e-?mails?|e-?mail bounces?|bounce rates? of (the |our )?e-?mails?|e-?mail (opens?|clicks?|drips?|sequences?|blasts?|sends?|deliverability)|newsletters?|drips?|unsubscribes?|unsubscribed|mailing lists?)\b/,
    'email or newsletter data',
  ],
  [
    /\b(sales ?(reps?|representatives?|people|persons?|team|managers?)|account (managers?|executives?|owners?)|customer success managers?|csms?|deals?|opportunit(y|ies)|quotas?|sales leads?|crm|sales pipeline|pipeline (value|revenue)|(in|of) the pipeline|bookings)\b/,
    'CRM records (sales reps, account owners, deals)',
  ],
];

/** General knowledge ("who won the world cup", "what is the capital of France"). */
const GENERAL_KNOWLEDGE =
  /\b(world cup|super bowl|olympics|elections?|president|prime minister|capital (city )?of|population of|stock market|who (invented|wrote|discovered|painted))\b/;

/** Requests that are not questions about the data. */
const NOT_A_QUESTION =
  /\b(ignore (all |the |your |any )?(previous |prior |above )?instructions|system prompt|you are now|pretend|jailbreak|(write|draft|compose) (me |up )?(a|an|the|our|some)? ?([\w-]+ ){0,3}(poem|haiku|limerick|sonnet|rap|lyrics|verse|riddle|recipe|story|essay|song|e-?mail|release notes?|notes?|announcement|blog post|post|tweet|press release|newsletter|message|memo|pitch|copy|faq|tagline|slogan|script|summary for)|tell me a joke|translate|password|api key|secret key|credentials|who are you|what can you do|wireframes?|mockups?|(design|redesign|sketch) (a|an|the|our|me)\b|rename (the|a|our)\b|make it (bigger|smaller|blue|red|green|bold)|feature flags?|(draft|write|create|make|build|prepare) (me |us )?(a|an|the|our)? ?([\w-]+ ){0,3}(plan|strategy|proposal|roadmap|deck|slides?|presentation|campaign)|(bump|raise|lower|increase|decrease|cut|reduce|change|set) (the |our )?([\w-]+ ){0,2}(prices?|pricing)|export\b.* to (my |our |the )?(e-?mail|inbox|drive|google drive|s3|dropbox|desktop|slack))\b|^ *(?:(?:please|kindly|now|can you|could you|would you|will you|i want you to|go and|go ahead and)[ ,]+)*(delete|drop|insert|update|truncate|alter|grant|create|remove|modify|change|set|send|email|post|open|browse|visit|fetch|download|upload|run|execute|(?:move|assign|upgrade|downgrade|cancel|deactivate|reactivate|disable|enable|ban|block|merge|rename|reset|revoke|notify|remind|archive|restore|migrate|transfer|refund|pause|unsubscribe|switch|put) (?:(?:the|this|that|all|every|my|our|user|customer|account|free|pro|paid|enterprise|trial|inactive|churned|active|those|these) ){0,3}(?:users?|accounts?|customers?|u_\w+|subscriptions?|workspaces?|everyone|them|him|her|teams?|members?))\b/;

const USER_WORDS =
  /\b(users?|people|persons?|customers?|accounts?|members?|visitors?|subscribers?|payers?|signups?|sign ups?|who|dau|wau|mau|actives?)\b/;

const AVERAGE = /\b(average|avg|mean|typical|median)\b/;
/** What a session counts, averaged per session ("events per session"). */
const SESSION_MEASURE =
  /\b(events|actions|page views|pageviews|pages viewed|pages|errors)(?: were| are| happen| happened| occur| occurred| show up|(?: did| do| does)? (?:people|users|they|customers) (?:look at|view|viewed|see|saw|open|opened|visit|visited))? (?:(?:per|a|each|in a|in each|in an average|in the average|in the typical) (?:[a-z]+ )?session\b|(?:does|do|did|will) (?:a|an|each|every|the average|an average|the typical|a typical) session (?:contain|have|include|hold|see|get)\b)/;

/**
 * The numeric property a question averages: a word of it named ("results", "duration"), on an
 * event the question names (or implies) — or, when none is named, the only event with it.
 */
function findMeasure(
  text: string,
  events: EventTerm[],
  implied: string | undefined,
  lexicon: Lexicon,
): MeasureTerm | undefined {
  const named = new Set([...events.map((e) => e.event), ...(implied ? [implied] : [])]);
  const found = lexicon.measures.filter((m) =>
    m.words.some((w) => new RegExp(`\\b${escape(w)}\\b`).test(text)),
  );
  const onNamed = found.filter((m) => named.has(m.event));
  if (onNamed.length) return onNamed[0];
  return named.size === 0 && found.length === 1 ? found[0] : undefined;
}

/** Words that ask for the time between two events ("how long after…", "time from X to Y"). */
const TIME_BETWEEN =
  /\b(how long|how much time|how many (days|hours|minutes)|time (it takes |it took |taken |elapsed |passes |passed )?(from|between|until|till|before)|takes? (users |people |them |someone |a user |customers )?(to|before|until)|took (users |people |them )?(to|before)|(days|hours|minutes|seconds) (from|between|until)|time to (first |their first )?)\b/;

/**
 * Days after a user's first day of the event: "7 to 13 days after", "between 7 and 13 days
 * after", "on day 7" ("day 7 retention"), "week 1 retention" (days 7–13).
 */
function daysAfter(text: string): AskPlan['thenDays'] {
  const range = /\b(?:between )?(\d{1,3}) (?:to|and|through|-|–) (\d{1,3}) days? after\b/.exec(
    text,
  );
  if (range && +range[1]! <= +range[2]!) return { from: +range[1]!, to: +range[2]! };
  // "At least 7 days after", "7 or more days after": from that day on (to the data's longest).
  const atLeast =
    /\b(?:at least|no less than|(?:a|one) week or more|(\d{1,3}) or more) ?(\d{1,3})? days? (?:or more |or later )?after\b|\b(\d{1,3})\+ days? after\b/.exec(
      text,
    );
  if (atLeast) {
    const n = Number(atLeast[1] ?? atLeast[2] ?? atLeast[3] ?? 7);
    if (Number.isFinite(n)) return { from: n, to: 366 };
  }
  const day = /\bday (\d{1,3}) retention\b|\b(\d{1,3}) days? after\b/.exec(text);
  if (day) return { from: +(day[1] ?? day[2])!, to: +(day[1] ?? day[2])! };
  const week =
    /\b(?:week ?(\d)|week (one|two|three|four)|(first|1st|second|2nd) week) retention\b/.exec(text);
  if (week) {
    const n = week[1]
      ? +week[1]
      : week[2]
        ? NUMBER_WORDS[week[2]]!
        : /first|1st/.test(week[3]!)
          ? 1
          : 2;
    return { from: 7 * n, to: 7 * n + 6 };
  }
  return undefined;
}

/** The dimension named right after "distinct", "different" or "unique" ("distinct features"). */
function distinctDimension(text: string, lexicon: Lexicon): Dimension | undefined {
  const m = /\b(?:distinct|different|unique|separate) ((?:[a-z_]+ )?[a-z_]+)\b/.exec(text);
  if (!m) return undefined;
  const words = m[1]!.split(' ');
  for (const w of [m[1]!, words.at(-1)!, words[0]!])
    for (const d of lexicon.dimensions) if (d.words.includes(w)) return d;
  return undefined;
}

/** Words that ask for a part of a whole. */
const SHARE_WORDS = /\b(share|percent|percentage|pct|proportion|fraction|rate|ratio|what part)\b/;
/** Words that ask for a part of a whole ("what share of logins used Google"). */
const PART_WORDS = /\b(share|percent|percentage|pct|proportion|fraction|what part)\b/;
/** Words that count occurrences, not people. */
const TIMES = /\b(how many times|number of times|(most|fewest|least|more|fewer) times|how often)\b/;

const RANK_DESC =
  /\b(most|highest|biggest|largest|top|greatest|leading|popular|more|rank|ranked|ranking|busiest|peak)\b/;
const RANK_ASC = /\b(least|fewest|lowest|smallest|bottom|less|rarely|unpopular|quietest|slowest)\b/;

export interface PlannerOptions {
  /** The previous plan of the conversation, for follow-ups. */
  context?: AskPlan;
}

const SUGGESTIONS = [
  'How many users signed up last month?',
  'Weekly active users by plan since August',
  'Top 5 features by users in the last 30 days',
  'What share of users who signed up in September completed onboarding?',
  'Average session duration in minutes by platform',
];

/**
 * Why a question gets no number: the data does not hold it (`no_data`), it is not a question
 * about the data (`not_a_question`), the planner could not read it (`unread`), or it read the
 * parts but they do not go together in one answer (`too_complex`).
 */
export type RefusalCause = 'no_data' | 'not_a_question' | 'unread' | 'too_complex';

export function refuse(
  reason: string,
  cause: RefusalCause = 'no_data',
): Extract<PlannerOutcome, { kind: 'refusal' }> {
  return { kind: 'refusal', reason, cause, suggestions: SUGGESTIONS };
}

/** The first of a dimension's columns the metric's table reaches (its own, else dim_users). */
export const COUNTS_PEOPLE = new Set<Metric>([
  'users',
  'share',
  'events_per_user',
  'funnel',
  'time_between',
]);

export function resolveColumn(
  columns: ColumnRef[],
  table: MartTable,
  usersFirst = false,
): ColumnRef | undefined {
  // Counting people: a dimension that is first of all a user's attribute (plan, country) is read
  // from dim_users, not from the event (a user who travels is counted once).
  if (usersFirst && columns[0]?.table === 'dim_users') return columns[0];
  return (
    columns.find((c) => c.table === table) ??
    (table !== 'dim_users' ? columns.find((c) => c.table === 'dim_users') : undefined) ??
    (table === 'fact_events' ? columns.find((c) => c.table === 'dim_features') : undefined)
  );
}

/** Words that ask for all events when they are what "how many" counts. */
const GENERIC_SUBJECTS = new Set([
  'things',
  'times',
  'actions',
  'activities',
  'events',
  'event',
  'total',
  'did',
  'have',
  'were',
  'was',
]);

/**
 * A share between the one event named and the event a value implies ("used the gantt chart"):
 * the two in the order the question names them, and the value hit when it implies the second.
 */
function impliedShare(
  named: Hit<EventTerm>,
  values: Hit<ValueTerm>[],
): { events: [string, string]; thenValue?: Hit<ValueTerm> } | undefined {
  const other = values.find((h) => h.item.impliesEvent && h.item.impliesEvent !== named.item.event);
  if (!other) return undefined;
  return other.start > named.start
    ? { events: [named.item.event, other.item.impliesEvent!], thenValue: other }
    : { events: [other.item.impliesEvent!, named.item.event] };
}

/**
 * The question without a leading clause of context ("Quick one for the onboarding review:",
 * "For the board deck —"): a clause ended by a colon or a dash that has no asking word.
 */
export function withoutPreamble(question: string): string {
  const m = /^([^:—–]{3,80}?)(?::|\s[—–-]\s)\s*(\S.*)$/s.exec(question);
  if (!m) return question;
  const asks =
    /\b(how|what|which|who|when|where|show|list|give|count|number|compare|rank|top|break|trend|plot|chart|many|much|share|percent|rate|average)\b/i;
  return asks.test(m[1]!) || !asks.test(m[2]!) ? question : m[2]!;
}

/** The question with every time phrase blanked (the asking sentence's and the context's). */
function withoutTimes(raw: string, today: string): string {
  let rest = raw.trim();
  for (let i = 0; i < 4; i++) {
    const next = readTime(rest, today).rest;
    if (next === rest) break;
    rest = next;
  }
  return rest;
}

/** The last sentence of a question that asks something (a question may open with context). */
function askingSentence(question: string): string {
  const sentences = question.split(/(?<=[.?!])\s+/);
  if (sentences.length < 2) return question;
  const asks = sentences.filter((x) =>
    /\b(how|what|which|who|when|show|list|give|count|number of|break|compare|rank|top)\b/i.test(x),
  );
  // "How many invited …? Break it down by company size.": the question, not the follow-on order.
  const questions = asks.filter((x) => /\?|\b(how|what|which|who)\b/i.test(x));
  return questions.at(-1) ?? asks.at(-1) ?? question;
}

/**
 * What "how many" / "number of" counts, when it says: people ('users'), or things named by an
 * event's words ('things': "number of reports exported", "how many logins").
 */
function countedNoun(text: string): 'users' | 'things' | undefined {
  const noun =
    /\b(?:how many|number of|count of|total number of|total)\s+(?:distinct |unique |different |new |active |individual )?([a-z]+)/.exec(
      text,
    )?.[1];
  if (!noun) return undefined;
  if (USER_WORDS.test(` ${noun} `)) return 'users';
  // "How many feature_used events", "how many page view events": events, whoever did them.
  if (/\b(?:how many|number of|count of)\s+[a-z_]+(?: [a-z_]+)? events\b/.test(text))
    return 'things';
  if (
    /^(times|events|actions|reports|logins|searches|errors|exports|projects|pageviews|pages|views|invites|invitations|sessions|crashes|clicks|uses|usages)$/.test(
      noun,
    )
  )
    return 'things';
  return undefined;
}

/** The noun after "how many" / "number of" when it is not a generic word (left unrecognised). */
function unknownSubject(text: string): string | undefined {
  const noun = /\b(?:how many|number of|count of)\s+([a-z]+)/.exec(text)?.[1];
  return noun && !GENERIC_SUBJECTS.has(noun) ? noun : undefined;
}

/** The words the planner's rules read (metrics, periods, rankings): a typo of one is corrected. */
const KEYWORDS = (
  'session sessions duration length average minutes seconds hours users people customers ' +
  'revenue subscriptions subscription experiment variant variants conversion churned ' +
  'weekly daily monthly yesterday today percentage percent proportion fraction breakdown ' +
  'country countries platform platforms device devices feature features signups active ' +
  'events errors between compared versus since january february march april june july ' +
  'august september october november december quarter highest lowest number unique distinct ' +
  'different separate retention retained funnel compare comparison median'
).split(' ');

const lexiconWords = new WeakMap<Lexicon, Set<string>>();

/**
 * "avg sesion length", "septmber": a word of 5+ letters one letter away from a word the rules
 * read (and not itself a word of the workspace's catalog) is read as that word.
 */
function fixTypos(text: string, lexicon: Lexicon): string {
  let known = lexiconWords.get(lexicon);
  if (!known) {
    known = new Set(
      [
        ...lexicon.events.flatMap((e) => e.phrases),
        ...lexicon.values.flatMap((v) => v.phrases),
        ...lexicon.dimensions.flatMap((d) => d.words),
      ].flatMap((p) => normalise(p).trim().split(' ')),
    );
    lexiconWords.set(lexicon, known);
  }
  const words = known;
  // Targets: the rules' words, then the catalog's dimension words ("industy").
  const targets = [
    ...KEYWORDS,
    ...lexicon.dimensions.flatMap((d) => d.words).filter((w) => /^[a-z]{5,}$/.test(w)),
    // Then the events' words ("reprot" → report).
    ...[
      ...new Set(lexicon.events.flatMap((e) => normalise(e.phrases.join(' ')).split(' '))),
    ].filter((w) => /^[a-z]{5,}$/.test(w)),
  ];
  return text.replace(/[a-z]{5,}/g, (word) => {
    if (words.has(word) || KEYWORDS.includes(word)) return word;
    return targets.find((k) => withinOne(word, k)) ?? word;
  });
}

const COMPARATORS: [string, '>' | '>=' | '<' | '<=' | '='][] = [
  [
    'more than|over|above|greater than|longer than|bigger than|larger than|exceeding|in excess of',
    '>',
  ],
  ['at least|no less than|no fewer than|a minimum of|minimum', '>='],
  ['less than|under|below|fewer than|shorter than', '<'],
  ['at most|no more than|up to|a maximum of|maximum', '<='],
  ['exactly|equal to', '='],
];

interface Comparison {
  op: '>' | '>=' | '<' | '<=' | '=';
  n: number;
  /** The words after the number ("minutes", "different days", "reports"). */
  noun: string;
  /** Where the comparison was, in the returned text. */
  at: number;
}

/**
 * Comparisons with a number in a question: "more than 10 minutes", "5 or more days", "5+ days",
 * "zero results". Each is taken out of the text but its noun, so "exported more than 3 reports"
 * reads "exported reports".
 */
function readComparisons(input: string): { text: string; found: Comparison[] } {
  let text = input;
  const found: Comparison[] = [];
  const number = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
  const value = (s: string) => (/^\d/.test(s) ? Number(s) : NUMBER_WORDS[s]!);
  const forms: [RegExp, (m: RegExpExecArray) => Comparison['op']][] = [
    ...COMPARATORS.map(
      ([words, op]) =>
        [
          new RegExp(`(?<=\\s)(?:of |with |for |on |in |by )?(?:${words}) ${number} (?=[a-z])`),
          () => op,
        ] as [RegExp, (m: RegExpExecArray) => Comparison['op']],
    ),
    [
      new RegExp(`(?<=\\s)(?:on |in |for )?${number}(?: or (more|fewer|less)|\\+| plus) (?=[a-z])`),
      (m) => (m[2] === 'fewer' || m[2] === 'less' ? '<=' : '>='),
    ],
  ];
  for (const [re, op] of forms) {
    // Right to left, so the places of those found first stay right.
    const matches = [...text.matchAll(new RegExp(re.source, 'g'))].reverse();
    for (const m of matches) {
      const rest = text.slice(m.index + m[0].length);
      const noun = /^[a-z]+(?: [a-z]+){0,2}/.exec(rest)![0];
      // "1000+ employees", "more than 1000 employees": a company size (a value), not a count.
      if (/^(employees?|employee|people|staff|seats|person)\b/.test(noun)) continue;
      // "at least 7 days after their signup": when, not how many days.
      if (
        /^(days?|weeks?|hours?)(?: (?:or more|or later))? (after|before|later|earlier|since|from)\b/.test(
          rest,
        )
      )
        continue;
      found.push({ op: op(m as RegExpExecArray), n: value(m[1]!), noun, at: m.index });
      text = text.slice(0, m.index) + text.slice(m.index + m[0].length);
    }
  }
  // "zero results", "no results": a numeric property equal to 0 (read as one when it is one).
  const zero = /(?<=\s)(?:zero|no|0) (?=(results?|items?|matches|hits)\b)/.exec(text);
  if (zero) {
    found.push({ op: '=', n: 0, noun: zero[1]!, at: zero.index });
    text = text.slice(0, zero.index) + text.slice(zero.index + zero[0].length);
  }
  return { text, found };
}

/** Plans a question; `today` is YYYY-MM-DD (TL_NOW or the clock). */
export function planQuestion(
  question: string,
  lexicon: Lexicon,
  today: string,
  options: PlannerOptions = {},
): PlannerOutcome {
  // "finance q - total MRR…", "CS here: …": a label of who asks is not part of the question.
  question = question.replace(
    /^\s*[\w ]{0,30}\b(?:q|qn|question|here|quick one|request|fyi)\s*(?::|\s[—–-]\s)\s*(?=\S)/i,
    '',
  );
  question = expandCountryCodes(question, lexicon);
  const raw = fixTypos(normalise(question), lexicon);
  if (raw.trim().length === 0) return refuse('The question is empty.', 'not_a_question');
  if (NOT_A_QUESTION.test(raw) || GENERAL_KNOWLEDGE.test(raw))
    return refuse(
      'I answer questions about this workspace’s product data, read-only: like the ones below.',
      'not_a_question',
    );
  // "Quick one for the onboarding review: how many…": a leading clause that asks nothing is
  // context, so what it mentions ("review") is not what the question asks for.
  const preamble = withoutPreamble(question);
  const asked = preamble === question ? raw : fixTypos(normalise(preamble), lexicon);
  for (const [re, what] of UNKNOWN_MEASURES)
    if (re.test(asked))
      return refuse(
        `The data has no ${what}: the catalog holds product events, users, sessions, features, subscriptions (MRR) and experiments.`,
      );

  // "We launched X in September. What share of users active in October used it in October?":
  // when the sentence that asks names a period, a period in a sentence of context is not it.
  const askedSentence = askingSentence(question);
  const askingText = fixTypos(normalise(askedSentence), lexicon);
  const askingTime =
    askingText.trim() !== raw.trim() ? readTime(askingText.trim(), today) : undefined;
  const time = askingTime?.period
    ? { ...askingTime, rest: withoutTimes(raw, today) }
    : readTime(raw.trim(), today);
  // "How many users will sign up in December": no data exists after today (no forecasts).
  if (time.period && time.period.from > today)
    return refuse(
      `${time.period.label} has not happened yet: the data ends today (${today}), and I do not forecast.`,
    );
  // Two periods in a share ("of the users who signed up in August, what share were active in
  // October"): the first named is the users', the other the second event's — unless the first
  // opens the question ("In October, what share of September's signups…"): that one is the
  // main clause's.
  const twoPeriodShare = /\b(share|percent|percentage|proportion|fraction|rate|what part)\b/.test(
    raw,
  );
  // Or a count ("of the users who signed up in August, how many were still active in October").
  const twoPeriodCount = !twoPeriodShare && /\b(how many|number of)\b/.test(raw);
  const twoPeriods =
    time.other &&
    (twoPeriodShare || twoPeriodCount) &&
    // ("the 7 days before that" names a period, not whose; "august signups were still active
    // last week" names whose without a who.)
    (/\b(who|that)\b/.test(raw.replace(/\b(before|after|prior to|than|like) that\b/g, ' ')) ||
      /\b(signups|sign ups|cohort|joiners|new users)\b.* (still|again|active|around|came back|returned)\b/.test(
        raw,
      ))
      ? time.other.first !== time.other.opens
        ? { users: time.other.period, then: time.period! }
        : { users: time.period!, then: time.other.period }
      : undefined;
  // "For each monthly signup cohort, what % of the cohort was active in the last 7 days", "for
  // the August and September signup cohorts, what share … was active in the last 7 days": the
  // period after "active" is the activity's; another one is the cohort's.
  const activeAt =
    /\b(active|came back|returned|still around|used the (app|product)|(?:doing|did) (?:anything|something)(?: in the (?:app|product))?)\b (?:at any point |at all |again )?(?:in|during|over|within|on|since|this|last|past|yesterday|today)\b/.exec(
      raw,
    );
  const cohortActive =
    !twoPeriods && twoPeriodShare && activeAt && time.period && /\bcohorts?\b/.test(raw)
      ? time.other
        ? raw.indexOf(time.other.phrase) > activeAt.index
          ? { users: time.period as AskPeriod | undefined, then: time.other.period }
          : { users: time.other.period as AskPeriod | undefined, then: time.period }
        : { users: undefined, then: time.period }
      : undefined;
  // Comparisons with a number ("lasted longer than 10 minutes", "on 5 or more days", "zero
  // results") are read first and taken out, their nouns left for the rest to read ("exported
  // more than 3 reports" names report_exported).
  // Two periods compared ("active users in Oct 1–15 vs Oct 16–31", "signups in October compared
  // to September: October minus September"): the metric in each.
  const versusOther =
    !twoPeriods && time.period?.to && time.other?.period.to && COMPARE_WORDS.test(raw)
      ? time.other
      : undefined;
  const compared = readComparisons(
    ` ${twoPeriods || versusOther || cohortActive?.users ? time.rest.replace(time.other!.phrase, ' ') : time.rest} `,
  );
  // "exported the most reports" reads "exported reports the most" (same length, so places in
  // the text stay right): the event's name is whole again, the ranking words still there.
  const text = compared.text.replace(
    /\b([a-z]+ed) ((?:the )?(?:most|fewest|least|more|fewer)) ([a-z]+)\b/g,
    (all, verb: string, rank: string, noun: string) =>
      /^(than|of|in|on|at|by|for|and|or|to|times?|often|days?|weeks?|months?)$/.test(noun)
        ? all
        : `${verb} ${noun} ${rank}`,
  );
  const taken = Array.from({ length: text.length }, () => false);
  const notes: string[] = [];

  // Ranking and limits.
  let limit: number | undefined;
  let order: 'asc' | 'desc' | undefined;
  const topN = new RegExp(`\\b(top|bottom|first|best|worst) ${NUM}\\b`).exec(text);
  // ("in each of the two months" is a grain, not a limit.)
  const whichN = new RegExp(
    // ("across the 31 days" is the period's length, not a limit.)
    `(?<!\\beach of )\\b(?:(?:which|what|name the|list the) ${NUM} \\b|the ${NUM} \\b(?!(?:calendar )?(?:days?|weeks?|months?|hours?|years?)\\b))`,
  ).exec(text);
  const nMost = new RegExp(
    `\\b${NUM} (most|least|biggest|largest|smallest|highest|lowest|fewest|busiest|quietest|peak|slowest)\\b`,
  ).exec(text);
  if (topN) {
    limit = num(topN[2]!);
    order = topN[1] === 'bottom' || topN[1] === 'worst' ? 'asc' : 'desc';
  } else if (nMost) limit = num(nMost[1]!);
  else if (whichN) limit = num((whichN[1] ?? whichN[2])!);
  // "from the highest churn rate to the lowest": the first end named is the top.
  const span =
    /\bfrom (?:the )?(highest|most|biggest|largest|best|top|lowest|least|smallest|fewest|worst|bottom)\b.*\bto (?:the )?(?:lowest|least|smallest|fewest|worst|bottom|highest|most|biggest|largest|best|top)\b/.exec(
      text,
    );
  if (span) order = /^(lowest|least|smallest|fewest|worst|bottom)$/.test(span[1]!) ? 'asc' : 'desc';
  else if (RANK_ASC.test(text.replace(/\bat (least|most)\b/g, ' '))) order = 'asc';
  else if (RANK_DESC.test(text) && (order ?? 'desc') === 'desc') order = order ?? 'desc';
  // "Which plan has the most …": one answer.
  // ("Which app version and platform combination logged the most errors": one too; "which
  // countries saw the most" is several.)
  const oneMost =
    /\b(?:which|what) ([a-z_ +]+?) ([a-z]+ed|has|is|was|had|gets|got|does|did|saw|sees|threw|throws|drew|brought|brings) (?:[a-z_]+ ){0,2}(?:the )?(?<!\bat )(?:most|least|highest|lowest|biggest|fewest|largest|smallest)\b/.exec(
      text,
    );
  if (
    !limit &&
    oneMost &&
    (order || /ed$|^(saw|threw|drew|brought)$/.test(oneMost[2]!)) &&
    (/^(has|is|was|gets|does|sees|throws|brings)$/.test(oneMost[2]!) ||
      // ("which features were used by the most users": several, by the noun or its verb.)
      !(
        /\b(were|are|have|do)\b/.test(oneMost[1]!) ||
        /[^s]s$/.test(oneMost[1]!.replace(/\s+(was|is|has|had|did|got)\b.*$/, '').trim())
      ))
  ) {
    limit = 1;
    order ??= /\b(least|lowest|fewest|smallest)\b/.test(oneMost[0]) ? 'asc' : 'desc';
  }
  if (limit && !order) order = 'desc';

  // Events and values named in the question.
  // A value of several words ("onboarding checklist v2", "united states") is read before the
  // events, so an event's word inside it ("onboarding") does not take it apart.
  const longValues = findPhrases(
    text,
    lexicon.values
      .filter((v) => !v.columns[0]?.property)
      .map((v) => ({ item: v, phrases: v.phrases.filter((p) => p.trim().includes(' ')) })),
    Array.from({ length: text.length }, () => false),
  ).filter((h) => h.phrase.includes(' '));
  for (const h of longValues) for (let k = h.start; k < h.end; k++) taken[k] = true;
  const eventHits = findPhrases(
    text,
    lexicon.events.map((e) => ({ item: e, phrases: e.phrases })),
    taken,
    true,
  );
  for (const h of longValues) for (let k = h.start; k < h.end; k++) taken[k] = false;
  // An event property's value counts only when the question names its event or its key
  // ("exported as PDF" yes; "features" or "home" alone are words, not page_viewed.page values).
  // Text that names an event and also a value of another named event's property is the value
  // ("exports as X" where X is also an event's name).
  const propertyPhrase = (phrase: string, events: Set<string>) =>
    lexicon.values.some(
      (v) =>
        v.columns[0]?.property &&
        events.has(v.columns[0].property.event) &&
        v.phrases.some((p) => normalise(p).trim() === phrase),
    );
  for (let i = eventHits.length - 1; i >= 0; i--) {
    const hit = eventHits[i]!;
    const others = new Set(eventHits.filter((h) => h !== hit).map((h) => h.item.event));
    if (!propertyPhrase(hit.phrase, others)) continue;
    for (let k = hit.start; k < hit.end; k++) taken[k] = false;
    eventHits.splice(i, 1);
  }
  // "We're deciding whether to keep the GitHub login button on the signup page. How many people
  // signed up last month with each signup method?": events named in a sentence about us (the
  // context) give way to those of the sentence that asks.
  const sentences = question.split(/(?<=[.?!])\s+/).filter((x) => x.trim());
  if (
    sentences.length > 1 &&
    sentences
      .filter((x) => x !== askedSentence)
      .every((x) => /^\s*(we|we're|we are|we've|i|i'm|i am|i've|our|my)\b/i.test(x))
  ) {
    const asked = new Set(
      findPhrases(
        askingText,
        lexicon.events.map((e) => ({ item: e, phrases: e.phrases })),
        [],
        true,
      ).map((h) => h.item.event),
    );
    if (asked.size)
      for (let i = eventHits.length - 1; i >= 0; i--) {
        const hit = eventHits[i]!;
        if (asked.has(hit.item.event)) continue;
        for (let k = hit.start; k < hit.end; k++) taken[k] = false;
        eventHits.splice(i, 1);
      }
  }
  const named = new Set(eventHits.map((h) => h.item.event));
  // A value of a property whose event is named, or whose key is ("google as their signup
  // method"); the more specific reading first: its event and key named, then its event, then its
  // key (a longer key before a shorter one: "signup method" before "method").
  // An event named with a value between its words ("exported a csv report"): each word of its
  // name, or the word's stem, is in the question.
  const looselyNamed = (event: string) =>
    event
      .split('_')
      .every((w) => new RegExp(`\\b${escape(w.slice(0, Math.max(4, w.length - 2)))}`).test(text));
  const keyNamed = (key: string) =>
    new RegExp(`\\b${escape(key.replace(/_/g, ' '))}\\b`).test(text) ? key.length : 0;
  const valueHits = findPhrases(
    text,
    lexicon.values
      .flatMap((v) => {
        const property = v.columns[0]?.property;
        // A feature's category ("platform", "reporting") only when features are talked about.
        if (v.columns[0]?.table === 'dim_features' && !/\b(features?|categor(y|ies))\b/.test(text))
          return [];
        if (!property) return [{ v, score: 0 }];
        const score =
          (named.has(property.event) ? 100 : looselyNamed(property.event) ? 50 : 0) +
          keyNamed(property.key);
        return score > 0 ? [{ v, score }] : [];
      })
      .sort((a, b) => b.score - a.score)
      .map(({ v }) => ({ item: v, phrases: v.phrases })),
    taken,
  ).filter(
    // "Members who created a project", "our members": the people asked about, not the invitee
    // role "member".
    (h) =>
      !(
        /^(users?|members?|customers?|accounts?|people|visitors?)$/.test(
          text.slice(h.start, h.end),
        ) &&
        (/^ (who|that|which)\b/.test(text.slice(h.end)) ||
          /\b(our|of) $/.test(text.slice(0, h.start)))
      ),
  );

  // Breakdown: "by plan", "per platform", "for each feature", "which countries", "top 5 features".
  const dimEntries = lexicon.dimensions.flatMap((d) => d.words.map((w) => ({ d, w })));
  dimEntries.sort((a, b) => b.w.length - a.w.length);
  let breakdownDim: Dimension | undefined;
  let breakdownWord: string | undefined;
  for (const { d, w } of dimEntries) {
    const re = new RegExp(
      `\\b(?:rank|ranking|ranked|by|per|for each|for every|of each|each|every|across|split by|broken down by|break down by|breakdown by|grouped by|group by|in each|combinations? of|combos? of|which|what|top ${NUM}|bottom ${NUM}|which ${NUM}|what ${NUM}|the ${NUM}|${NUM} (?:most|least|fewest|biggest|largest|smallest|highest|lowest|busiest)|most used|least used|compare(?: the)?|between) (?:the |different |their |user |users' )?(?:[a-z]+ ){0,2}${escape(w).replace(/ /g, '[ _]')}\\b(?! (?:count|counts|volume|totals?)\\b)`,
    );
    // ("by total event count", "by number of events" rank by a measure.)
    const found = re.exec(text);
    if (
      found &&
      !/^(?:rank|ranking|ranked|by|per) (?:the )?(?:total |overall )?(?:number|count|amount|volume|sum) of\b/.test(
        found[0],
      ) &&
      // ("What fraction of feature usage events…" asks for one share, not one per feature;
      // "compare last week with the week before: how many feature uses" compares weeks.)
      !/^(?:which|what) (?:fraction|share|percent|percentage|proportion|number|count|amount|total|ratio|portion|part) of\b/.test(
        found[0],
      ) &&
      !/^compare(?: the)? (?:how|what|which|number|count)\b/.test(found[0])
    ) {
      // "per user" is a rate, not a breakdown; "by users" neither.
      breakdownDim = d;
      breakdownWord = w;
      break;
    }
  }
  // "… by month and error type, one row per month and type": "type" is the error type named
  // before, not the event type.
  if (breakdownDim && breakdownWord) {
    const short = breakdownWord;
    const longer = dimEntries.find(
      ({ d, w }) =>
        d !== breakdownDim &&
        w.endsWith(` ${short}`) &&
        new RegExp(`\\b${escape(w).replace(/ /g, '[ _]')}\\b`).test(text),
    );
    if (longer) {
      breakdownDim = longer.d;
      breakdownWord = longer.w;
    }
  }
  // "How many errors of each type": the type of the one event named (error_occurred's
  // error_type), not the event type.
  if (
    breakdownDim?.id === 'event_name' &&
    breakdownWord &&
    /^(types?|kinds?)$/.test(breakdownWord)
  ) {
    const named = [...new Set(eventHits.map((h) => h.item.event))];
    const own = lexicon.dimensions.filter((d) => {
      const property = d.columns[0]?.property;
      return (
        property !== undefined && property.event === named[0] && /(^|_)type$/.test(property.key)
      );
    });
    if (named.length === 1 && own.length === 1) breakdownDim = own[0];
  }
  if (!breakdownDim)
    for (const { d, w } of dimEntries) {
      if (
        new RegExp(`\\b${escape(w)} (?:breakdown|split|mix|distribution)\\b`).test(text) ||
        // "Error counts by month and error type": the trend's grain, then the breakdown.
        new RegExp(
          `\\b(?:by|per|for each|each) (?:day|week|month)(?: and|,? &|,) (?:by |per |each )?(?:the )?${escape(w).replace(/ /g, '[ _]')}\\b`,
        ).test(raw) ||
        // "Among our premium features, which 3 had the most users": the features ranked.
        new RegExp(
          `\\b${escape(w).replace(/ /g, '[ _]')} (?:which|what) (?:${NUM} )?(?:ones? )?(?:had|has|have|got|were|was|saw|drew|attracted)\\b`,
        ).test(text)
      ) {
        breakdownDim = d;
        break;
      }
    }

  // "By app version and platform", "which version + platform combination": a second breakdown,
  // one row per pair of values.
  let alsoByDim: Dimension | undefined;
  let alsoByWord = '';
  if (breakdownDim && breakdownWord)
    for (const { d, w } of dimEntries) {
      if (d.id === breakdownDim.id) continue;
      const words = (x: string) => `${escape(x).replace(/ /g, '[ _]')}s?`;
      const pair = (x: string, y: string) =>
        `${words(x)} ?(?:\\+|and|&|/|x|by|with|on which|and which|for which|in which)(?: by)? (?:the |each |their )?${words(y)}`;
      const lead =
        '\\b(?:by|per|for each|for every|each|across|split by|broken down by|break down by|breakdown by|grouped by|group by|combinations? of|combos? of|which|what)(?: the| each| their)? ';
      const either = `(?:${pair(breakdownWord, w)}|${pair(w, breakdownWord)})`;
      // "on each current plan, per country", "by plan and by country": each named on its own.
      // (Apart: "by feature category" is one breakdown, not "feature" and "category".)
      const own = (x: string) =>
        new RegExp(
          `\\b(?:by|per|for each|for every|on each|in each|with each|split by|broken down by|grouped by)(?: (?:the|their|each|current|signup|user|subscription|(?:customer|user|account|member)s?(?:'s?)?)){0,4} ${words(x)}\\b`,
        ).exec(text);
      const first = own(breakdownWord);
      const second = own(w);
      if (
        new RegExp(`${lead}(?:[a-z]+ ){0,2}${either}\\b`).test(text) ||
        new RegExp(`\\b${either} (?:combinations?|combos?|pairs?)\\b`).test(text) ||
        (first &&
          second &&
          (first.index + first[0].length < second.index ||
            second.index + second[0].length < first.index))
      ) {
        alsoByDim = d;
        alsoByWord = w;
        break;
      }
    }

  // "Which 5 enterprise users generated the most events", "who are the most active users": the
  // users ranked, one row each (their user_id), rather than how many there are.
  const rankUsers =
    !breakdownDim &&
    order !== undefined &&
    new RegExp(
      `\\b(?:which|what|top|bottom|list the|name the|who (?:are|were|is|was) (?:the|our|my))(?: ${NUM})?(?: [a-z]+){0,3} (users?|customers?|accounts?|people|members)\\b`,
    ).exec(text);
  if (rankUsers && !limit) limit = /s$|people/.test(rankUsers[rankUsers.length - 1]!) ? 10 : 1;

  // "Which app version threw the most errors": one answer (a singular noun), where "which
  // versions…" ranks them all.
  if (
    !limit &&
    order &&
    breakdownWord &&
    !breakdownWord.endsWith('s') &&
    // ("Which company size segments have the most users", "… sort from most to fewest": all.)
    new RegExp(
      `\\b(which|what) (?:[a-z]+ ){0,3}${escape(breakdownWord)} (?!(?:and|or|segments|groups|buckets|bands|brackets|categories|types|kinds|values|levels|options)\\b)`,
    ).test(text) &&
    !/\bfrom (the )?(most|highest|largest|biggest|top) to (the )?(fewest|least|lowest|smallest|bottom)\b|\bfrom (the )?(fewest|least|lowest|smallest|bottom) to (the )?(most|highest|largest|biggest|top)\b|\b(rank|list|sort|order|show) (them |those |these )?all\b|\ball of them\b/.test(
      raw,
    )
  )
    limit = 1;

  // "Which day had the fewest exports": the one day.
  if (
    !limit &&
    order &&
    /\b(which|what) (single |one |particular |specific )?(day|week|month|weekday|weekend day|business day|working day|workday)\b/.test(
      raw,
    )
  )
    limit = 1;

  // Values grouped by dimension; two values of one dimension compared ("mobile versus desktop").
  let comparedDim: string | undefined;
  const byDimension = new Map<string, ValueTerm[]>();
  for (const h of valueHits) {
    const list = byDimension.get(h.item.dimension) ?? [];
    if (!list.some((v) => v.value === h.item.value)) list.push(h.item);
    byDimension.set(h.item.dimension, list);
  }
  // "Mobile only, not tablets", "every platform except web", "not on the free plan": a value
  // named after a negation is left out of the others of its dimension; named alone, the filter
  // is every other value the dimension has.
  const negated = valueHits.filter(
    (h) =>
      /\b(not|excluding|except|but not|other than|without|minus|apart from|aren't|isn't|weren't|wasn't)( on| in| from| using| via)?( the| any| a| an)? $/.test(
        text.slice(0, h.start),
      ) ||
      // "excluding those who came through the paid channel", "not counting users currently on
      // the free plan": a few words of the same clause between.
      /\b(excluding|except for|not counting|leaving out|ignoring|other than|apart from)((?! (?:how|what|which|show|list|give|count|many|number|and|but|or|then|only)\b) [a-z0-9_']+){0,5} $/.test(
        text.slice(0, h.start),
      ),
  );
  for (const h of negated) {
    const dim = h.item.dimension;
    const out = new Set(negated.filter((n) => n.item.dimension === dim).map((n) => n.item.value));
    let list = (byDimension.get(dim) ?? []).filter((v) => !out.has(v.value));
    if (!list.length) {
      const property = h.item.columns[0]?.property;
      const others = lexicon.values.filter(
        (v) =>
          v.dimension === dim &&
          !out.has(v.value) &&
          v.columns[0]?.property?.event === property?.event &&
          v.columns[0]?.property?.key === property?.key,
      );
      list = others.length <= 50 ? others : [];
    }
    if (list.length) byDimension.set(dim, list);
    else byDimension.delete(dim);
  }
  // "HTTP 5xx errors", "4xx codes": every value of a code dimension in that status class.
  for (const m of text.matchAll(/(?<=\s)(?:http )?([1-5])xx(?= )/g)) {
    const inClass = lexicon.values.filter(
      (v) => !v.columns[0]?.property && new RegExp(`(^|[^0-9])${m[1]}\\d\\d$`).test(v.value),
    );
    const dims = [...new Set(inClass.map((v) => v.dimension))];
    if (dims.length === 0)
      return refuse(
        `No code of the ${m[1]}xx class is in this workspace’s data, so I cannot count them.`,
      );
    if (dims.length !== 1) continue;
    const list = byDimension.get(dims[0]!) ?? [];
    for (const v of inClass) if (!list.some((x) => x.value === v.value)) list.push(v);
    byDimension.set(dims[0]!, list);
    for (let k = m.index; k < m.index + m[0].length; k++) taken[k] = true;
  }
  if (
    !breakdownDim &&
    // ("Compare the number of sessions on iOS and Android": one figure for each.)
    (/\b(versus|vs|compared (to|with)|compare|comparing|comparison|or|than|respectively|each|separately|difference between|differ)\b/.test(
      raw,
    ) ||
      // "Split current MRR between monthly and annual billing": a figure for each.
      /\b(split|divided|broken down|break down|breakdown)\b.*\bbetween\b/.test(raw) ||
      // "How many are billed annually and how many monthly": a count for each.
      /\bhow (many|much)\b.*\band how (many|much)\b/.test(raw))
  ) {
    for (const [dim, vals] of byDimension)
      if (vals.length > 1) {
        breakdownDim = lexicon.dimensions.find((d) => d.id === dim);
        comparedDim = dim;
        break;
      }
  }

  // "We're reviewing paid vs organic. How many signed up through each channel?": values of the
  // breakdown named only in a sentence of context do not narrow what is asked for each.
  if (breakdownDim && byDimension.has(breakdownDim.id)) {
    const asking = normalise(askedSentence);
    const named = (v: ValueTerm) =>
      v.phrases.some((p) => asking.includes(` ${normalise(p).trim()} `));
    if (asking.trim() !== raw.trim() && !byDimension.get(breakdownDim.id)!.some(named))
      byDimension.delete(breakdownDim.id);
  }

  // Events: the ones named, in order. A value that implies an event (a feature, a format) or a
  // breakdown that does (features, error codes) names it too.
  // ("error events … server-side errors" names one event twice.)
  let events = eventHits
    .map((h) => h.item)
    .filter((e, i, all) => all.findIndex((x) => x.event === e.event) === i);
  const implied =
    [...byDimension.values()].flat().find((v) => v.impliesEvent)?.impliesEvent ??
    breakdownDim?.impliesEvent;

  // "How many people uninstalled the app": an action no event records is not "active users".
  const action =
    /\b(?:how many|number of) (?:users?|people|persons?|customers?|accounts?|members?|visitors?) (?:have |has |had |did |who )?([a-z]+ed)\b/.exec(
      text,
    ) ??
    /\bhow (?:many times|often) (?:did|do|does|have|has) (?:users|people|persons|customers|accounts|members|visitors|we|they|anyone|someone) ([a-z]+)\b/.exec(
      text,
    );
  if (action) {
    const verb = action[1]!;
    const start = action.index + action[0].length - verb.length;
    const known = (phrases: string[]) =>
      phrases.some((p) =>
        p.split(/\s+/).some((w) => w === verb || w === `${verb}s` || w === `${verb}ed`),
      );
    if (
      !taken[start] &&
      !KNOWN_VERBS.has(verb) &&
      !KNOWN_VERBS.has(`${verb}d`) &&
      !KNOWN_VERBS.has(`${verb}ed`) &&
      !lexicon.events.some((e) => known(e.phrases)) &&
      !lexicon.values.some((v) => known(v.phrases))
    )
      return {
        ...refuse(
          `No event in this workspace records “${verb}”: the catalog’s events are ${lexicon.events
            .slice(0, 20)
            .map((e) => e.event)
            .join(
              ', ',
            )}${lexicon.events.length > 20 ? ` and ${lexicon.events.length - 20} more` : ''}.`,
        ),
        unread: true,
      };
  }

  // ---- the metric -----------------------------------------------------------------------------
  let metric: Metric | undefined;
  let unit: AskPlan['unit'];
  const percent =
    /\b(percent|percentage|pct)\b/.test(raw) &&
    !/\bnot (a |as a |in |as )?(percent|percentage|pct)s?\b/.test(raw);
  // Who is counted is read in the sentence that asks ("Some accounts complained… How many errors
  // were logged?"), without what it says is not counted ("logins, not people").
  // Nor a clause that says whose rows count ("…, only counting users who were on pro").
  const asking = askingText
    .replace(
      /\b(not|rather than|instead of|as opposed to) (by )?(people|users|persons|customers|accounts|unique users|distinct users)\b/g,
      ' ',
    )
    .replace(
      /\b(only )?(counting|considering|including|excluding) (only )?(the )?(users|people|customers|accounts)( who| that)?(?= (were|was|are|is|had|have|on|with|from|in)\b)/g,
      ' ',
    )
    // "… made while the user was on the enterprise plan": the plan at the time, not who counts.
    .replace(
      /\b(while|when) (the |a )?(users?|people|customers?|accounts?|they) (was|were|is|are) on\b/g,
      ' ',
    );
  const counted = countedNoun(asking);
  // "What share of their report exports…": the share is of the event's occurrences, whoever
  // is named elsewhere ("for enterprise users").
  const shareOfThings = eventHits.some(
    (h) =>
      !h.item.countsUsers &&
      (/\b(share|percent|percentage|pct|proportion|fraction|part) of (?:their |the |all |our |those |these |its )?$/.test(
        text.slice(0, h.start),
      ) ||
        // "Of the reports exported in October…, what share were PDF": the question opens with
        // the things the share is of.
        (/^ ?of (?:the |all |our |those |these )?$/.test(text.slice(0, h.start)) &&
          /\b(share|percent|percentage|pct|proportion|fraction)\b/.test(text))),
  );
  const hasUsers = shareOfThings
    ? false
    : counted === 'users'
      ? true
      : counted === 'things'
        ? false
        : USER_WORDS.test(asking);
  const churn = /\bchurn(ed|ing)?\b/.test(raw);
  const experimentValue = byDimension.get('experiment_key');
  let thenEvent: string | undefined;
  let event: string | undefined;
  let measure: MeasureTerm | undefined;
  let sessionMeasure: string | undefined;
  let thenValue: Hit<ValueTerm> | undefined;
  let impliedPair: ReturnType<typeof impliedShare>;

  let steps: string[] | undefined;
  let funnel: AskPlan['funnel'];
  let windowDays: number | undefined;
  let thenDays: AskPlan['thenDays'];
  let distinctDim: Dimension | undefined;
  /** `events_per_user` of distinct event days: days active per user. */
  let activeDays = false;
  /** Subscriptions of the users exposed to an experiment (its variant and key as columns). */
  let viaExposures = false;
  if (events.length >= 2 && (/\bfunnel\b/.test(raw) || /->|→/.test(raw))) {
    // "the signup → onboarding → project funnel": the steps in the order they are named.
    metric = 'funnel';
    // With arrows, the steps are the chain's: the event just before the first arrow and those
    // after it ("the onboarding funnel for signups: signed up → completed onboarding → …").
    // A step after the first belongs to the chain when an arrow stands before it.
    // ("how many signed up, then completed onboarding, then created a project": "then" links
    // steps as an arrow does.)
    const link = /->|→|\bthen\b|\bfollowed by\b/;
    const arrow = text.search(link);
    const before = arrow < 0 ? [] : eventHits.filter((h) => h.end <= arrow);
    const linked = before.length ? [before.at(-1)!] : [];
    for (const h of eventHits)
      if (
        linked.length &&
        h.start > linked.at(-1)!.start &&
        link.test(text.slice(linked.at(-1)!.end, h.start))
      )
        linked.push(h);
    const chain = linked
      .map((h) => h.item)
      .filter((e, i, all) => all.findIndex((x) => x.event === e.event) === i);
    steps = (chain.length >= 2 ? chain : events).slice(0, 10).map((e) => e.event);
    // "Every step within 7 days of signing up": the window, not a row per step.
    const within =
      /\b(?:with )?(?:each|every|all)(?: the)? (?:later |next |following )?steps? (?:happening |done |completed )?within (\d+) days?\b|\bwithin (\d+) days? (?:of|after|from) (?:the first step|signing up|signup|sign up|their first|the first|step 1|step one)\b|\b(\d+)[ -]day (?:conversion )?window\b/.exec(
        raw,
      );
    if (within) windowDays = Number(within[1] ?? within[2] ?? within[3]);
    const rest = within ? raw.replace(within[0], ' ') : raw;
    funnel =
      /(\b(as|in) (a single|one|a) row|\bone row|\bsingle row)\b(?! (per|for each|for every|each|a|by) step)|\bside by side\b/.test(
        rest,
      )
        ? 'row'
        : /\b(each|every|per|by) step\b|\bsteps\b/.test(rest)
          ? 'steps'
          : /\b(conversion|convert|converted|converts|rate|share|percent|percentage|proportion|fraction)\b/.test(
                rest,
              )
            ? 'conversion'
            : /\b(how many|number of|count)\b/.test(rest)
              ? 'completed'
              : 'steps';
  } else if (
    experimentValue?.length === 1 &&
    byDimension.has('billing_period') &&
    PART_WORDS.test(raw) &&
    /\b(subscri\w*|billing|paid|paying)\b/.test(raw)
  ) {
    // "In the annual_plan_default test, what fraction of the subscriptions started by exposed
    // users were annual, per variant": the exposed users' subscriptions, the billing as the
    // part, by variant.
    metric = 'subscriptions';
    viaExposures = true;
    if (!breakdownDim) breakdownDim = lexicon.dimensions.find((d) => d.id === 'variant');
  } else if (experimentValue || /\b(experiment|a\/b test|variant)s?\b/.test(raw)) {
    // "How many users were exposed to each variant": a count, not the conversion.
    metric =
      /\b(how many|number of|count)\b/.test(raw) &&
      !/\b(conver\w*|rate|share|percent|percentage|proportion|fraction)\b/.test(raw)
        ? 'exposed_users'
        : 'experiment_conversion';
    if (!breakdownDim) breakdownDim = lexicon.dimensions.find((d) => d.id === 'variant');
  } else if (
    events.length === 1 &&
    (thenDays = daysAfter(text)) &&
    (SHARE_WORDS.test(raw) || /\bretention\b/.test(raw))
  ) {
    // "Week-1 retention for the August signups", "what fraction … had any event 7 to 13 days
    // after their signup": of the users who did the event, those active (or doing the other
    // event) on the days after their first day of it.
    metric = 'share';
    event = events[0]!.event;
  } else if (
    !events.length &&
    (/\b(stickiness|sticky|dau ?\/ ?mau|dau (over|to|divided by|vs) mau)\b/.test(raw) ||
      (/\b(dau|daily active users?)\b/.test(raw) &&
        /\b(divided by|over|ratio|as a share of|relative to)\b/.test(raw) &&
        /\b(mau|monthly active|30 days?)\b/.test(raw)))
  ) {
    // "Stickiness for yesterday", "DAU divided by the users active in the 30 days ending
    // yesterday": DAU/MAU of one day.
    metric = 'stickiness';
  } else if (events.length >= 2 && TIME_BETWEEN.test(text)) {
    // "Median time from signup to completing onboarding", "how long after signing up do users
    // create a project": from the event the question starts the clock at (after/since/from…, or
    // the first named) to the other.
    metric = 'time_between';
    const start =
      eventHits.find((h) =>
        /\b(after|since|following|from|between|once)( (their|the|a|an|first|they|users|people))*$/.test(
          text.slice(0, h.start).trimEnd(),
        ),
      ) ?? eventHits[0]!;
    event = start.item.event;
    thenEvent = events.find((e) => e.event !== event)?.event;
    unit = /\bdays?\b/.test(text)
      ? 'days'
      : /\b(minutes?|mins?)\b/.test(text)
        ? 'minutes'
        : /\b(seconds?|secs?)\b/.test(text)
          ? 'seconds'
          : 'hours';
  } else if (cohortActive && events.length === 1) {
    // A cohort's share active in a period: of the users who did the event (in the cohort's
    // period), those with any event in the other.
    metric = 'share';
    event = events[0]!.event;
  } else if (
    twoPeriods &&
    twoPeriodShare &&
    events.length === 1 &&
    /\b(active|around|came back|returned|return|still using|using the (app|product)|did anything|did something|doing (anything|something)|do (anything|something)|engaged|showed up|had any (activity|events?)|did any event)\b/.test(
      raw,
    )
  ) {
    // "What percentage of users who signed up in August were active in October": of the users
    // who did the event in the first period, those with any event in the second.
    metric = 'share';
    event = events[0]!.event;
  } else if (
    events.length >= 2 &&
    !(twoPeriods && twoPeriodCount) &&
    /\b(share|percent|percentage|proportion|fraction|rate|ratio|what part)\b/.test(raw)
  ) {
    metric = 'share';
    event = events[0]!.event;
    thenEvent = events[1]!.event;
    // "The onboarding completion rate for users who signed up via…": the users the rate is of
    // are the ones the who-clause names, though named second.
    const first = eventHits.find((h) => h.item.event === event);
    const second = eventHits.find((h) => h.item.event === thenEvent);
    if (
      first &&
      second &&
      first.end <= second.start &&
      (/\b(for|among|across|amongst) (the |all |those )?(users|people|customers|accounts|members|those|ones)( who| that)\b/.test(
        text.slice(first.end, second.start),
      ) ||
        // "Onboarding completion rate for October signups": the rate of the signups.
        // (The period is read out of `text`: "… rate signups".)
        /^ ?(?:(?!(?:what|which|the|a|an|and|is|was|their|its|how)\b)[a-z]+ )?(rate|share|percentage|ratio|fraction|proportion)(?: (?:for|among|across|amongst|of|in)(?: (?:the|all|our|those|these))?(?: [a-z0-9]+){0,2})? ?$/.test(
          text.slice(first.end, second.start),
        ))
    )
      [event, thenEvent] = [thenEvent, event];
    // "Onboarding completion rate by signup method": a share broken down by a property of one of
    // its events is of the users who did that one (each has its value there).
    else if (breakdownDim?.columns.some((c) => c.property?.event === thenEvent))
      [event, thenEvent] = [thenEvent, event];
  } else if (
    events.length === 1 &&
    (impliedPair = impliedShare(eventHits[0]!, valueHits)) &&
    /\b(share|percent|percentage|proportion|fraction|what part)\b/.test(raw)
  ) {
    // "Of the users who exported a report, what share also used the dashboards feature" (or
    // "who used the gantt chart … exported a report"): the other event is the one a value
    // implies, in the order named; a value of the second narrows it.
    metric = 'share';
    [event, thenEvent] = impliedPair.events;
    thenValue = impliedPair.thenValue;
  } else if (/\b(mrr|recurring revenue|revenue|arr|run rate)\b/.test(raw)) {
    // "Average MRR per subscription" (ARPA) is not the total.
    metric = AVERAGE.test(raw) && !/\barr\b/.test(raw) ? 'avg_mrr' : 'mrr';
  } else if (
    // ("Customers on each subscription tier": the tier is the user's plan, not a count of
    // subscriptions.)
    /\bsubscriptions?\b(?! (tiers?|plans?|levels?|packages?)\b)/.test(text) &&
    !events.some((e) => e.event.startsWith('subscription_'))
  ) {
    metric = 'subscriptions';
  } else if (
    /\b(session (duration|length|time)s?|(long|length of|duration of) (a |an |the |their )?(average |typical )?([a-z]+ ){0,2}sessions?|time (spent )?(per|in a|in each) session|how (long|many (seconds|secs|minutes|mins|hours)) (does|do|did) (a |the |an average |a typical |each )?sessions? (last|take|run))\b/.test(
      raw,
    )
  ) {
    metric = 'avg_session_duration';
    unit = /\bhours?\b/.test(raw)
      ? 'hours'
      : /\bseconds?|secs?\b/.test(raw)
        ? 'seconds'
        : 'minutes';
  } else if (/\blifetime events\b/.test(raw) && !/\b(how many|number of) users\b/.test(raw)) {
    // "Average lifetime events per user by cohort": dim_users.lifetime_events, averaged.
    metric = 'user_avg';
  } else if (
    /\bsessions (?:per|each|a|for each|by each|on average per) (?:active )?(?:user|person|customer|account|member)\b|\bsessions (?:did|does|do) (?:the|an|a|each|every|a typical|an average) ?(?:average |typical )?(?:active )?(?:user|person|customer|account|member)\b|\b(?:average|avg|mean) (?:number of )?sessions (?:per|by|for each|of each|of a) (?:user|person|customer|account|member)\b/.test(
      raw,
    )
  ) {
    // "Average sessions per user each week": sessions over the users who had one.
    metric = 'sessions_per_user';
  } else if ((sessionMeasure = SESSION_MEASURE.exec(raw)?.[1])) {
    // "Average number of events per session", "page views per session".
    metric = 'session_avg';
  } else if (/\bsessions?\b/.test(text)) {
    metric = 'sessions';
  } else if (
    AVERAGE.test(raw) &&
    events.length <= 1 &&
    /\b(active days|days active|(distinct|different|separate|unique) days|(on )?how many (distinct |different |separate )?days|number of (active |distinct |different )?days)\b/.test(
      raw,
    )
  ) {
    // "On how many distinct days was the average user active", "average active days per user":
    // distinct event days per user, averaged over the users.
    metric = 'events_per_user';
    activeDays = true;
  } else if (AVERAGE.test(raw) && (distinctDim = distinctDimension(text, lexicon))) {
    // "How many distinct features did they use on average", "average number of different
    // features used per user": distinct values per user, averaged over the users.
    metric = 'events_per_user';
  } else if (AVERAGE.test(raw) && (measure = findMeasure(text, events, implied, lexicon))) {
    // "The average number of results per search": a numeric property of the event, averaged.
    metric = 'property_avg';
    if (measure.key.endsWith('_ms'))
      unit = /\bminutes?|mins?\b/.test(raw)
        ? 'minutes'
        : /\bhours?\b/.test(raw)
          ? 'hours'
          : /\bseconds?|secs?\b/.test(raw)
            ? 'seconds'
            : undefined;
  } else if (
    /\b(average|avg|mean|typical)\b/.test(raw) &&
    // ("On average, how many reports does a user export": per user.)
    // ("Per searching user", "the average exporting user", "how many times did each use it".)
    (/\b(per|each|every|an average|the average|a typical|the typical|(does|did|do) (a|an|one)) (active |[a-z]+ing )?(user|person|customer|account|member)\b/.test(
      raw,
    ) ||
      /\b(did|does|do) (each|every one)( of them)?\b/.test(raw))
  ) {
    metric = 'events_per_user';
  } else if (
    churn &&
    !events.length &&
    !implied &&
    // ("Our churn rate across everyone who has ever used the product": still the rate.)
    (!/\b(use|used|using|do|did)\b/.test(text) ||
      /\bchurn (rate|ratio|percentage|share)\b/.test(raw))
  ) {
    metric = SHARE_WORDS.test(raw) ? 'churn_rate' : 'churned_users';
  } else if (
    churn &&
    events.length <= 1 &&
    /\bchurn (rate|ratio|percentage|share)\b/.test(raw) &&
    breakdownDim?.columns[0]?.property?.event !== undefined &&
    breakdownDim.columns[0].property.event === (events[0]?.event ?? implied)
  ) {
    // "Churn rate by acquisition channel": the channel is a property of the signups, so the
    // users who signed up through each, the churned part of them.
    metric = 'users';
  } else if (
    (events.length || implied) &&
    /\b(most|fewest|least|highest number of|largest number of) (?:[a-z_]+ ){0,2}(events|uses|usages)\b/.test(
      raw,
    )
  ) {
    // "Which 3 features racked up the most feature_used events": events, whoever did them.
    metric = 'events';
  } else if (TIMES.test(text) && (events.length || implied)) {
    // "How many times did people search", "used the most times": events, whoever did them.
    metric = 'events';
  } else if (hasUsers || events.some((e) => e.countsUsers)) {
    metric = 'users';
  } else if (
    events.length ||
    implied ||
    /\bevents?\b|\bactivity\b/.test(text) ||
    // "How many things happened": all events; "How many downloads happened" names something the
    // catalog does not have, and counting every event instead would be a wrong answer.
    (/\bhappen(ed)?\b|\bdid\b/.test(text) && !unknownSubject(text))
  ) {
    metric = 'events';
  } else if (churn) {
    metric = 'users';
  }
  const followUp =
    options.context &&
    (!metric ||
      /^ *(now|and|also|only|just|what about|how about|same|instead|as an?|make it|break it|split it|show it|then)\b/.test(
        raw,
      ) ||
      /\binstead\b/.test(raw));
  if (followUp && options.context) {
    const previous = options.context;
    const base = metric ?? previous.metric;
    const table = METRIC_TABLE[base];
    const merged: AskPlan = { ...previous, metric: base, filters: [...previous.filters] };
    if (metric && METRIC_TABLE[previous.metric] !== table) {
      merged.filters = merged.filters.filter((f) => resolveColumn([f.column], table));
      if (merged.breakdown && !resolveColumn([merged.breakdown], table)) delete merged.breakdown;
    }
    const people = COUNTS_PEOPLE.has(base);
    for (const vals of byDimension.values()) {
      const column = resolveColumn(vals[0]!.columns, table, people);
      if (!column) continue;
      merged.filters = merged.filters.filter(
        (f) => !(f.column.column === column.column && f.column.table === column.table),
      );
      merged.filters.push({ column, values: vals.map((v) => v.value) });
    }
    if (events[0] && base !== 'share') merged.event = events[0].event;
    if (time.period) merged.period = time.period;
    const g = time.grain ?? (/\btrend\b/.test(raw) ? 'day' : undefined);
    if (g) merged.grain = g;
    if (/\b(no|without|drop the|remove the) (trend|breakdown)\b/.test(raw)) {
      delete merged.grain;
      delete merged.breakdown;
    }
    if (breakdownDim) {
      const column = resolveColumn(breakdownDim.columns, table, people);
      if (column) merged.breakdown = column;
    }
    if (order) merged.order = order;
    if (limit) merged.limit = limit;
    if (percent) merged.percent = true;
    return { kind: 'plan', plan: merged, notes: [], followUp: true };
  }
  if (!metric) {
    const content = text
      .split(' ')
      .filter((w) => w.length > 3 && !STOP.has(w))
      .slice(0, 4);
    return {
      ...refuse(
        `I could not find what to count or measure${content.length ? ` in “${content.join(' ')}”` : ''}: the catalog holds product events, users, sessions, features, subscriptions (MRR) and experiments.`,
        'unread',
      ),
      unread: true,
    };
  }

  // Sessions with (or without) an error: fct_sessions.errors > 0 (= 0).
  const sessionErrors =
    metric === 'sessions' || metric === 'avg_session_duration'
      ? /\b(without|no|zero) (an |any )?errors?\b|\berror free\b/.test(text)
        ? 'false'
        : /\b(with|had|have|has|having|containing|contained|contain|contains|included|include|includes|hit|saw|see|ran into|run into|running into|encountered|experienced|got|threw) (an |any |a |some )?(errors?|crash|crashes)\b|\berror(ed|ing)? sessions?\b|\bsessions? (that |which )?errored\b|\b(had|has|have|with|where) something (break|broke|breaks|go wrong|went wrong|fail|failed)\b/.test(
              text,
            )
          ? 'true'
          : undefined
      : undefined;
  const errorsFilter = sessionErrors
    ? { column: { table: 'fct_sessions' as const, column: 'errors' }, values: [sessionErrors] }
    : undefined;

  // A part of the whole ("what share of logins used Google", "what percentage of users are on
  // the pro plan"): the last value named is the part; the others narrow the whole.
  const churnPart =
    churn &&
    (metric === 'users' || metric === 'user_count') &&
    ((PART_WORDS.test(raw) &&
      /\b(are|is|were|was|have|has|had|got|now|since|later|eventually) (now |since |later |eventually |then )?churned\b/.test(
        raw,
      )) ||
      // "churn rate by signup channel": the churned part of each channel's signups.
      (/\bchurn (rate|ratio|percentage|share)\b/.test(raw) &&
        events.length <= 1 &&
        breakdownDim?.columns[0]?.property?.event !== undefined &&
        breakdownDim.columns[0].property.event === (events[0]?.event ?? implied)));
  // "What share of exports were csv vs pdf vs xlsx": each compared value's share of the whole
  // (all values), one row each.
  // "For web page views, what percentage came from each browser": the distribution over the
  // breakdown's values (no value named between the share and the breakdown, or after it).
  const partWord = PART_WORDS.exec(text);
  const eachOf =
    breakdownWord && partWord
      ? new RegExp(
          `\\b(?:each|every|the different|different|the various|various|the individual|individual) (?:[a-z]+ ){0,2}${escape(breakdownWord).replace(/ /g, '[ _]')}`,
        ).exec(text.slice(partWord.index))
      : null;
  // "Share of sessions by device type": with nothing to single out (no event, no value), the
  // split of the whole by the breakdown too.
  const byOf =
    breakdownWord && partWord && eventHits.length === 0 && !implied
      ? new RegExp(
          `\\b(?:by|per|across) (?:[a-z]+ ){0,2}${escape(breakdownWord).replace(/ /g, '[ _]')}`,
        ).exec(text.slice(partWord.index))
      : null;
  const distribution =
    (eachOf !== null &&
      !valueHits.some((h) => h.item.dimension !== breakdownDim?.id && h.start > partWord!.index)) ||
    (byOf !== null && !valueHits.some((h) => h.item.dimension !== breakdownDim?.id));
  const shareOfTotal =
    ((comparedDim !== undefined && breakdownDim?.id === comparedDim) || distribution) &&
    PART_METRICS.has(metric) &&
    PART_WORDS.test(raw) &&
    !errorsFilter &&
    !churnPart &&
    // ("The error rate, errors as a share of all events, on each platform": one event's part.)
    !(
      metric === 'events' &&
      events.length === 1 &&
      /\b(as an?|as the|what) (share|percent|percentage|proportion|fraction) of (all |total )?(the )?events\b|\berror (rate|ratio|share|percentage)\b/.test(
        raw,
      )
    ) &&
    !time.grain;
  const partHit =
    PART_METRICS.has(metric) && PART_WORDS.test(raw) && !errorsFilter && !churnPart && !shareOfTotal
      ? valueHits
          .filter((h) => h.item.dimension !== breakdownDim?.id)
          .sort((a, b) => b.start - a.start)[0]
      : undefined;
  const partDim = partHit?.item.dimension;

  // Two periods in a count: the users are those who did the who-clause's event in theirs; the
  // count is of the other event (or of any: "active") in the other period.
  let cohort: AskPlan['cohort'];
  // "How many of the users who signed up in September completed onboarding (within 24 hours of
  // signing up)": the users of the who-clause's event, counted when they did the other.
  const ofWho =
    !twoPeriods &&
    metric === 'users' &&
    events.length >= 2 &&
    (/\b(how many|number) of (the |those |all )?(users|people|customers|accounts|members|signups)( who| that)\b/.test(
      raw,
    ) ||
      /^ *(of|among|amongst|for) (the |those |all )?(users|people|customers|accounts|members|signups)( who| that)\b.*\bhow many\b/.test(
        raw,
      ));
  const withinHours = /\bwithin (\d+|an?|one) (hours?|days?)\b/.exec(raw);
  if (
    (twoPeriods &&
      twoPeriodCount &&
      (metric === 'users' || metric === 'events') &&
      events.length) ||
    ofWho
  ) {
    const inClause = eventHits.find((h) =>
      /\b(who|that)( have| had| has)?( also| first| originally)? $/.test(text.slice(0, h.start)),
    );
    const first = inClause?.item ?? events[0]!;
    const n = withinHours ? (/^\d+$/.test(withinHours[1]!) ? Number(withinHours[1]) : 1) : 0;
    const hours = withinHours ? (withinHours[2]!.startsWith('day') ? 24 * n : n) : 0;
    cohort = {
      event: first.event,
      ...(twoPeriods ? { period: twoPeriods.users } : time.period ? { period: time.period } : {}),
      ...(ofWho && hours ? { withinHours: hours } : {}),
    };
    events = events.filter((e) => e !== first);
  }

  // The event filter.
  if (metric === 'funnel') event = steps![0];
  else if (metric === 'property_avg') event = measure!.event;
  else if (metric !== 'share' && metric !== 'time_between') {
    event = events[0]?.event ?? implied;
    // "What share of users used ai_summaries": the whole is every active user, not the users of
    // the event the part implies.
    if (!events.length && partHit?.item.impliesEvent && partHit.item.impliesEvent === event)
      event = breakdownDim?.impliesEvent;
    if (events.length > 1) notes.push(`Several events named; counted ${event}.`);
  }

  const table = METRIC_TABLE[metric];
  // "The lift of treatment over control", "treatment minus control": one difference of rates.
  let lift: AskPlan['lift'];
  if (
    metric === 'experiment_conversion' &&
    /\b(lift|uplift|difference|minus|delta|percentage points?|points|beat|beats|outperform(s|ed)?|exceed(s|ed)?)\b/.test(
      raw,
    )
  ) {
    const named = valueHits.filter((h) => h.item.dimension === 'variant').map((h) => h.item.value);
    const variants = [...new Set(named)];
    const known = new Set(
      lexicon.values.filter((v) => v.dimension === 'variant').map((v) => v.value),
    );
    if (variants.length === 2) lift = [variants[0]!, variants[1]!];
    else if (known.has('treatment') && known.has('control')) lift = ['treatment', 'control'];
  }
  let part: AskPlan['part'];
  const thenFilters: AskPlan['filters'] = [];
  if (errorsFilter && metric === 'sessions' && PART_WORDS.test(raw)) part = errorsFilter;
  // "Errors per 1,000 events": a part's rate per so many rows.
  const perMatch =
    /\bper (?:(1000|1 000|1k|a thousand|thousand)|(100|a hundred|hundred)|(10000|10k)|(1000000|1m|a million|million)) (events|sessions|users)\b/.exec(
      raw,
    );
  const perUnits = perMatch
    ? perMatch[1]
      ? 1000
      : perMatch[2]
        ? 100
        : perMatch[3]
          ? 10_000
          : 1_000_000
    : undefined;
  // "What share of users who were active last week ran into an error": of the active users,
  // those who did the event.
  if (
    metric === 'users' &&
    event &&
    events.length === 1 &&
    !partHit &&
    PART_WORDS.test(raw) &&
    /\b(users|people|customers|accounts) (who were |that were )?active\b|\bactive (users|people|customers|accounts)\b/.test(
      raw,
    )
  ) {
    part = { column: { table: 'fact_events', column: 'event_name' }, values: [event] };
    event = undefined;
  }
  // "Error rate (error events as a share of all events)": one event's part of all events.
  if (
    metric === 'events' &&
    event &&
    events.length === 1 &&
    !partHit &&
    (/\b(share|percent|percentage|proportion|fraction) of (all |total )?(the )?events\b/.test(
      raw,
    ) ||
      (perUnits && perMatch![5] === 'events') ||
      (event === 'error_occurred' && /\berror (rate|ratio|share|percentage)\b/.test(raw)))
  ) {
    part = { column: { table: 'fact_events', column: 'event_name' }, values: [event] };
    event = undefined;
  }

  // The plan a user was on when the event happened (fact_events.plan_at_event), not the current
  // one: when the question says so ("while they were on the free plan", "at the time"), and for
  // the subscription events, whose plan is the one started, upgraded to or cancelled.
  const planAtEvent =
    table === 'fact_events' &&
    (/\b(while|when) (they|he|she|the users?|people) (were|was) on\b|\bat the time\b|\bplan at (the )?event\b/.test(
      raw,
    ) ||
      (events.length > 0 && events.every((e) => e.event.startsWith('subscription_'))));
  // "By their primary platform", "each user's main country": the user's attribute (dim_users),
  // not the value on each event.
  const ownAttributes = new Set(
    [
      ...raw.matchAll(/\b(?:primary|main|usual|home|default|most used) ([a-z]+(?: [a-z]+)?)\b/g),
    ].flatMap((m) =>
      lexicon.dimensions
        .filter((d) => d.words.some((w) => m[1] === w || m[1]!.startsWith(`${w} `)))
        .map((d) => d.id),
    ),
  );
  const columnOf = (dim: string, columns: ColumnRef[], people: boolean) =>
    planAtEvent && dim === 'plan'
      ? { table: 'fact_events' as const, column: 'plan_at_event' }
      : viaExposures && columns[0]?.table === 'fct_experiment_exposures'
        ? columns[0]
        : ownAttributes.has(dim) && columns.some((c) => c.table === 'dim_users')
          ? columns.find((c) => c.table === 'dim_users')!
          : resolveColumn(columns, table, people);

  // Filters from values (skipping the breakdown's own values when comparing them).
  const filters: AskPlan['filters'] = [];
  let keep: string[] | undefined;
  for (const [dim, vals] of byDimension) {
    if (lift && dim === 'variant') continue;
    if (shareOfTotal && dim === comparedDim) {
      // The whole is every value; the rows kept are the ones named.
      keep = vals.map((v) => v.value);
      continue;
    }
    const column = columnOf(dim, vals[0]!.columns, COUNTS_PEOPLE.has(metric));
    if (!column) {
      notes.push(`Ignored ${vals.map((v) => v.value).join(', ')}: not available for this measure.`);
      continue;
    }
    if (
      metric === 'experiment_conversion' &&
      dim === 'experiment_key' &&
      vals.length > 1 &&
      breakdownDim?.id !== 'experiment_key'
    )
      breakdownDim = lexicon.dimensions.find((d) => d.id === 'experiment_key');
    if (column.property && column.table === 'fact_events' && table !== 'fact_events') continue;
    if (metric === 'share' && thenValue && dim === thenValue.item.dimension)
      thenFilters.push({ column, values: vals.map((v) => v.value) });
    else if (dim === partDim) part = { column, values: vals.map((v) => v.value) };
    else filters.push({ column, values: vals.map((v) => v.value) });
  }
  if (errorsFilter && !part) filters.push(errorsFilter);
  // Comparisons on a number the counted rows (or their users) have.
  let perUser: AskPlan['perUser'];
  let distinctCounted: Dimension | undefined;
  const sessionsContext = table === 'fct_sessions';
  for (const c of compared.found) {
    const noun = c.noun;
    let filter: AskPlan['filters'][number] | undefined;
    const seconds = /^(seconds?|secs?)\b/.test(noun)
      ? 1
      : /^(minutes?|mins?)\b/.test(noun)
        ? 60
        : /^(hours?|hrs?)\b/.test(noun)
          ? 3600
          : undefined;
    const measure = lexicon.measures.find(
      (m) =>
        (!event || m.event === event) &&
        m.words.some((w) => new RegExp(`^${escape(w)}\\b`).test(noun)),
    );
    if (sessionsContext && seconds)
      filter = {
        column: { table: 'fct_sessions', column: 'session_duration' },
        values: [String(c.n * seconds)],
        op: c.op,
      };
    else if (sessionsContext && /^(page views|pageviews|pages)\b/.test(noun))
      filter = {
        column: { table: 'fct_sessions', column: 'page_views' },
        values: [String(c.n)],
        op: c.op,
      };
    else if (sessionsContext && /^(events|actions)\b/.test(noun))
      filter = {
        column: { table: 'fct_sessions', column: 'event_count' },
        values: [String(c.n)],
        op: c.op,
      };
    else if (/^lifetime events\b/.test(noun) && (table === 'dim_users' || table === 'fact_events'))
      filter = {
        column: { table: 'dim_users', column: 'lifetime_events' },
        values: [String(c.n)],
        op: c.op,
      };
    else if (table === 'fact_events' && measure)
      filter = {
        column: measure.column,
        values: [String(measure.key.endsWith('_ms') && seconds ? c.n * seconds * 1000 : c.n)],
        op: c.op,
      };
    else if (metric === 'users' && /^(different |distinct |separate |unique )?days?\b/.test(noun))
      perUser = { of: 'days', op: c.op, n: c.n };
    else if (
      metric === 'users' &&
      (distinctCounted = lexicon.dimensions.find(
        (d) =>
          d.columns[0]?.table === 'fact_events' &&
          d.words.some((w) =>
            new RegExp(`^(?:different |distinct |separate |unique )?${escape(w)}\\b`).test(noun),
          ),
      ))
    ) {
      // "Users who used 5 or more different features": distinct values of their events.
      perUser = { of: 'values', op: c.op, n: c.n };
      if (!event && distinctCounted.impliesEvent) event = distinctCounted.impliesEvent;
    } else if (
      metric === 'users' &&
      (/^times?\b/.test(noun) ||
        (event !== undefined &&
          eventHits.some((h) => h.start <= c.at + noun.length && h.end > c.at)))
    )
      perUser = { of: 'events', op: c.op, n: c.n };
    // "What percentage of searches came back with zero results": the comparison is the part.
    if (filter && !part && !partHit && PART_WORDS.test(raw) && PART_METRICS.has(metric))
      part = filter;
    else if (filter) filters.push(filter);
    else if (!perUser)
      return refuse(
        `I cannot compare “${noun.split(' ')[0]}” with a number for this question: comparisons read session length, page views or events per session, a numeric event property (${[...new Set(lexicon.measures.map((m) => m.key))].join(', ') || 'none here'}), lifetime events, or how many times or days users did something.`,
      );
  }
  // "Churned vs not churned", "churned or retained": one row each.
  const churnCompared =
    churn &&
    /\bchurned (users )?(vs|versus|or|and|compared (to|with)) (the )?(not|non|retained|active|un)[- ]?churned\b|\b(not|non|un)[- ]?churned (users )?(vs|versus|or|and|compared (to|with)) churned\b|\bchurned (users )?(vs|versus|or|compared (to|with)) (retained|active)\b/.test(
      raw,
    );
  if (churn && !churnCompared && metric !== 'churned_users' && metric !== 'churn_rate') {
    const column = resolveColumn([{ table: 'dim_users', column: 'is_churned' }], table);
    const churned = {
      column: column!,
      values: [
        /\b(not|non|retained|active)[- ]churned\b|\bretained\b/.test(raw) ? 'false' : 'true',
      ],
    };
    // "What proportion of users who hit SYNC_CONFLICT are now churned": churn is the part.
    if (column && churnPart) {
      if (part) filters.push(part);
      part = churned;
    } else if (column) filters.push(churned);
  }
  if (metric === 'subscriptions') {
    const status = /\bactive\b/.test(raw)
      ? 'active'
      : /\bcancel+ed\b/.test(raw)
        ? 'cancelled'
        : undefined;
    if (status)
      filters.push({ column: { table: 'fct_subscriptions', column: 'status' }, values: [status] });
  }

  // A word that introduces a value ("exported as docx", "revenue from ads", "via fax") but names
  // none the data holds: the question is about something the catalog does not have, and a number
  // without that filter would answer a different question, so it is refused (a configured model
  // may still read it).
  for (const m of text.matchAll(
    /\b(?:as|via|using|with|from|through) (?:an? |the )?([a-z0-9][a-z0-9_.'-]*)\b/g,
  )) {
    const word = m[1]!;
    const start = m.index + m[0].length - word.length;
    if (
      taken[start] ||
      STOP.has(word) ||
      COMMON.has(word) ||
      /^\d/.test(word) ||
      word in NUMBER_WORDS ||
      USER_WORDS.test(word) ||
      MART_COLUMNS.has(word) ||
      KNOWN_VERBS.has(word) ||
      // "as flagged in the catalog", "as defined by…": an aside, not a value.
      (m[0].startsWith('as ') && /[a-z]ed$/.test(word))
    )
      continue;
    const known = (phrases: string[]) => phrases.some((p) => p.split(/\s+/).includes(word));
    if (
      lexicon.events.some((e) => known(e.phrases)) ||
      lexicon.values.some((v) => known(v.phrases)) ||
      lexicon.dimensions.some((d) => known(d.words)) ||
      // "from the duration_ms property": a measure the catalog has, named by its key.
      lexicon.measures.some((x) => x.key === word || known(x.words))
    )
      continue;
    return {
      ...refuse(
        `“${word}” is not an event, a property value or an attribute in this workspace’s data, so I cannot narrow the answer to it — a number without it would answer a different question.`,
      ),
      unread: true,
    };
  }

  // The column whose distinct values are counted per user.
  const distinctOf: ColumnRef | undefined =
    metric === 'events_per_user' && activeDays
      ? { table: 'fact_events', column: 'event_date' }
      : metric === 'events_per_user' && distinctDim
        ? resolveColumn(distinctDim.columns, 'fact_events')
        : undefined;
  if (distinctOf && !event) event = distinctDim?.impliesEvent;

  // The breakdown column.
  let breakdown: ColumnRef | undefined;
  if (rankUsers && (metric === 'users' || metric === 'events')) {
    // Each user's events (a user is one of the users counted, so the measure is their events).
    metric = 'events';
    breakdown = { table: 'fact_events', column: 'user_id' };
  } else if (breakdownDim) {
    breakdown = columnOf(breakdownDim.id, breakdownDim.columns, COUNTS_PEOPLE.has(metric));
    if (!breakdown) notes.push(`Cannot break ${metric} down by ${breakdownDim.id}.`);
  } else if (churnCompared) breakdown = { table: 'dim_users', column: 'is_churned' };
  let alsoBy =
    breakdown && alsoByDim && !['funnel', 'time_between', 'stickiness', 'share'].includes(metric)
      ? columnOf(alsoByDim.id, alsoByDim.columns, COUNTS_PEOPLE.has(metric))
      : undefined;
  // The two in the order the question names them.
  if (breakdown && alsoBy && text.indexOf(alsoByWord) < text.indexOf(breakdownWord!))
    [breakdown, alsoBy] = [alsoBy, breakdown];
  // "users" with no period, no event and only user attributes: the users table itself.
  if (
    metric === 'users' &&
    !time.period &&
    !event &&
    !/\b(active|actives|dau|wau|mau|did|used|use)\b/.test(raw) &&
    [
      ...filters.map((f) => f.column),
      ...(part ? [part.column] : []),
      ...(breakdown ? [breakdown] : []),
    ].every((c) => c.table === 'dim_users' || c.column === 'country' || c.column === 'platform')
  ) {
    metric = 'user_count';
    const moved = (c: ColumnRef): ColumnRef | undefined =>
      c.table === 'dim_users'
        ? c
        : resolveColumn(
            lexicon.dimensions.find((d) => d.columns.some((x) => x.column === c.column))?.columns ??
              [],
            'dim_users',
          );
    breakdown = breakdown ? moved(breakdown) : undefined;
    for (const f of filters) f.column = moved(f.column) ?? f.column;
    if (part) part.column = moved(part.column) ?? part.column;
  }

  // Grain: "weekly", "per day"; DAU/WAU/MAU without a period is a trend at that grain.
  let grain: Grain | undefined = time.grain;
  if (!grain && /\bdau\b/.test(raw)) grain = 'day';
  if (!grain && /\bwau\b/.test(raw)) grain = 'week';
  if (!grain && /\bmau\b/.test(raw)) grain = 'month';
  // "DAU yesterday", "MAU for October", "weekly actives last week": one unit is one number.
  if (grain && !time.pair && time.period && isOneUnit(time.period, grain)) grain = undefined;
  // "WAU as of October 31": the users of the 7 days ending that day (MAU: 30 days).
  else if (
    grain &&
    grain !== 'day' &&
    !time.grain &&
    time.period &&
    isOneUnit(time.period, 'day')
  ) {
    time.period = daysEnding(time.period.from, grain === 'week' ? 7 : 30);
    notes.push(
      `${grain === 'week' ? 'WAU' : 'MAU'} on one day: the users active in the ${grain === 'week' ? 7 : 30} days ending that day.`,
    );
    grain = undefined;
  }
  if (!grain && /\b(trend|over time)\b/.test(raw)) grain = 'day';
  if (metric === 'share' && grain) {
    notes.push('A share is one number for the period; no trend.');
    grain = undefined;
  }
  if (metric === 'stickiness') grain = undefined;
  // (Churned users have a churn date: "churned each month", "churned last month".)
  if (metric === 'mrr' || metric === 'user_count' || metric === 'churn_rate') {
    if (grain) notes.push(`${metric} is a current figure; no trend.`);
    grain = undefined;
  }

  // "On a typical day in October, how many users were active", "the average of the daily
  // counts": the mean of the per-day counts.
  if (
    !grain &&
    PART_METRICS.has(metric) &&
    /\b(on an?|the) (typical|average|normal|usual) (day|week|month)\b|\b(average|avg|mean) of (the )?(daily|weekly|monthly) (counts?|numbers?|totals?|figures?)\b/.exec(
      raw,
    )
  ) {
    const unit = /\b(week|weekly)\b/.test(raw)
      ? 'week'
      : /\b(month|monthly)\b(?! of)/.test(raw)
        ? 'month'
        : 'day';
    grain = /\b(typical|average|normal|usual) day\b|\bdaily\b/.test(raw) ? 'day' : unit;
  }
  // "Average DAU in October", "average daily signups": the mean of the per-day counts.
  const average =
    grain && !part && PART_METRICS.has(metric) && /\b(average|avg|mean|typical)\b/.test(raw);
  // "Average DAU per month", "average daily signups for September and for October": the daily
  // (weekly) counts averaged per month (week).
  let averageBy: AskPlan['averageBy'];
  // ("Average daily active users in September with October": the months listed.)
  const coarse = time.grain && time.grain !== 'day' ? time.grain : time.listedBy;
  if (average && coarse && coarse !== 'day') {
    const inner = /\b(dau|daily|per day|a day|each day)\b/.test(raw)
      ? 'day'
      : /\b(wau|weekly|per week|a week|each week)\b/.test(raw) && coarse === 'month'
        ? 'week'
        : undefined;
    if (inner) {
      averageBy = coarse;
      grain = inner;
    }
  }
  // "Used both X and Y", "all three of": the users with each value, not any.
  const every =
    metric === 'users' &&
    !grain &&
    !breakdown &&
    !part &&
    /\b(both|all of|all three|all four|each of)\b/.test(raw) &&
    filters.filter((f) => f.values.length > 1).length === 1;
  // "List the users who upgraded…", "who are the customers that…": the users, not their number.
  const list =
    metric === 'users' &&
    !grain &&
    !breakdown &&
    !part &&
    /(^|\s)(list|show|show me|give me|get me|who are|who were|name|which are)( all)? (the |all )?(users?|people|customers|accounts|user ids?|members)( who| that| which| with)?\b/.test(
      raw,
    ) &&
    !/\b(how many|number of|count|share|percent|percentage|rate|proportion)\b/.test(raw);

  if (metric === 'funnel') {
    if (breakdown || grain)
      notes.push('A funnel answer has no breakdown or trend; gave the whole.');
    breakdown = undefined;
    grain = undefined;
  }

  if (lift) breakdown = undefined;

  // Two figures of the same rows asked together ("sessions per day, with the average length";
  // "how many users landed in each variant, and what percent converted"): the count first, the
  // other beside it.
  const also: Metric[] = [];
  if (!part && !shareOfTotal && !average && !list && !every && !perUser && !cohort && !lift) {
    const countOf = (nouns: string) =>
      new RegExp(
        `\\b(how many|number of|count of|counts? of|total|totals) (the |distinct |unique |different )?(exposed |enrolled |active |bucketed |assigned )?(${nouns})\\b|\\b(${nouns}) (count|counts|volume|numbers?)\\b`,
      ).test(raw);
    const rateWords = /\b(rate|share|percent|percentage|proportion|fraction)\b/.test(raw);
    if (metric === 'avg_session_duration' && countOf('sessions')) {
      also.push('avg_session_duration');
      metric = 'sessions';
    } else if (
      metric === 'experiment_conversion' &&
      rateWords &&
      countOf('users|people|customers|accounts|participants')
    ) {
      also.push('experiment_conversion');
      metric = 'exposed_users';
    } else if (
      (metric === 'experiment_conversion' || metric === 'exposed_users') &&
      !rateWords &&
      !lift &&
      (/\b(how many|number of|count of|counts? of|total)\b(?:(?! and ).)*\bconver(ted|ters?|sions?)\b/.test(
        raw,
      ) ||
        /\b(users|people) (exposed|enrolled) and (users |people )?converted\b|\bexposed (users )?and converted\b|\bhow many (of them |of those )?(went on to |then |later )?(start(ed)?|began|begin) an? (paid )?subscriptions?\b/.test(
          raw,
        ))
    ) {
      // "How many users were exposed and how many converted in each variant": the two counts;
      // "how many converted per variant": the converted users.
      if (
        /\b(exposed|enrolled|bucketed|assigned)\b(?: users| people)? and\b|\b(users|people|participants) (were |was )?(exposed|enrolled|bucketed|assigned)\b.* and |\b(how many|number of) (users|people|participants)\b.* and /.test(
          raw,
        )
      )
        also.push('converted_users');
      metric = also.length ? 'exposed_users' : 'converted_users';
    } else if (metric === 'churn_rate' && countOf('users|customers|accounts')) {
      also.push('churn_rate');
      metric = 'user_count';
    } else if (
      (metric === 'users' || metric === 'events') &&
      !distinctOf &&
      /\b(events?|event count|event volume)( counts?)? (and|with|plus|&|as well as) (the )?(number of |count of )?(unique |distinct |active )?(users|people)\b|\b(active |unique |distinct )?(users|people) (and|with|plus|&|as well as) (the )?(number of |count of |total )?(events|event count|event volume)\b/.test(
        raw,
      )
    ) {
      // "Daily events and unique users": every event counted, and the distinct users among them.
      also.push('users');
      metric = 'events';
    }
  }

  // "Users with no activity in the last 30 days", "pro users who haven't logged in this month":
  // the users of dim_users who did not do it.
  const eventNegated =
    event !== undefined &&
    eventHits.some(
      (h) =>
        h.item.event === event &&
        /(\bnot|n't|\bnever|\bno)(?: (?:yet|ever|once|even|been|actually|a|any|single))* ?$/.test(
          text.slice(Math.max(0, h.start - 40), h.start),
        ),
    );
  const inactive =
    (metric === 'users' || metric === 'user_count') &&
    !grain &&
    !part &&
    !list &&
    !every &&
    !perUser &&
    !cohort &&
    !also.length &&
    !shareOfTotal &&
    !average &&
    ((!event && INACTIVE.test(raw)) || eventNegated);
  if (inactive) metric = 'users';

  // MRR that moved in the period: "new MRR from subscriptions started in October", "MRR we lost
  // to cancellations in October".
  // ("MRR from active subscriptions", "current MRR … still active": today's MRR, not a flow.)
  const mrrFlow: AskPlan['mrrFlow'] =
    metric !== 'mrr' ||
    AVERAGE.test(raw) ||
    /\b(active|current|currently|still active|live) (subscriptions?|subscribers?|mrr)\b|\bcurrent mrr\b|\bstill active\b/.test(
      raw,
    )
      ? undefined
      : /\b(lost|lose|losing|churned|churn|cancell?ed|cancell?ations?|contraction)\b/.test(raw)
        ? 'churned'
        : /\bnew (mrr|revenue|recurring revenue|subscriptions?|subscribers?)\b|\b(brought|bring|brings|added|add|adds) in\b|\b(started|starting|began|begun) (in|during|last|this)\b|\bsubscriptions? (started|starting|that started|begun|opened)\b|\bstarting mrr\b/.test(
              raw,
            )
          ? 'new'
          : undefined;

  // The two periods: which is which, and what is asked of them (a row each, their difference,
  // the change from the earlier to the later).
  let versus: AskPlan['versus'];
  let period = time.period;
  if (
    time.period?.to &&
    !twoPeriods &&
    !cohort &&
    !also.length &&
    !part &&
    !shareOfTotal &&
    !average &&
    !list &&
    !every &&
    !perUser &&
    !lift &&
    !limit &&
    !inactive &&
    VERSUS_METRICS.has(metric)
  ) {
    const as: NonNullable<AskPlan['versus']>['as'] =
      metric === 'users' &&
      /\bboth\b/.test(raw) &&
      !/\bboth (counts|numbers|figures|values)\b/.test(raw)
        ? 'both'
        : CHANGE_WORDS.test(raw)
          ? percent || /\b(growth rate|rate of change)\b/.test(raw)
            ? 'change'
            : 'difference'
          : /\b(in|as) (one|a single|a) row\b|\bside by side\b|\bboth (counts|numbers|figures|values)\b/.test(
                raw,
              ) ||
              // "signups by channel, September vs October": a column per period; "… in
              // September and October, by channel", "one row per month and channel": a row each.
              (breakdown &&
                (!time.pair || time.pairCompared) &&
                !/\b(per|for each|for every) (day|week|month|period)\b/.test(raw))
            ? 'columns'
            : 'rows';
    let pair: [AskPeriod, AskPeriod] | undefined;
    if (versusOther && !grain)
      pair = [versusOther.period, time.period].sort((a, b) => a.from.localeCompare(b.from)) as [
        AskPeriod,
        AskPeriod,
      ];
    else if (time.pair && grain && as !== 'rows') pair = splitPair(time.period, grain);
    else if (!time.pair && !grain && (as === 'change' || as === 'difference' || as === 'both'))
      // "From September to October", "both September and October": a span of two whole months
      // (or weeks) with a change or "both" asked of it.
      pair = splitPair(time.period, 'month') ?? splitPair(time.period, 'week');
    if (pair) {
      const [earlier, later] = pair;
      versus = { period: { ...earlier, to: earlier.to! }, as };
      period = later;
      grain = undefined;
    }
  }

  // "What share of October's signups started a subscription within 14 days after signing up":
  // the two-step funnel's conversion with that window (the second event's time after the
  // first's, at most N days later).
  const withinDays =
    metric === 'share' && event && thenEvent && !twoPeriods && !breakdown && !thenDays
      ? /\bwithin (?:the first |their first |a )?(\d+|a|one|two|three|four) (days?|weeks?)(?: (?:of|after|from|following) (?:signing up|sign ?up|their (?:first|signup)|the first|joining|it))?\b/.exec(
          raw,
        )
      : null;
  if (withinDays && event && thenEvent) {
    const n = /^\d+$/.test(withinDays[1]!)
      ? Number(withinDays[1])
      : (NUMBER_WORDS[withinDays[1]!] ?? 1);
    metric = 'funnel';
    steps = [event, thenEvent];
    funnel = 'conversion';
    windowDays = withinDays[2]!.startsWith('week') ? 7 * n : n;
    thenEvent = undefined;
  }
  // "Week-1 retention by signup week", "for each week's cohort": a share per week of the users'
  // first day of the event.
  const cohortWeekly =
    metric === 'share'
      ? /\b(?:by|per|for each|for every|each|of each) (?:signup|sign up|cohort|start|starting|first|join|joining) (week|month)s?\b|\beach (week|month)s? (?:signup )?cohorts?\b|\b(week|month)ly (?:signup )?cohorts?\b/.exec(
          raw,
        )
      : null;
  // (By month, the signup cohort is dim_users.cohort_month when that is the breakdown read.)
  const cohortGrain =
    cohortWeekly && !(breakdown?.column === 'cohort_month' && event === 'signed_up')
      ? ((cohortWeekly[1] ?? cohortWeekly[2] ?? cohortWeekly[3]) as 'week' | 'month')
      : undefined;
  if (cohortGrain) breakdown = undefined;

  const plan: AskPlan = {
    metric,
    ...(also.length ? { also } : {}),
    ...(versus ? { versus } : {}),
    ...(inactive ? { inactive: true } : {}),
    ...(mrrFlow ? { mrrFlow } : {}),
    ...(lift ? { lift } : {}),
    ...(measure ? { measure: measure.column } : {}),
    ...(sessionMeasure
      ? {
          measure: {
            table: 'fct_sessions' as const,
            column: /error/.test(sessionMeasure)
              ? 'errors'
              : /page/.test(sessionMeasure)
                ? 'page_views'
                : 'event_count',
          },
        }
      : {}),
    ...(metric === 'user_avg'
      ? { measure: { table: 'dim_users' as const, column: 'lifetime_events' } }
      : {}),
    ...(steps ? { steps, funnel, ...(windowDays ? { windowDays } : {}) } : {}),
    ...(part ? { part, ...(perUnits ? { perUnits } : {}) } : {}),
    ...(shareOfTotal && breakdown ? { shareOfTotal: keep ? { keep } : {} } : {}),
    ...(average ? { average: true, ...(averageBy ? { averageBy } : {}) } : {}),
    ...(/\bmedian\b/.test(raw) ? { median: true } : {}),
    ...(list ? { list: true } : {}),
    ...(perUser ? { perUser } : {}),
    ...(metric === 'events_per_user' &&
    /\b(counts? as (zero|0)|counted as (zero|0)|as zero|including (users|those|people|everyone) (with|who (had|have|did)) (no|none|zero|nothing)|(across|over|among) all users|all users included|zeros? included)\b/.test(
      raw,
    )
      ? { allUsers: true }
      : {}),
    ...(every ? { every: true } : {}),
    // "Used ai_summaries for the very first time in October", "first-time users of each
    // feature last month": users whose first such event ever is in the period.
    ...(metric === 'users' &&
    event &&
    !thenEvent &&
    !time.grain &&
    !part &&
    !perUser &&
    !list &&
    /\b(for the (very )?first time|first[ -]time (users?|adopters?|usage|use)|first (ever )?(used|tried|adopted)|(tried|used|adopted) (it |them )?for the first time)\b/.test(
      raw,
    )
      ? { firstTime: true }
      : {}),
    ...(event ? { event } : {}),
    ...(thenEvent ? { thenEvent } : {}),
    ...(distinctOf
      ? { distinctOf }
      : perUser?.of === 'values' && distinctCounted
        ? { distinctOf: resolveColumn(distinctCounted.columns, 'fact_events') }
        : {}),
    // ("Week-1 retention check: … active in the following week (Sep 14-20)": the week named is
    // the activity's, not days after each signup.)
    ...(metric === 'share' &&
    thenDays &&
    !(twoPeriods && /\bretention\b/.test(raw) && !/\bdays? after\b/.test(raw))
      ? { thenDays }
      : {}),
    ...(cohortGrain ? { cohortGrain } : {}),
    ...(thenFilters.length ? { thenFilters } : {}),
    filters,
    // MRR over a closed period ("last quarter", "in September") is the MRR at its end.
    ...(cohort ? { cohort } : {}),
    ...(metric === 'stickiness'
      ? {
          // One day ("yesterday"); a period ("in October") averages its days.
          // ("DAU over the users active in the 30 days ending yesterday" is one day's.)
          period: time.period?.to
            ? time.period.from < time.period.to && !/\b(\d+|thirty) days ending\b/.test(raw)
              ? time.period
              : { from: time.period.to, to: time.period.to, label: time.period.to }
            : { from: today, to: today, label: `today (${today})` },
        }
      : twoPeriods && metric === 'share'
        ? { period: twoPeriods.users, thenPeriod: twoPeriods.then }
        : cohortActive && metric === 'share'
          ? {
              ...(cohortActive.users ? { period: cohortActive.users } : {}),
              thenPeriod: cohortActive.then,
            }
          : cohort
            ? twoPeriods
              ? { period: twoPeriods.then }
              : {}
            : period &&
                (!CURRENT_FIGURES.has(metric) ||
                  (metric === 'mrr' && (period.to || mrrFlow)) ||
                  metric === 'churned_users')
              ? { period }
              : {}),
    ...(grain ? { grain } : {}),
    ...(breakdown ? { breakdown } : {}),
    ...(breakdown && alsoBy && !shareOfTotal && !average && !versus && !perUser && !list && !every
      ? { alsoBy }
      : {}),
    ...(order && (breakdown || grain) ? { order } : {}),
    ...(limit && (breakdown || grain) ? { limit } : {}),
    ...(unit ? { unit } : {}),
    ...(metric === 'time_between' && unit === 'days' && /\bdates?\b/.test(text)
      ? { calendarDays: true }
      : {}),
    ...(percent ? { percent } : {}),
  };
  return { kind: 'plan', plan, notes, followUp: false };
}

/** No activity at all ("inactive", "have not been active", "no events"). */
const INACTIVE =
  /\b(inactive|not (been )?active|n't (been )?active|no activity|zero activity|without (any )?activity|not done anything|n't done anything|not do anything|n't do anything|dormant|no events)\b/;

/** Words that compare two periods. */
const COMPARE_WORDS =
  /\b(vs|versus|compared?|comparing|comparison|against|minus|difference|diff|delta|change|changed|grow|grew|growth|increase|increased|decrease|decreased|drop|dropped|decline|declined|up or down)\b/;
/** Of those, the ones that ask for a difference or a change rather than one row each. */
const CHANGE_WORDS =
  /\b(minus|difference|diff|delta|change|changed|grow|grew|growth|increase|increased|decrease|decreased|drop|dropped|decline|declined|up or down|how many more|how many fewer|how much more|how much less)\b/;
/** Metrics compared between two periods: plain figures of dated rows. */
const VERSUS_METRICS = new Set<Metric>([
  'users',
  'sessions_per_user',
  'events',
  'sessions',
  'avg_session_duration',
  'subscriptions',
  'experiment_conversion',
  'exposed_users',
  'converted_users',
  'events_per_user',
  'property_avg',
  'session_avg',
]);

/** Figures of the current state (no period): MRR of active subscriptions, users, churn. */
const CURRENT_FIGURES = new Set<Metric>(['mrr', 'user_count', 'churned_users', 'churn_rate']);

/** Verbs after "how many users" that are not actions an event must record. */
const KNOWN_VERBS = new Set(
  'tried adopted tested touched explored accessed interacted used churned converted joined registered visited returned engaged exposed based located retained activated onboarded assigned enrolled bucketed included counted active got get use visit open opened see saw landed placed put fell ended reached reach reaching made make completed complete progressed dropped passed went'.split(
    ' ',
  ),
);

/** The marts' column names: a question may name one ("with status active"), not a value. */
const MART_COLUMNS = new Set(
  'user_id first_seen last_seen signup_date cohort_month plan company_size industry country platform is_churned churned_at lifetime_events event_id event_name session_id ts event_date feature_name plan_at_event device_type app_version properties session_duration error_code started_at ended_at event_count page_views errors category launched_at is_premium active_users events sessions metric_date billing_period status mrr_usd initial_mrr_usd experiment_key variant first_exposed_at converted converted_at'.split(
    ' ',
  ),
);

/** Words that follow "as", "with"… without naming a value. */
const COMMON = new Set(
  'among amongst within across over during after before since until distinct unique different funnel funnels flow process journey single row rows column columns cell figure figures value values series list lists ranked ranking highest lowest biggest smallest best worst top bottom both either so such date dates day days session sessions first last final step steps start end overall much many well most least more less total totals average percent percentage percentages fraction share shares rate rates ratio number numbers count counts table chart list trend graph breakdown split each every all any some their its our my your this that these those them it one two at least time times scratch here there now then start beginning launch no zero details company companies firms organisations organizations businesses orgs teams currently current presently still only just actually'.split(
    ' ',
  ),
);

const STOP = new Set(
  'what which when where that this those these with from have were been does many much about there their them they your ours show give list tell please could would should the and for how our was are is of in on to by a an did do me us we it as at be or if'.split(
    ' ',
  ),
);
