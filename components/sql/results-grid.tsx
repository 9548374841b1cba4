'use client';
// A run's result: a virtualised grid (only the rows in view are in the DOM, so 100,000 rows
// scroll smoothly), sort by a column header, resize columns by dragging their edge, copy a
// cell by clicking it; above it the row count, duration, the row-cap notice, and CSV export.
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, Download, Loader2 } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { exportFileName, toCsv, type CsvCell } from '@/components/insights/csv';

export interface SqlResult {
  columns: { name: string; type: string; engineType: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
  statementType: string;
}

const ROW_HEIGHT = 28;
const MIN_WIDTH = 60;

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Numbers before text, nulls last; numbers by value, everything else by its text. */
export function compareCells(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true });
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function ResultsGrid({
  result,
  title,
  streaming = false,
  toolbar,
}: {
  result: SqlResult;
  title: string;
  /** Rows are still arriving (the count says "so far"). */
  streaming?: boolean;
  /** Controls shown at the start of the header (the result's view switcher). */
  toolbar?: React.ReactNode;
}) {
  const [sort, setSort] = useState<{ col: number; desc: boolean } | undefined>();
  const [widths, setWidths] = useState<number[]>(() =>
    result.columns.map((c) => Math.min(320, Math.max(100, c.name.length * 9 + 32))),
  );
  const rows = useMemo(() => {
    if (!sort) return result.rows;
    const sorted = [...result.rows].sort((a, b) => compareCells(a[sort.col], b[sort.col]));
    return sort.desc ? sorted.reverse() : sorted;
  }, [result.rows, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  // TanStack Virtual's API cannot be memoised by the React Compiler, which skips this component;
  // it re-renders on scroll by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const total = widths.reduce((s, w) => s + w, 0);
  const template = widths.map((w) => `${w}px`).join(' ');

  const startResize = (col: number, event: React.PointerEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const start = widths[col]!;
    const move = (e: PointerEvent) =>
      setWidths((ws) =>
        ws.map((w, i) => (i === col ? Math.max(MIN_WIDTH, start + e.clientX - startX) : w)),
      );
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const exportCsv = () =>
    download(
      exportFileName(title, 'csv'),
      toCsv({
        header: result.columns.map((c) => c.name),
        rows: rows.map((r) =>
          r.map((v): CsvCell =>
            v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as CsvCell),
          ),
        ),
      }),
    );

  return (
    <div className="grid h-full min-h-0 grid-rows-[auto_1fr]" data-testid="sql-result">
      <div className="flex flex-wrap items-center gap-3 border-b px-3 py-1.5 text-xs text-muted-foreground">
        {toolbar}
        <span data-testid="sql-result-count" data-streaming={streaming}>
          {result.rowCount.toLocaleString('en-US')} {result.rowCount === 1 ? 'row' : 'rows'}
          {streaming ? ' so far' : ''}
        </span>
        {streaming ? (
          <span className="flex items-center gap-1" data-testid="sql-result-streaming">
            <Loader2 className="size-3 animate-spin" aria-hidden /> more rows arriving…
          </span>
        ) : (
          <span>{result.durationMs.toLocaleString('en-US')} ms</span>
        )}
        {result.truncated ? (
          <span
            className="rounded bg-amber-500/15 px-1.5 py-0.5 text-amber-700 dark:text-amber-300"
            data-testid="sql-result-truncated"
          >
            Showing the first {result.rowCount.toLocaleString('en-US')} rows: the row cap stopped
            the query. Add a LIMIT or aggregate to see the rest.
          </span>
        ) : null}
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto h-7"
          onClick={exportCsv}
          disabled={result.columns.length === 0}
        >
          <Download /> CSV
        </Button>
      </div>
      <div
        ref={scroller}
        className="min-h-0 overflow-auto font-mono text-xs"
        data-testid="sql-grid"
      >
        <div style={{ width: total }} className="min-w-full">
          <div
            role="row"
            className="sticky top-0 z-10 grid border-b bg-muted font-sans font-medium"
            style={{ gridTemplateColumns: template }}
          >
            {result.columns.map((c, i) => (
              <button
                key={i}
                type="button"
                role="columnheader"
                title={`${c.name} · ${c.engineType} (click to sort)`}
                className="relative flex h-8 items-center gap-1 truncate border-r px-2 text-left hover:bg-accent"
                onClick={() =>
                  setSort((s) =>
                    s?.col !== i
                      ? { col: i, desc: false }
                      : s.desc
                        ? undefined
                        : { col: i, desc: true },
                  )
                }
              >
                <span className="truncate">{c.name}</span>
                <span className="shrink-0 text-[10px] font-normal text-muted-foreground">
                  {c.type}
                </span>
                {sort?.col === i ? (
                  sort.desc ? (
                    <ArrowDown className="size-3 shrink-0" />
                  ) : (
                    <ArrowUp className="size-3 shrink-0" />
                  )
                ) : null}
                <span
                  aria-hidden
                  onPointerDown={(e) => startResize(i, e)}
                  onClick={(e) => e.stopPropagation()}
                  className="absolute top-0 right-0 h-full w-1.5 cursor-col-resize hover:bg-primary/40"
                />
              </button>
            ))}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <div
                  key={item.key}
                  role="row"
                  className="absolute left-0 grid w-full border-b odd:bg-muted/30"
                  style={{
                    transform: `translateY(${item.start}px)`,
                    height: ROW_HEIGHT,
                    gridTemplateColumns: template,
                  }}
                >
                  {row.map((v, i) => (
                    <button
                      key={i}
                      type="button"
                      role="cell"
                      title="Click to copy"
                      className={`truncate border-r px-2 text-left hover:bg-accent ${v === null ? 'text-muted-foreground italic' : typeof v === 'number' ? 'text-right tabular-nums' : ''}`}
                      onClick={() => {
                        void navigator.clipboard?.writeText(v === null ? '' : cellText(v));
                        toast.success('Copied');
                      }}
                    >
                      {cellText(v)}
                    </button>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
        {rows.length === 0 && !streaming ? (
          <p className="p-4 font-sans text-sm text-muted-foreground" data-testid="sql-result-empty">
            The query returned no rows.
          </p>
        ) : null}
      </div>
    </div>
  );
}
