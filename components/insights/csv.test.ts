import { describe, expect, it } from 'vitest';
import { exportFileName, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and ends lines with CRLF', () => {
    expect(
      toCsv({
        header: ['bucket', 'signed_up · "pro", yearly'],
        rows: [
          ['2026-05-01', 12],
          ['line\nbreak', null],
        ],
      }),
    ).toBe('bucket,"signed_up · ""pro"", yearly"\r\n2026-05-01,12\r\n"line\nbreak",\r\n');
  });

  it('keeps spreadsheets from running property values as formulas, not negative numbers', () => {
    expect(toCsv({ header: ['v'], rows: [['=HYPERLINK("x")'], [-3], ['-4'], ['@me']] })).toBe(
      'v\r\n"\'=HYPERLINK(""x"")"\r\n-3\r\n-4\r\n\'@me\r\n',
    );
  });

  it('names files after the insight and the day', () => {
    expect(
      exportFileName('Funnel: Signed up → Paid', 'csv', new Date('2026-05-01T10:00:00Z')),
    ).toBe('funnel-signed-up-paid-2026-05-01.csv');
    expect(exportFileName('', 'png', new Date('2026-05-01T10:00:00Z'))).toBe(
      'insight-2026-05-01.png',
    );
  });
});
