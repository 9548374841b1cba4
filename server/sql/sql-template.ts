// Template tags in the SQL editor's queries, rendered to plain SQL with bound parameters before
// the run. Two kinds:
//  - `{{ name }}`: a typed parameter (text, number, date) that the analyst fills in beside the
//    editor (a saved query keeps the types and defaults). It becomes `CAST($tl_name AS <type>)`:
//    the value is always bound, never spliced into the text, so a value cannot change the query.
//  - `{{ filters }}` / `{{ filters(column) }}`: the hook a saved query on a dashboard uses to
//    follow the dashboard's date range: a condition on `column` (default `event_date`) between
//    the range's first and last day, or `TRUE` when no range applies (the editor without one).
// Rendering keeps a map from positions in the rendered text back to the analyst's text, so an
// error the engine reports at a position is underlined where the analyst wrote it.
import { z } from 'zod';
import { AppError } from '../errors';
import { lineAndColumn } from '../query/duckdb-errors';

export const PARAM_TYPES = ['text', 'number', 'date'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

const NAME = /^[a-z_][a-z0-9_]{0,62}$/i;
/** `{{ name }}` or `{{ filters }}` / `{{ filters(col) }}` / `{{ filters(t.col) }}`. */
const TAG =
  /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\))?\s*\}\}/g;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const ZParamName = z
  .string()
  .regex(NAME, 'A parameter name is letters, digits and _ (not starting with a digit).');

/** A parameter as a saved query declares it: its type and an optional default. */
export const ZParamDeclaration = z.object({
  name: ZParamName,
  type: z.enum(PARAM_TYPES),
  default: z.string().max(1_000).nullish().describe('The value used when none is given'),
});
export type ParamDeclaration = z.infer<typeof ZParamDeclaration>;

/** Values typed into the inputs, as text; parsed by each parameter's type. */
export const ZParamValues = z.record(ZParamName, z.string().max(1_000));
export type ParamValues = z.infer<typeof ZParamValues>;

export const ZDateRange = z
  .object({
    from: z.string().regex(DAY, 'from must be a day, YYYY-MM-DD.'),
    to: z.string().regex(DAY, 'to must be a day, YYYY-MM-DD.'),
  })
  .refine((r) => r.from <= r.to, 'The date range ends before it starts.');
export type DateRange = z.infer<typeof ZDateRange>;

export interface TemplateTag {
  kind: 'param' | 'filters';
  /** The parameter's name; for filters the column the condition is on. */
  name: string;
  start: number;
  end: number;
}

/**
 * The text with comments and string literals blanked out (same length, so positions hold): a tag
 * inside them is text, not a tag — `'{{ x }}'` stays a string, `-- {{ x }}` a comment.
 */
function codeOnly(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const two = sql.slice(i, i + 2);
    let end: number;
    if (two === '--') {
      end = sql.indexOf('\n', i);
      end = end === -1 ? sql.length : end;
    } else if (two === '/*') {
      end = sql.indexOf('*/', i + 2);
      end = end === -1 ? sql.length : end + 2;
    } else if (sql[i] === "'" || sql[i] === '"') {
      const quote = sql[i]!;
      end = i + 1;
      while (end < sql.length) {
        if (sql[end] === quote) {
          if (sql[end + 1] === quote) end += 2;
          else break;
        } else end++;
      }
      end = Math.min(sql.length, end + 1);
    } else {
      out += sql[i];
      i++;
      continue;
    }
    out += sql.slice(i, end).replace(/[^\n]/g, ' ');
    i = end;
  }
  return out;
}

/**
 * A script's statements: its text cut at each `;` outside comments and string literals, with
 * where each starts; pieces with nothing but whitespace and comments are left out. The engine
 * still checks that each piece is one read-only statement — this only decides where to cut.
 */
export function splitStatements(sql: string): { sql: string; offset: number }[] {
  const code = codeOnly(sql);
  const pieces: { sql: string; offset: number }[] = [];
  let start = 0;
  for (let i = 0; i <= code.length; i++) {
    if (i < code.length && code[i] !== ';') continue;
    const piece = sql.slice(start, i);
    const lead = piece.length - piece.trimStart().length;
    if (code.slice(start, i).trim() !== '')
      pieces.push({ sql: piece.trim(), offset: start + lead });
    start = i + 1;
  }
  return pieces;
}

/** The tags of a query in text order (not those inside comments and string literals). */
export function templateTags(sql: string): TemplateTag[] {
  const tags: TemplateTag[] = [];
  if (!sql.includes('{{')) return tags;
  for (const m of codeOnly(sql).matchAll(TAG)) {
    const [text, name, column] = m as unknown as [string, string, string | undefined];
    const start = m.index;
    if (name.toLowerCase() === 'filters') {
      tags.push({ kind: 'filters', name: column ?? 'event_date', start, end: start + text.length });
    } else if (column === undefined) {
      tags.push({ kind: 'param', name, start, end: start + text.length });
    } else {
      throw new AppError(
        'BAD_REQUEST',
        `{{ ${name}(…) }} is not a template tag: only {{ filters(column) }} takes a column. Write {{ ${name} }} for a parameter.`,
        { position: start, ...lineAndColumn(sql, start) },
      );
    }
  }
  return tags;
}

/** The parameters a query uses, once each in order of appearance. */
export function templateParams(sql: string): string[] {
  return [...new Set(templateTags(sql).flatMap((t) => (t.kind === 'param' ? [t.name] : [])))];
}

/** A parameter's type when the query does not declare it: dates by name, text otherwise. */
export function guessParamType(name: string): ParamType {
  if (/(^|_)(date|day|from|to|since|until|start|end)$/i.test(name)) return 'date';
  if (/(^|_)(n|count|limit|min|max|threshold|days|weeks|top)$/i.test(name)) return 'number';
  return 'text';
}

export interface RenderedSql {
  sql: string;
  params: Record<string, string | number>;
  /** A position in the rendered text → the same place in the analyst's text. */
  originalPosition(position: number): number;
}

const CAST: Record<ParamType, string> = { text: 'VARCHAR', number: 'DOUBLE', date: 'DATE' };

function parseValue(name: string, type: ParamType, raw: string): string | number {
  const text = raw.trim();
  if (type === 'number') {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) {
      throw new AppError('BAD_REQUEST', `{{ ${name} }} must be a number; got "${raw}".`, {
        param: name,
      });
    }
    return n;
  }
  if (type === 'date') {
    const valid = DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
    if (!valid || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) {
      throw new AppError('BAD_REQUEST', `{{ ${name} }} must be a date, YYYY-MM-DD; got "${raw}".`, {
        param: name,
      });
    }
    return text;
  }
  return raw;
}

/**
 * The SQL that runs: tags replaced by casts of bound parameters (and the filters condition).
 * Throws BAD_REQUEST, pointing at the tag, for a parameter without a value.
 */
export function renderTemplate(
  sql: string,
  opts: { declared?: readonly ParamDeclaration[]; values?: ParamValues; range?: DateRange },
): RenderedSql {
  const tags = templateTags(sql);
  if (tags.length === 0) return { sql, params: {}, originalPosition: (p) => p };
  const declared = new Map((opts.declared ?? []).map((d) => [d.name, d]));
  const params: Record<string, string | number> = {};
  // (rendered start, rendered end, original start, original end) of each replacement
  const spans: [number, number, number, number][] = [];
  let out = '';
  let last = 0;
  for (const tag of tags) {
    out += sql.slice(last, tag.start);
    let replacement: string;
    if (tag.kind === 'filters') {
      if (opts.range) {
        params.tl_range_from = opts.range.from;
        params.tl_range_to = opts.range.to;
        replacement = `(CAST(${tag.name} AS DATE) BETWEEN CAST($tl_range_from AS DATE) AND CAST($tl_range_to AS DATE))`;
      } else {
        replacement = 'TRUE';
      }
    } else {
      const declaration = declared.get(tag.name);
      const type = declaration?.type ?? guessParamType(tag.name);
      const raw = opts.values?.[tag.name] ?? declaration?.default ?? undefined;
      if (raw === undefined || raw === null || (raw.trim() === '' && type !== 'text')) {
        throw new AppError('BAD_REQUEST', `Give a value for {{ ${tag.name} }} (${type}).`, {
          param: tag.name,
          position: tag.start,
          ...lineAndColumn(sql, tag.start),
        });
      }
      try {
        params[`tl_${tag.name}`] = parseValue(tag.name, type, raw);
      } catch (error) {
        if (error instanceof AppError) {
          throw new AppError('BAD_REQUEST', error.message, {
            ...error.details,
            position: tag.start,
            ...lineAndColumn(sql, tag.start),
          });
        }
        throw error;
      }
      replacement = `CAST($tl_${tag.name} AS ${CAST[type]})`;
    }
    spans.push([out.length, out.length + replacement.length, tag.start, tag.end]);
    out += replacement;
    last = tag.end;
  }
  out += sql.slice(last);
  return {
    sql: out,
    params,
    originalPosition(position) {
      let delta = 0;
      for (const [rStart, rEnd, oStart, oEnd] of spans) {
        if (position < rStart) break;
        if (position < rEnd) return oStart;
        delta = oEnd - rEnd;
      }
      return position + delta;
    },
  };
}
