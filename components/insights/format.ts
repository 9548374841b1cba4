// Number and duration formatting for insight charts (fixed en-US locale: server render and
// hydration agree).
const COUNT = new Intl.NumberFormat('en-US');
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export const formatCount = (n: number) => COUNT.format(n);
export const formatCompact = (n: number) => COMPACT.format(n);
export const formatPercent = (ratio: number) => PERCENT.format(ratio);

/** A value that may be fractional (formulas): at most 2 decimals. */
export function formatValue(n: number): string {
  return Number.isInteger(n)
    ? COUNT.format(n)
    : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Seconds as "45s", "12m 5s", "3h 20m", "2d 4h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`.replace(/ 0s$/, '');
  if (s < 86_400)
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`.replace(/ 0m$/, '');
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`.replace(/ 0h$/, '');
}

/** A breakdown value as people read it ($other / $none are the server's markers). */
export function breakdownLabel(value: string | null): string {
  if (value === '$other') return 'Other';
  if (value === '$none') return '(not set)';
  return value ?? '';
}
