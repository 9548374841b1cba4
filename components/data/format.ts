// Number and time formatting for the Data views. A fixed locale keeps the server render and the
// browser's hydration identical.
const NUMBER = new Intl.NumberFormat('en-US');
const RELATIVE = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const ABSOLUTE = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  return NUMBER.format(value);
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "yesterday", "in 2 hours" (client clocks run ahead); under a minute: "just now". */
export function formatRelative(value: Date | string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  for (const [unit, size] of STEPS) {
    if (abs >= size) return RELATIVE.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** "Nov 1, 2026, 10:00 AM UTC". */
export function formatAbsolute(value: Date | string): string {
  return `${ABSOLUTE.format(new Date(value))} UTC`;
}

/** An example value as JSON, so "3" (a string) and 3 (a number) look different. */
export function formatExample(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
