import { describe, expect, it } from 'vitest';
import { textToValue, valueToText, withOp } from './filter-values';

describe('filter values as typed', () => {
  it('parses lists, numbers for gt/lt, and nothing for is_set', () => {
    expect(textToValue('in', ' pro, team ,,')).toEqual(['pro', 'team']);
    expect(textToValue('gt', '1000')).toBe(1000);
    expect(textToValue('gt', '1.0.0')).toBe('1.0.0');
    expect(textToValue('eq', '42')).toBe('42');
    expect(textToValue('eq', '  ')).toBeUndefined();
    expect(textToValue('is_set', 'x')).toBeUndefined();
    expect(valueToText(['a', 2])).toBe('a, 2');
  });

  it('converts the value when the operator changes', () => {
    const f = { property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' } as const;
    expect(withOp(f, 'in')).toEqual({ ...f, op: 'in', value: ['pro'] });
    expect(withOp(f, 'is_set')).toEqual({ property: f.property, op: 'is_set' });
  });
});
