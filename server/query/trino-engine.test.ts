import { describe, expect, it } from 'vitest';
import { boundStatement, trinoColumnType, trinoLiteral } from './trino-engine';

describe('trinoLiteral', () => {
  // Values reach Trino as typed literals in EXECUTE IMMEDIATE … USING, never inside the query
  // text; a quote in a string must stay data.
  it('writes each value as a typed literal', () => {
    expect(trinoLiteral("it's")).toBe("'it''s'");
    expect(trinoLiteral(42)).toBe("BIGINT '42'");
    expect(trinoLiteral(0.5)).toBe("DOUBLE '0.5'");
    expect(trinoLiteral(10n)).toBe("BIGINT '10'");
    expect(trinoLiteral(true)).toBe('true');
    expect(trinoLiteral(null)).toBe('NULL');
    expect(trinoLiteral(new Date(Date.UTC(2026, 9, 1)))).toBe(
      "from_iso8601_timestamp('2026-10-01T00:00:00.000Z')",
    );
    expect(trinoLiteral(['a', 1])).toBe("ARRAY['a', BIGINT '1']");
  });

  it('refuses values it cannot bind', () => {
    expect(() => trinoLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => trinoLiteral({ a: 1 })).toThrow(/cannot be bound/);
  });
});

describe('boundStatement', () => {
  it('wraps a query with parameters in EXECUTE IMMEDIATE, quoting the query once', () => {
    expect(boundStatement("select ? where x = 'a'", ['b'])).toBe(
      "EXECUTE IMMEDIATE 'select ? where x = ''a''' USING 'b'",
    );
    expect(boundStatement('select 1', undefined)).toBe('select 1');
    expect(boundStatement('select 1', [])).toBe('select 1');
  });

  // Named parameters are DuckDB's; silently ignoring them would run a different query.
  it('refuses named parameters', () => {
    expect(() => boundStatement('select $a', { a: 1 })).toThrow(/positional/);
  });
});

describe('trinoColumnType', () => {
  it('maps Trino type names onto the portable types', () => {
    expect(trinoColumnType('varchar')).toBe('string');
    expect(trinoColumnType('varchar(20)')).toBe('string');
    expect(trinoColumnType('bigint')).toBe('integer');
    expect(trinoColumnType('double')).toBe('float');
    expect(trinoColumnType('decimal(18,3)')).toBe('decimal');
    expect(trinoColumnType('timestamp(3) with time zone')).toBe('timestamp');
    expect(trinoColumnType('time(3)')).toBe('time');
    expect(trinoColumnType('array(varchar)')).toBe('list');
    expect(trinoColumnType('map(varchar, varchar)')).toBe('struct');
    expect(trinoColumnType('ipaddress')).toBe('other');
  });
});
