// Time in a plain-English question: the period it asks about ("last 7 days", "in October 2026",
// "since September", "yesterday") and the grain of a trend ("weekly", "per day"). Pure: "today"
// is an argument (TL_NOW in the CLI, the clock in the app). Conventions (shown to the user in the
// answer's explanation, as shared/eval/README.md fixes them):
//  - "last N days" = the N calendar days ending today, today included;
//  - "last/past N weeks" = the N calendar weeks ending with the current week (Monday first);
//  - "last N months" likewise with calendar months;
//  - "this week/month/quarter/year" = to date; "last week/month/quarter/year" = the previous
//    complete one; "yesterday" = the day before today; dates are UTC.

export type Grain = 'day' | 'week' | 'month';

export interface AskPeriod {
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last day, inclusive; absent for "since …" (everything from `from` on). */
  to?: string;
  /** How the answer names it: "the last 7 days (2026-10-26 – 2026-11-01, today included)". */
  label: string;
}

export interface TimeReading {
  period?: AskPeriod;
  /**
   * A second period, when the question names two ("users who signed up in August … active in
   * October"): `first` says whether it comes before `period` in the question, `opens` whether
   * the earlier of the two opens it; `phrase` is its text, left in `rest` (a planner that uses it
   * takes it out).
   */
  other?: { period: AskPeriod; first: boolean; phrase: string; opens: boolean };
  grain?: Grain;
  /** The period is two neighbouring days, weeks or months compared ("October vs September"). */
  pair?: boolean;
  /** The pair is named as a comparison ("October vs September"), not a list ("… and …"). */
  pairCompared?: boolean;
  /** The unit of a list of periods named ("September and October": month), whatever `grain`. */
  listedBy?: Grain;
  /** The question with the time phrases blanked out (so "may" is not a value, etc.). */
  rest: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_ALIASES: Record<string, number> = Object.fromEntries([
  ...MONTHS.map((m, i) => [m, i] as const),
  ...MONTHS.map((m, i) => [m.slice(0, 3), i] as const),
  ['sept', 8],
]);
const MONTH_RE = `(${Object.keys(MONTH_ALIASES)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

/** Number words of questions ("last seven days", "top five"). */
export const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
  fifty: 50,
  hundred: 100,
};
// In periods "a" is one too ("in the past a day" is rare, harmless).
const PERIOD_NUMBERS: Record<string, number> = { a: 1, ...NUMBER_WORDS };
const NUMBER_RE = `(\\d+|${Object.keys(PERIOD_NUMBERS).join('|')})`;
const toNumber = (s: string) => (/^\d+$/.test(s) ? Number(s) : (PERIOD_NUMBERS[s] ?? NaN));

// ---- UTC calendar arithmetic on YYYY-MM-DD ----------------------------------------------------

const DAY_MS = 86_400_000;
const parse = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => fmt(parse(d) + n * DAY_MS);
const mondayOf = (d: string) => addDays(d, -((new Date(parse(d)).getUTCDay() + 6) % 7));
const monthStart = (y: number, m: number) => fmt(Date.UTC(y, m, 1));
const monthEnd = (y: number, m: number) => fmt(Date.UTC(y, m + 1, 0));
const ymd = (d: string) => ({ y: +d.slice(0, 4), m: +d.slice(5, 7) - 1 });
const monthName = (m: number) => MONTHS[m]![0]!.toUpperCase() + MONTHS[m]!.slice(1);

const span = (from: string, to: string) => (from === to ? from : `${from} – ${to}`);

/** A period's label from its dates alone. */
export const rangeLabel = (from: string, to?: string) => (to ? span(from, to) : `since ${from}`);

/**
 * The label of a period that came from a client (a follow-up's context): kept when it reads like
 * the planner's own — letters, digits and punctuation only, naming the period's dates — and
 * rebuilt from the dates otherwise, so an answer never repeats a link or a claim about other days.
 */
export function trustedLabel(period: { from: string; to?: string; label: string }): string {
  const { from, to, label } = period;
  const plain = /^[\p{L}\p{N} ,.:()–'’-]{1,200}$/u.test(label);
  const dated = label.includes(from) && (!to || label.includes(to));
  return plain && dated ? label : rangeLabel(from, to);
}

/** The month `m` (0-11) meant without a year: this year's if it has begun, else last year's. */
function recentMonth(today: string, m: number): { y: number; m: number } {
  const t = ymd(today);
  return { y: m <= t.m ? t.y : t.y - 1, m };
}

/** A calendar day named with its month: "Oct 15th", "October 15 2026", "the 15th of October". */
const DAY_RE = `(?:${MONTH_RE} (\\d{1,2})(?:st|nd|rd|th)?|(?:the )?(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH_RE})(?: (\\d{4}))?`;

/** A day from DAY_RE's five groups (month, day, day, month, year); undefined when not a date. */
function dayOf(g: (string | undefined)[], year: number): string | undefined {
  const month = MONTH_ALIASES[(g[0] ?? g[3])!]!;
  const day = +(g[1] ?? g[2]!);
  const y = g[4] ? +g[4] : year;
  const date = `${y}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return day >= 1 && date <= monthEnd(y, month) ? date : undefined;
}

interface Rule {
  re: RegExp;
  /** The period; with a grain when the phrase asks for one per unit (two months compared). */
  period: (match: RegExpExecArray, today: string) => (AskPeriod & { grain?: Grain }) | undefined;
}

const COMPARED = '(?:vs|versus|compared (?:to|with)|against|with|than(?: in| during)?)';

const WEEKDAYS = ['mon', 'tues', 'wednes', 'thurs', 'fri', 'satur', 'sun'];
const WEEKDAY_RE = '(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?';

/** Two DAY_RE days as a range; a year named once is both ends' (undefined when not a range). */
function dayRange(
  first: (string | undefined)[],
  second: (string | undefined)[],
  today: string,
): { from: string; to: string; label: string } | undefined {
  const endYear = second[4]
    ? +second[4]
    : first[4]
      ? +first[4]
      : recentMonth(today, MONTH_ALIASES[(second[0] ?? second[3])!]!).y;
  const to = dayOf(second, endYear);
  if (!to) return undefined;
  let from = dayOf(first, first[4] ? +first[4] : endYear);
  if (from && !first[4] && from > to) from = dayOf(first, endYear - 1);
  if (!from || from > to) return undefined;
  return { from, to, label: span(from, to) };
}

const RULES: Rule[] = [
  {
    // "from Monday 2026-10-26 through today", "since Tue, 2026-10-27": a day named with its
    // weekday, everything from it to today.
    re: new RegExp(
      `\\b(?<!\\bweek )(?:since|from|starting(?: on)?) ${WEEKDAY_RE},? (\\d{4}-\\d{2}-\\d{2})(?: (?:through|thru|to|until|till|up to) (?:today|now|date))?\\b`,
    ),
    period: (m, today) => {
      const from = m[1]!;
      return from <= today ? { from, label: `since ${from} (through ${today})` } : undefined;
    },
  },
  {
    // "Monday through today", "since Wednesday": the latest such weekday (today included) to today.
    re: /\b(?:since |from )?(mon|tues|wednes|thurs|fri|satur|sun)day(?: (?:through|thru|to|until|till|up to) (?:today|now|date)|(?<=since \w+))\b/,
    period: (m, today) => {
      const wanted = WEEKDAYS.indexOf(m[1]!);
      // (Monday is 0; mondayOf gives the Monday of today's week.)
      const monday = mondayOf(today);
      let from = addDays(monday, wanted);
      if (from > today) from = addDays(from, -7);
      return { from, label: `since ${from} (${span(from, today)}, today included)` };
    },
  },
  {
    // "the week of Mon Sept 7 2026", "week of October 12th": the Monday-to-Sunday week holding it.
    re: new RegExp(
      // ("users per week, starting October 1": a weekly trend from that day, not one week.)
      `\\b(?<!\\b(?:per|each|every|by|a) )(?:in |during )?(?:the )?week (?:of|starting|beginning) (?:(?:mon|monday|tue|tuesday|wed|wednesday|thu|thursday|fri|friday|sat|saturday|sun|sunday) )?${DAY_RE}\\b`,
    ),
    period: (m, today) => {
      const g = m.slice(1, 6);
      const day = dayOf(g, recentMonth(today, MONTH_ALIASES[(g[0] ?? g[3])!]!).y);
      if (!day) return undefined;
      const from = mondayOf(day);
      const to = addDays(from, 6);
      return { from, to, label: `the week of ${from} (${span(from, to)}, Monday to Sunday)` };
    },
  },
  {
    // "the week starting Monday 2026-09-07": the same with an ISO date.
    re: /\b(?<!\b(?:per|each|every|by|a) )(?:in |during )?(?:the )?week (?:of|starting|beginning) (?:(?:on )?(?:mon|monday) )?(\d{4})-(\d{2})-(\d{2})\b/,
    period: (m) => {
      const day = `${m[1]}-${m[2]}-${m[3]}`;
      if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(day)) return undefined;
      const from = mondayOf(day);
      const to = addDays(from, 6);
      return { from, to, label: `the week of ${from} (${span(from, to)}, Monday to Sunday)` };
    },
  },
  {
    // "August, September and October", "for Aug, Sep, Oct": consecutive months, one row each.
    re: new RegExp(
      `(?<!\\b(?:between|from|(?<!each )of) )\\b${MONTH_RE}(?: (\\d{4}))?(?:,? ${MONTH_RE}(?: (\\d{4}))?)?,? (?:and|&|or)(?: (?:for|in|during))? ${MONTH_RE}(?: (\\d{4}))?\\b`,
    ),
    period: (m, today) => {
      const named = [
        [m[1], m[2]],
        [m[3], m[4]],
        [m[5], m[6]],
      ].filter(([name]) => name) as [string, string | undefined][];
      const year = named.map(([, y]) => y).find(Boolean);
      const months = named.map(([name, y]) => {
        const month = MONTH_ALIASES[name]!;
        return { y: y ? +y : year ? +year : recentMonth(today, month).y, m: month };
      });
      const index = months.map((x) => x.y * 12 + x.m).sort((a, b) => a - b);
      // Only a run of neighbouring months (two or three) is one span.
      if (months.length < 2 || index.some((v, i) => i > 0 && v - index[i - 1]! !== 1))
        return undefined;
      const first = { y: Math.floor(index[0]! / 12), m: index[0]! % 12 };
      const last = { y: Math.floor(index.at(-1)! / 12), m: index.at(-1)! % 12 };
      const from = monthStart(first.y, first.m);
      const to = monthEnd(last.y, last.m);
      return {
        from,
        to,
        grain: 'month',
        label: `${months.map((x) => monthName(x.m)).join(', ')} ${last.y} (${span(from, to)})`,
      };
    },
  },
  {
    // "Sept 20 onward", "October 3rd and later": everything from a day on.
    re: new RegExp(`\\b(?:from )?${DAY_RE} (?:onwards?|and later|or later|and after|forward)\\b`),
    period: (m, today) => {
      const g = m.slice(1, 6);
      const from = dayOf(g, recentMonth(today, MONTH_ALIASES[(g[0] ?? g[3])!]!).y);
      return from ? { from, label: `since ${from} (through ${today})` } : undefined;
    },
  },
  {
    // "September vs October", "October 2026 compared to September": two neighbouring months
    // compared, one row each.
    re: new RegExp(`\\b${MONTH_RE}(?: (\\d{4}))? ${COMPARED} ${MONTH_RE}(?: (\\d{4}))?\\b`),
    period: (m, today) => {
      const a = MONTH_ALIASES[m[1]!]!;
      const b = MONTH_ALIASES[m[3]!]!;
      const yb = m[4] ? +m[4] : m[2] ? +m[2] : recentMonth(today, b).y;
      const ya = m[2] ? +m[2] : recentMonth(today, a).y;
      const [first, last] = [
        { y: ya, m: a },
        { y: yb, m: b },
      ].sort((x, y) => x.y * 12 + x.m - (y.y * 12 + y.m));
      if (last!.y * 12 + last!.m - (first!.y * 12 + first!.m) !== 1) return undefined;
      const from = monthStart(first!.y, first!.m);
      const to = monthEnd(last!.y, last!.m);
      return {
        from,
        to,
        grain: 'month',
        label: `${monthName(first!.m)} and ${monthName(last!.m)} ${last!.y} (${span(from, to)})`,
      };
    },
  },
  {
    // "this week vs last week", "last month compared to this month": the two, one row each.
    re: new RegExp(
      `\\b(this|last) (week|month) ${COMPARED} (?:the )?(this|last|previous) (week|month)\\b`,
    ),
    period: (m, today) => {
      if (m[2] !== m[4] || (m[1] === 'this') === (m[3] === 'this')) return undefined;
      const t = ymd(today);
      if (m[2] === 'week') {
        const from = addDays(mondayOf(today), -7);
        return {
          from,
          to: today,
          grain: 'week',
          label: `last week and this week (${span(from, today)})`,
        };
      }
      const from = monthStart(t.y, t.m - 1);
      return {
        from,
        to: today,
        grain: 'month',
        label: `last month and this month (${span(from, today)})`,
      };
    },
  },
  {
    // "last week vs the week before", "last month compared to the previous month", "yesterday vs
    // the day before": the two, one row each.
    re: new RegExp(
      `\\b(?:(last|this) (week|month)|(yesterday|today)),? (?:${COMPARED}|with|and|to) (?:the )?(?:(?:previous|prior|preceding) (week|month|day)|(week|month|day) before(?: that)?)\\b`,
    ),
    period: (m, today) => {
      const unit = m[2] ?? 'day';
      if ((m[4] ?? m[5]) !== unit) return undefined;
      if (unit === 'day') {
        const to = m[3] === 'today' ? today : addDays(today, -1);
        const from = addDays(to, -1);
        return { from, to, grain: 'day', label: `${from} and ${to}` };
      }
      const t = ymd(today);
      const current = m[1] === 'this';
      if (unit === 'week') {
        const monday = addDays(mondayOf(today), current ? 0 : -7);
        const from = addDays(monday, -7);
        const to = current ? today : addDays(monday, 6);
        return {
          from,
          to,
          grain: 'week',
          label: `${current ? 'last week and this week' : 'the week before last and last week'} (${span(from, to)})`,
        };
      }
      const from = monthStart(t.y, t.m - (current ? 1 : 2));
      const to = current ? today : monthEnd(t.y, t.m - 1);
      return {
        from,
        to,
        grain: 'month',
        label: `${current ? 'last month and this month' : 'the month before last and last month'} (${span(from, to)})`,
      };
    },
  },
  {
    // "between Aug 15 and Sep 15, 2026", "from Sep 27 to Oct 2", "since October 15": days named
    // with their month, a range or everything from a day on. A year named once is both ends'.
    re: new RegExp(
      `\\b(between|from|since|after|starting(?: on| from)?) ${DAY_RE}(?: (?:to|until|till|through|thru|and|–|-) ?${DAY_RE})?\\b`,
    ),
    period: (m, today) => {
      const first = m.slice(2, 7);
      const second = m.slice(7, 12);
      const hasEnd = second[0] !== undefined || second[3] !== undefined;
      if (m[1] === 'between' && !hasEnd) return undefined;
      const month = (g: (string | undefined)[]) => MONTH_ALIASES[(g[0] ?? g[3])!]!;
      if (!hasEnd) {
        const from = dayOf(first, recentMonth(today, month(first)).y);
        if (!from) return undefined;
        const start = m[1] === 'after' ? addDays(from, 1) : from;
        return { from: start, label: `since ${start} (through ${today})` };
      }
      return dayRange(first, second, today);
    },
  },
  {
    // "daily signups oct 1 - oct 7", "Sep 27 to Oct 2": two days joined by a dash or "to", with
    // no "from" or "between" before them, are a range too.
    re: new RegExp(`\\b${DAY_RE} ?(?:to|until|till|through|thru|–|-) ?${DAY_RE}\\b`),
    period: (m, today) => dayRange(m.slice(1, 6), m.slice(6, 11), today),
  },
  {
    // "the week of Sept 7", "the week starting October 5th": the calendar week (Monday to
    // Sunday) of that day; "starting"/"beginning" a day: the seven days from it.
    re: new RegExp(
      `\\b(?<!\\b(?:per|each|every|by|a) )(?:in |during |for )?(?:the )?week (of|starting|beginning|from) ${DAY_RE}\\b`,
    ),
    period: (m, today) => {
      const g = m.slice(2, 7);
      const day = dayOf(g, recentMonth(today, MONTH_ALIASES[(g[0] ?? g[3])!]!).y);
      if (!day) return undefined;
      const from = m[1] === 'of' ? mondayOf(day) : day;
      const to = addDays(from, 6);
      return { from, to, label: `the week of ${day} (${span(from, to)})` };
    },
  },
  {
    // "Oct 1-15", "October 16 to 31": days of one month; "the first/second half of October".
    re: new RegExp(
      `\\b(?:(?:in|during|for|over) )?(?:the )?(?:${MONTH_RE} (\\d{1,2})(?:st|nd|rd|th)? ?(?:-|–|to|through|thru|until) ?(\\d{1,2})(?:st|nd|rd|th)?|(first|second) half of ${MONTH_RE})(?: (\\d{4}))?\\b`,
    ),
    period: (m, today) => {
      const name = (m[1] ?? m[5])!;
      const month = MONTH_ALIASES[name]!;
      const y = m[6] ? +m[6] : recentMonth(today, month).y;
      const last = +monthEnd(y, month).slice(8);
      const [a, b] = m[4] ? (m[4] === 'first' ? [1, 15] : [16, last]) : [+m[2]!, +m[3]!];
      if (a < 1 || b > last || a > b) return undefined;
      const day = (d: number) =>
        `${y}-${String(month + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      return { from: day(a), to: day(b), label: span(day(a), day(b)) };
    },
  },
  {
    // "Q3", "in q3 2026": the calendar quarter (the most recent one with that number).
    re: /\b(?:in |during |for |of )?q([1-4])(?: (\d{4}))?\b/,
    period: (m, today) => {
      const q = +m[1]! - 1;
      const t = ymd(today);
      const y = m[2] ? +m[2] : 3 * q <= t.m ? t.y : t.y - 1;
      const from = monthStart(y, 3 * q);
      const to = monthEnd(y, 3 * q + 2);
      return { from, to, label: `Q${q + 1} ${y} (${span(from, to)})` };
    },
  },
  {
    // "on Oct 15th", "October 15, 2026", "the 15th of October".
    re: new RegExp(
      `\\b(?:on |for )?(?:${MONTH_RE} (\\d{1,2})(?:st|nd|rd|th)?|(?:the )?(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH_RE})(?: (\\d{4}))?\\b`,
    ),
    period: (m, today) => {
      const name = m[1] ?? m[4]!;
      const day = +(m[2] ?? m[3]!);
      const month = MONTH_ALIASES[name]!;
      if (name === 'may' && !m[0].startsWith('on ')) return undefined;
      const y = m[5] ? +m[5] : recentMonth(today, month).y;
      const date = `${y}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if (day < 1 || date > monthEnd(y, month)) return undefined;
      return { from: date, to: date, label: date };
    },
  },
  {
    re: new RegExp(
      `\\b(?:in |during |for )?(?:the )?(?:last|past|previous|trailing) ${NUMBER_RE} days?\\b`,
    ),
    period: (m, today) => {
      const n = toNumber(m[1]!);
      if (!(n >= 1)) return undefined;
      const from = addDays(today, -(n - 1));
      return {
        from,
        to: today,
        label: `the last ${n} days (${span(from, today)}, today included)`,
      };
    },
  },
  {
    re: new RegExp(
      `\\b(?:in |during |for )?(?:the )?(?:last|past|previous|trailing) ${NUMBER_RE} weeks?\\b`,
    ),
    period: (m, today) => {
      const n = toNumber(m[1]!);
      if (!(n >= 1)) return undefined;
      const from = addDays(mondayOf(today), -7 * (n - 1));
      return {
        from,
        to: today,
        label: `the last ${n} weeks (${span(from, today)}: calendar weeks from Monday, the current one included)`,
      };
    },
  },
  {
    re: new RegExp(
      `\\b(?:in |during |for )?(?:the )?(?:last|past|previous|trailing) ${NUMBER_RE} months?\\b`,
    ),
    period: (m, today) => {
      const n = toNumber(m[1]!);
      if (!(n >= 1)) return undefined;
      const t = ymd(today);
      const from = monthStart(t.y, t.m - (n - 1));
      return {
        from,
        to: today,
        label: `the last ${n} months (${span(from, today)}: calendar months, the current one included)`,
      };
    },
  },
  {
    re: /\b(?:on |for )?yesterday\b/,
    period: (_m, today) => {
      const d = addDays(today, -1);
      return { from: d, to: d, label: `yesterday (${d})` };
    },
  },
  {
    re: /\b(?:so far )?today\b/,
    period: (_m, today) => ({ from: today, to: today, label: `today (${today})` }),
  },
  {
    re: /\b(?:in |during |for )?(this|last|the previous|the past|previous) (week|month|quarter|year)\b/,
    period: (m, today) => {
      const current = m[1] === 'this';
      const unit = m[2]!;
      const t = ymd(today);
      if (unit === 'week') {
        const monday = mondayOf(today);
        if (current)
          return { from: monday, to: today, label: `this week (${span(monday, today)}, to date)` };
        const from = addDays(monday, -7);
        const to = addDays(monday, -1);
        return { from, to, label: `last week (${span(from, to)}, Monday to Sunday)` };
      }
      if (unit === 'month') {
        if (current) {
          const from = monthStart(t.y, t.m);
          return { from, to: today, label: `this month (${span(from, today)}, to date)` };
        }
        const from = monthStart(t.y, t.m - 1);
        const to = monthEnd(t.y, t.m - 1);
        return {
          from,
          to,
          label: `last month (${monthName(ymd(from).m)} ${ymd(from).y}: ${span(from, to)})`,
        };
      }
      if (unit === 'quarter') {
        const q = Math.floor(t.m / 3);
        if (current) {
          const from = monthStart(t.y, 3 * q);
          return { from, to: today, label: `this quarter (${span(from, today)}, to date)` };
        }
        const from = monthStart(t.y, 3 * q - 3);
        const to = monthEnd(t.y, 3 * q - 1);
        return { from, to, label: `last quarter (${span(from, to)})` };
      }
      if (current) {
        const from = monthStart(t.y, 0);
        return { from, to: today, label: `this year (${span(from, today)}, to date)` };
      }
      const from = monthStart(t.y - 1, 0);
      const to = monthEnd(t.y - 1, 11);
      return { from, to, label: `last year (${span(from, to)})` };
    },
  },
  {
    re: /\b(?:since|from|after) (\d{4}-\d{2}-\d{2})(?: (?:to|until|through|and) (\d{4}-\d{2}-\d{2}))?\b/,
    period: (m, today) => {
      const from = m[1]!;
      const to = m[2];
      return to
        ? { from, to, label: span(from, to) }
        : { from, label: `since ${from} (through ${today})` };
    },
  },
  {
    re: /\bbetween (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})\b/,
    period: (m) => ({ from: m[1]!, to: m[2]!, label: span(m[1]!, m[2]!) }),
  },
  {
    re: /\bon (\d{4}-\d{2}-\d{2})\b/,
    period: (m) => ({ from: m[1]!, to: m[1]!, label: m[1]! }),
  },
  {
    // "Aug through Oct 2026", "from september to october", "between sept and oct".
    re: new RegExp(
      `\\b(?:from |between |for |in |during |over )?${MONTH_RE}(?: (\\d{4}))? (?:to|through|thru|until|till|and|–|-)? ?${MONTH_RE}(?: (\\d{4}))?\\b`,
    ),
    period: (m, today) => {
      const first = MONTH_ALIASES[m[1]!]!;
      const last = MONTH_ALIASES[m[3]!]!;
      if (m[1] === 'may' || m[3] === 'may') return undefined;
      const endYear = m[4] ? +m[4] : m[2] && first <= last ? +m[2] : recentMonth(today, last).y;
      const startYear = m[2] ? +m[2] : first <= last ? endYear : endYear - 1;
      const from = monthStart(startYear, first);
      const to = monthEnd(endYear, last);
      if (to < from) return undefined;
      return {
        from,
        to,
        label: `${monthName(first)} ${startYear} – ${monthName(last)} ${endYear} (${span(from, to)})`,
      };
    },
  },
  {
    re: new RegExp(
      `\\b(?:since|from|after|starting(?: in)?) (?:the (?:start|beginning) of )?${MONTH_RE}(?: (\\d{4}))?\\b`,
    ),
    period: (m, today) => {
      const month = MONTH_ALIASES[m[1]!]!;
      const { y } = m[2] ? { y: +m[2] } : recentMonth(today, month);
      const from = monthStart(y, month);
      return { from, label: `since ${monthName(month)} ${y} (${from} through ${today})` };
    },
  },
  {
    re: new RegExp(
      `\\b(?:in |during |for |of |over )?(?:the month of )?${MONTH_RE}(?: (\\d{4}))?\\b`,
    ),
    period: (m, today) => {
      const month = MONTH_ALIASES[m[1]!]!;
      // "may" alone is a verb far more often than a month.
      if (m[1] === 'may' && !m[2] && !/^(in|during|for|of|over) /.test(m[0])) return undefined;
      const { y } = m[2] ? { y: +m[2] } : recentMonth(today, month);
      const from = monthStart(y, month);
      const to = monthEnd(y, month);
      return { from, to, label: `${monthName(month)} ${y} (${span(from, to)})` };
    },
  },
  {
    re: /\b(?:in |during |for )(\d{4})\b/,
    period: (m) => {
      const y = +m[1]!;
      if (y < 2000 || y > 2100) return undefined;
      return { from: `${y}-01-01`, to: `${y}-12-31`, label: `${y} (${y}-01-01 – ${y}-12-31)` };
    },
  },
];

const GRAINS: [RegExp, Grain][] = [
  [
    /\b(daily|per day|each day|every day|by day|a day|day by day|(?:on|in) a (?:single|given|particular) day|(?:combination|combo)s? of (?:the )?(?:day|date)|(?:with|and|plus) the date|day over day|over days|dod|which (?:single |one |particular |specific )?day(?! of)|what (?:single |one |particular |specific )?day(?! of)|(?:which|what) (?=(?:weekday|weekend day|business day|working day|workday)s?\b)|(?<=(?:busiest|quietest|peak|slowest|top \d+|bottom \d+) )days?|days(?= (?:with|that had|ranked by)))\b/,
    'day',
  ],
  [
    /\b(weekly|per week|each week|every week|by week|a week|week over week|weekly trend|wow|which week|what week|(?<=(?:busiest|quietest|peak|slowest|top \d+|bottom \d+) )weeks?|weeks(?= (?:with|that had|ranked by)))\b/,
    'week',
  ],
  [
    /\b(monthly|per month|each month|every month|by month|a month|month over month|mom|which month|what month)\b/,
    'month',
  ],
];

/** Finds the period and the trend grain in a lower-cased question. */
export function readTime(text: string, today: string): TimeReading {
  let rest = ` ${text} `;
  let period: AskPeriod | undefined;
  let at = 0;
  let compared: Grain | undefined;
  let comparedWords = false;
  for (const rule of RULES) {
    const match = rule.re.exec(rest);
    if (!match) continue;
    const found = rule.period(match, today);
    if (!found) continue;
    const { grain: perUnit, ...dates } = found;
    period = dates;
    at = match.index;
    if (perUnit) compared = perUnit;
    comparedWords = new RegExp(`\\b${COMPARED}\\b`).test(match[0]);
    rest =
      rest.slice(0, match.index) +
      ' '.repeat(match[0].length) +
      rest.slice(match.index + match[0].length);
    break;
  }
  let other: TimeReading['other'];
  for (const rule of period ? RULES : []) {
    const match = rule.re.exec(rest);
    const found = match && rule.period(match, today);
    if (!match || !found) continue;
    // The same period named again ("the August cohort … signed up in August") is not another.
    if (found.from === period!.from && found.to === period!.to) {
      rest =
        rest.slice(0, match.index) +
        ' '.repeat(match[0].length) +
        rest.slice(match.index + match[0].length);
      continue;
    }
    const dates = { from: found.from, ...(found.to ? { to: found.to } : {}), label: found.label };
    // Whether the earlier of the two opens the question ("In October, …").
    const opens = rest.slice(0, Math.min(at, match.index)).trim() === '';
    other = { period: dates, first: match.index < at, phrase: match[0].trim(), opens };
    break;
  }
  // "the following week", "the month after": the period right after the one named.
  const next =
    period && !other
      ? /\b(?:in |during )?(?:the )?(?:(?:following|next|subsequent) (day|week|month)|(day|week|month) after(?: that)?)\b/.exec(
          rest,
        )
      : null;
  if (period && next) {
    const unit = (next[1] ?? next[2])!;
    const end = period.to ?? today;
    const from =
      unit === 'day'
        ? addDays(end, 1)
        : unit === 'week'
          ? addDays(mondayOf(end), 7)
          : monthStart(ymd(end).y, ymd(end).m + 1);
    const to =
      unit === 'day'
        ? from
        : unit === 'week'
          ? addDays(from, 6)
          : monthEnd(ymd(from).y, ymd(from).m);
    other = {
      period: { from, to, label: `the following ${unit} (${span(from, to)})` },
      first: next.index < at,
      phrase: next[0].trim(),
      opens: false,
    };
  }
  // "the 7 days before that", "the previous 14 days": as many days right before the period.
  const before =
    period?.to && !other
      ? /\b(?:the )?(?:(?:previous|prior|preceding) (\d+) days|(\d+) days (?:before|prior)(?: that| to that| it)?)\b/.exec(
          rest,
        )
      : null;
  if (period?.to && before) {
    const n = Number(before[1] ?? before[2]);
    const to = addDays(period.from, -1);
    const from = addDays(to, -(n - 1));
    if (n >= 1 && n <= 366)
      other = {
        period: { from, to, label: `the ${n} days before (${span(from, to)})` },
        first: before.index < at,
        phrase: before[0].trim(),
        opens: false,
      };
  }
  // "the 7 days ending October 20", "the trailing 30 days up to that day": as many days up to
  // the one day named, that day included.
  const ending =
    period?.to === period?.from && !other
      ? new RegExp(
          `\\b(?:in |over |during )?(?:the )?(?:last |past |trailing |rolling |previous )?(\\d+|${Object.keys(NUMBER_WORDS).join('|')})[ -]days?(?: window| period)? (?:ending|up to|through|thru|until|to|leading up to)(?: and including)?(?: (?:on|with))?(?: (?:that day|then|it|that date))?\\b`,
        ).exec(rest)
      : null;
  if (period && ending) {
    const n = /^\d+$/.test(ending[1]!) ? Number(ending[1]) : NUMBER_WORDS[ending[1]!]!;
    if (n >= 1 && n <= 366) {
      period = daysEnding(period.from, n);
      rest =
        rest.slice(0, ending.index) +
        ' '.repeat(ending[0].length) +
        rest.slice(ending.index + ending[0].length);
    }
  }
  let grain: Grain | undefined = compared;
  // "in each of the past 4 weeks": the period is read above, the grain here.
  const each =
    /\beach of the (?:(?:last|past|previous) )?(?:\S+ )?(day|week|month)s\b/.exec(text) ??
    // "which 3 days had the most errors": a count per day, ranked.
    /\b(?:which|what) (?:\d+|two|three|four|five|six|seven|eight|nine|ten) (day|week|month)s\b/.exec(
      text,
    );
  if (each) grain = each[1] as Grain;
  for (const [re, g] of each ? [] : GRAINS) {
    const match = re.exec(rest);
    if (!match) continue;
    // "monthly recurring revenue", "monthly billing", "annual plan": a kind of billing, not a grain.
    if (
      new RegExp(
        `\\b${match[1]} (recurring|billing|billed|plans?|subscriptions?|pric(e|es|ing)|fees?)\\b`,
      ).test(rest) ||
      // "monthly vs annual billing": two billing periods compared.
      new RegExp(`\\b${match[1]} (vs|versus|or|and|compared to) (annual|yearly|monthly)\\b`).test(
        rest,
      ) ||
      new RegExp(`\\b(annual|yearly) (vs|versus|or|and|compared to) ${match[1]}\\b`).test(rest) ||
      // "billed annually and how many monthly": billing periods, not a trend.
      (match[1] === 'monthly' &&
        /\b(annual|annually|yearly)\b/.test(rest) &&
        /\b(bill|billed|billing|plans?|subscriptions?)\b/.test(rest))
    )
      continue;
    grain = g;
    rest = rest.replace(re, ' ');
    break;
  }
  // "DAU" is daily, "WAU" weekly, "MAU" monthly: as a trend only when no period says otherwise.
  return {
    period,
    ...(other ? { other } : {}),
    grain,
    ...(compared && grain === compared
      ? { pair: true, ...(comparedWords ? { pairCompared: true } : {}) }
      : {}),
    ...(compared ? { listedBy: compared } : {}),
    rest: rest.replace(/\s+/g, ' ').trim(),
  };
}

/** Whether a period is exactly one day, one Monday-to-Sunday week or one calendar month. */
export function isOneUnit(period: AskPeriod, grain: Grain): boolean {
  const to = period.to;
  if (!to) return false;
  if (grain === 'day') return period.from === to;
  if (grain === 'week')
    return mondayOf(period.from) === period.from && addDays(period.from, 6) === to;
  if (grain === 'month') {
    const { y, m } = ymd(period.from);
    return period.from === monthStart(y, m) && to === monthEnd(y, m);
  }
  return false;
}

/** The `days` days ending on `day`, that day included ("WAU as of October 31"). */
export function daysEnding(day: string, days: number): AskPeriod {
  const from = addDays(day, -(days - 1));
  return {
    from,
    to: day,
    label: `the ${days} days ending ${day} (${span(from, day)}, that day included)`,
  };
}

/**
 * A pair period (readTime's `pair`: two neighbouring days, weeks or months) as its two parts,
 * earlier first; undefined when it is not exactly two of the grain (the later may be to date).
 */
export function splitPair(period: AskPeriod, grain: Grain): [AskPeriod, AskPeriod] | undefined {
  const to = period.to;
  if (!to) return undefined;
  const startOf = (d: string) =>
    grain === 'day' ? d : grain === 'week' ? mondayOf(d) : monthStart(ymd(d).y, ymd(d).m);
  const laterFrom = startOf(to);
  const earlierTo = addDays(laterFrom, -1);
  if (earlierTo < period.from || startOf(earlierTo) !== period.from) return undefined;
  const name = (from: string, end: string) =>
    grain === 'month'
      ? `${monthName(ymd(from).m)} ${ymd(from).y} (${span(from, end)})`
      : grain === 'week'
        ? `the week of ${from} (${span(from, end)})`
        : from;
  return [
    { from: period.from, to: earlierTo, label: name(period.from, earlierTo) },
    { from: laterFrom, to, label: name(laterFrom, to) },
  ];
}
