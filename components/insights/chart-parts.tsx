'use client';
// Pieces every insight chart shares: the series palette (CSS variables from app/globals.css, so
// charts follow the theme and PNG export captures the resolved colours), axis styling, a tooltip
// that uses the popover surface, and a legend whose entries hide and show series.
import * as React from 'react';
import type { TooltipContentProps } from 'recharts';
import { cn } from '@/lib/utils';

export const SERIES_COLORS = [
  'var(--chart-1)',
  'var(--chart-2)',
  'var(--chart-3)',
  'var(--chart-4)',
  'var(--chart-5)',
  'oklch(0.66 0.2 330)',
  'oklch(0.68 0.15 135)',
  'oklch(0.62 0.19 300)',
  'oklch(0.72 0.12 205)',
  'oklch(0.7 0.16 45)',
];
/** Colour of "Other" (the rest of a breakdown). */
export const OTHER_COLOR = 'var(--muted-foreground)';

export const colorAt = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length]!;

export const AXIS_TICK = { fontSize: 11, fill: 'var(--muted-foreground)' } as const;
export const GRID_STROKE = 'var(--border)';
export const CURSOR_FILL = { fill: 'var(--muted)', opacity: 0.5 } as const;

export interface TooltipRow {
  key: string;
  label: string;
  color: string;
  value: string;
  /** A second, dimmer value (e.g. the previous period, or a conversion %). */
  detail?: string;
}

/** The tooltip surface; `rows` are sorted by the caller. */
export function TooltipCard({ title, rows }: { title: React.ReactNode; rows: TooltipRow[] }) {
  return (
    <div
      className="min-w-44 rounded-md border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md"
      data-testid="chart-tooltip"
    >
      <div className="mb-1.5 font-medium">{title}</div>
      <div className="grid gap-1">
        {rows.slice(0, 12).map((r) => (
          <div key={r.key} className="flex items-center gap-2">
            <span className="size-2 shrink-0 rounded-full" style={{ background: r.color }} />
            <span className="min-w-0 flex-1 truncate text-muted-foreground">{r.label}</span>
            <span className="font-medium tabular-nums">{r.value}</span>
            {r.detail ? (
              <span className="text-muted-foreground tabular-nums">{r.detail}</span>
            ) : null}
          </div>
        ))}
        {rows.length > 12 ? (
          <div className="text-muted-foreground">and {rows.length - 12} more…</div>
        ) : null}
      </div>
    </div>
  );
}

/** Recharts' tooltip props, loosely: what our `content` renderers read. */
export type ChartTooltipProps = Pick<
  TooltipContentProps<number, string>,
  'active' | 'payload' | 'label'
>;

export interface LegendItem {
  key: string;
  label: string;
  color: string;
  /** e.g. the series' total. */
  value?: string;
  /** A dashed swatch (previous period). */
  dashed?: boolean;
}

/** Clickable legend: an entry hides or shows its series; all hidden is not allowed. */
export function ChartLegend({
  items,
  hidden,
  onToggle,
}: {
  items: LegendItem[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul
      className="flex max-h-24 flex-wrap gap-x-4 gap-y-1 overflow-y-auto px-1 text-xs"
      data-testid="chart-legend"
    >
      {items.map((it) => {
        const off = hidden.has(it.key);
        return (
          <li key={it.key}>
            <button
              type="button"
              className={cn(
                'flex cursor-pointer items-center gap-1.5 rounded-sm outline-none focus-visible:ring-2 focus-visible:ring-ring/50',
                off && 'opacity-40',
              )}
              aria-pressed={!off}
              title={off ? 'Show this series' : 'Hide this series'}
              onClick={() => onToggle(it.key)}
            >
              <span
                className={cn(
                  'h-0.5 w-3 shrink-0 rounded-full',
                  it.dashed && 'border-t-2 border-dashed bg-transparent',
                )}
                style={
                  it.dashed
                    ? { borderColor: it.color }
                    : { background: it.color, height: 8, width: 8 }
                }
              />
              <span className="max-w-56 truncate text-muted-foreground">{it.label}</span>
              {it.value ? <span className="font-medium tabular-nums">{it.value}</span> : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Hidden legend keys, reset when the set of keys changes (a new query). */
export function useHiddenSeries(keys: readonly string[]) {
  const signature = keys.join('\u0000');
  const [state, setState] = React.useState<{ signature: string; hidden: Set<string> }>({
    signature,
    hidden: new Set(),
  });
  const hidden = state.signature === signature ? state.hidden : new Set<string>();
  const toggle = (key: string) => {
    const next = new Set(hidden);
    if (next.has(key)) next.delete(key);
    else if (next.size < keys.length - 1) next.add(key);
    setState({ signature, hidden: next });
  };
  return { hidden, toggle };
}
