// CSV export of a chart's data (RFC 4180: comma-separated, CRLF line ends, fields quoted when
// they hold a comma, quote or line break). A leading "=", "+", "-" or "@" in a text field is
// prefixed with "'" so a spreadsheet does not run a property value as a formula.
export type CsvCell = string | number | boolean | null | undefined;
export type CsvTable = { header: string[]; rows: CsvCell[][] };

function field(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: CsvTable): string {
  return [table.header, ...table.rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A file name from an insight title: "Trends — signed_up" → "trends-signed_up-2026-05-01.csv". */
export function exportFileName(title: string, ext: string, now: Date = new Date()): string {
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'insight';
  return `${slug}-${now.toISOString().slice(0, 10)}.${ext}`;
}
