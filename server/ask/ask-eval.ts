// Scoring an Ask answer against a reference result, as shared/eval/README.md says: same number
// of rows; values equal after rounding to 4 significant digits; column order and names ignored
// (some order of the answer's columns must match); row order ignored unless the question asks
// for a ranking ("ordered": true in the set). Pure.
import { z } from 'zod';

export const ZEvalQuestion = z.object({
  id: z.string(),
  question: z.string().min(1),
  sql: z.string().optional(),
  ordered: z.boolean().optional(),
  answerable: z.boolean().optional(),
});
export type EvalQuestion = z.infer<typeof ZEvalQuestion>;

/** Parses a JSONL question set; a bad line is an error naming its line. */
export function parseEvalSet(text: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: not JSON`);
    }
    const parsed = ZEvalQuestion.safeParse(json);
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues[0]!.message}`);
    if (parsed.data.answerable !== false && !parsed.data.sql)
      throw new Error(`line ${i + 1}: an answerable question needs "sql"`);
    out.push(parsed.data);
  });
  return out;
}

/** One cell as comparable text: numbers to 4 significant digits, dates without a midnight time. */
export function normaliseCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return normaliseCell(Number(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return normaliseCell(value.toISOString());
  const text = String(value);
  const date = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00:00(?:\.0+)?(?:Z|[+-]00(?::?00)?)?)?$/.exec(text);
  if (date) return date[1]!;
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return normaliseCell(Number(text));
  return text;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1))
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}

export interface Comparison {
  match: boolean;
  reason?: string;
}

/** Does `actual` hold the same result as `expected` (see the file's comment)? */
export function compareResults(
  expected: unknown[][],
  actual: unknown[][],
  options: { ordered?: boolean } = {},
): Comparison {
  if (expected.length !== actual.length)
    return { match: false, reason: `${actual.length} rows, expected ${expected.length}` };
  if (expected.length === 0) return { match: true };
  const width = expected[0]!.length;
  const actualWidth = actual[0]!.length;
  if (width !== actualWidth)
    return { match: false, reason: `${actualWidth} columns, expected ${width}` };
  const exp = expected.map((r) => r.map(normaliseCell));
  const act = actual.map((r) => r.map(normaliseCell));
  const key = (r: string[]) => JSON.stringify(r);
  const expKeys = exp.map(key);
  const expSorted = [...expKeys].sort();
  // Up to 7 columns: try every column order (5,040); wider results must match in order.
  const orders = width <= 7 ? permutations(width) : [Array.from({ length: width }, (_, i) => i)];
  for (const perm of orders) {
    const keys = act.map((r) => key(perm.map((i) => r[i]!)));
    if (options.ordered) {
      if (keys.every((k, i) => k === expKeys[i])) return { match: true };
    } else {
      const sorted = [...keys].sort();
      if (sorted.every((k, i) => k === expSorted[i])) return { match: true };
    }
  }
  return { match: false, reason: options.ordered ? 'values or order differ' : 'values differ' };
}
