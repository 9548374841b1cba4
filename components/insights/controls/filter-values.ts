// Turning what a person types into a filter's value and back. The server compares values as text
// except gt/lt with a number, so a number typed for gt/lt is sent as a number; lists (in /
// not_in) are comma-separated.
import type { PropertyFilter } from '@/server/insights/properties';

export type FilterOp = PropertyFilter['op'];

export const OPS: { value: FilterOp; label: string }[] = [
  { value: 'eq', label: 'equals' },
  { value: 'neq', label: 'does not equal' },
  { value: 'in', label: 'is one of' },
  { value: 'not_in', label: 'is not one of' },
  { value: 'contains', label: 'contains' },
  { value: 'gt', label: 'greater than' },
  { value: 'lt', label: 'less than' },
  { value: 'is_set', label: 'is set' },
  { value: 'is_not_set', label: 'is not set' },
];

export const takesNoValue = (op: FilterOp) => op === 'is_set' || op === 'is_not_set';
export const takesList = (op: FilterOp) => op === 'in' || op === 'not_in';

type Value = PropertyFilter['value'];

/** The text box's content for a value. */
export function valueToText(value: Value): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/** The value for `op` from typed text (undefined when empty, so the query says what is missing). */
export function textToValue(op: FilterOp, text: string): Value {
  if (takesNoValue(op)) return undefined;
  if (takesList(op)) {
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length ? items : undefined;
  }
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if ((op === 'gt' || op === 'lt') && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/** The filter with a new operator, its value converted (or dropped) to fit the operator. */
export function withOp(f: PropertyFilter, op: FilterOp): PropertyFilter {
  const value = textToValue(op, valueToText(f.value));
  return value === undefined ? { property: f.property, op } : { property: f.property, op, value };
}
