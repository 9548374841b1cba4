// Formulas between trends series ("A/B", "(A - B) / A * 100"): letters name the query's series
// in order (A is the first). Parsed once into a tree by a small recursive-descent parser — no
// eval, no SQL: formulas are computed on the shaped series, bucket by bucket. Division by zero
// gives null (a gap in the chart), not Infinity.

export type FormulaNode =
  | { op: 'num'; value: number }
  | { op: 'series'; index: number }
  | { op: 'neg'; arg: FormulaNode }
  | { op: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode };

export class FormulaError extends Error {}

type Token = { kind: 'num'; value: number } | { kind: 'letter'; index: number } | { kind: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(\d+(\.\d+)?|\.\d+)/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'num', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      if (/[A-Za-z]/.test(text[i + 1] ?? ''))
        throw new FormulaError(
          `"${text.slice(i).match(/^[A-Za-z]+/)![0]}" is not a series: use single letters (A, B, …)`,
        );
      tokens.push({ kind: 'letter', index: ch.toUpperCase().charCodeAt(0) - 65 });
      i++;
      continue;
    }
    if ('+-*/()'.includes(ch)) {
      tokens.push({ kind: ch });
      i++;
      continue;
    }
    throw new FormulaError(`Unexpected "${ch}" at position ${i + 1}`);
  }
  return tokens;
}

/** Parses a formula over `seriesCount` series; throws FormulaError with a precise message. */
export function parseFormula(text: string, seriesCount: number): FormulaNode {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]?.kind;
  const expression = (): FormulaNode => {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[at++]!.kind as '+' | '-';
      left = { op, left, right: term() };
    }
    return left;
  };
  const term = (): FormulaNode => {
    let left = factor();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[at++]!.kind as '*' | '/';
      left = { op, left, right: factor() };
    }
    return left;
  };
  const factor = (): FormulaNode => {
    const t = tokens[at++];
    if (!t) throw new FormulaError('The formula ends too early');
    if (t.kind === '-') return { op: 'neg', arg: factor() };
    if (t.kind === 'num') return { op: 'num', value: (t as { value: number }).value };
    if (t.kind === 'letter') {
      const index = (t as { index: number }).index;
      if (index >= seriesCount)
        throw new FormulaError(
          `Series ${String.fromCharCode(65 + index)} does not exist: this insight has ${seriesCount} series (A–${String.fromCharCode(64 + seriesCount)})`,
        );
      return { op: 'series', index };
    }
    if (t.kind === '(') {
      const inner = expression();
      if (tokens[at++]?.kind !== ')') throw new FormulaError('A "(" is not closed');
      return inner;
    }
    throw new FormulaError(`Unexpected "${t.kind}"`);
  };
  if (!tokens.length) throw new FormulaError('The formula is empty');
  const tree = expression();
  if (at < tokens.length) throw new FormulaError(`Unexpected "${tokens[at]!.kind}" after the end`);
  return tree;
}

/** The formula's value given each series' value (null when it divides by zero). */
export function evaluateFormula(node: FormulaNode, series: (i: number) => number): number | null {
  switch (node.op) {
    case 'num':
      return node.value;
    case 'series':
      return series(node.index);
    case 'neg': {
      const v = evaluateFormula(node.arg, series);
      return v === null ? null : -v;
    }
    default: {
      const l = evaluateFormula(node.left, series);
      const r = evaluateFormula(node.right, series);
      if (l === null || r === null) return null;
      if (node.op === '+') return l + r;
      if (node.op === '-') return l - r;
      if (node.op === '*') return l * r;
      return r === 0 ? null : l / r;
    }
  }
}
