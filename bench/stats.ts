/** The middle value of a non-empty list (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (!values.length) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The label of a run not at the 10M events the targets are set for, e.g. "100m". */
export function sizeLabel(events: number): string | undefined {
  if (events === 10_000_000) return undefined;
  return events % 1_000_000 === 0 ? `${events / 1_000_000}m` : `${events}`;
}

/** `<YYYY-MM-DD>-<name>[-<label>].json`, under bench/results/. */
export function resultFileName(date: string, name: string, label?: string): string {
  return `${date}-${name}${label ? `-${label}` : ''}.json`;
}
