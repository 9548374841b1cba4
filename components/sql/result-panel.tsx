'use client';
// Below the editor: what the tab's last run gave. Rows stream in (the grid fills while the
// engine still reads), then the result as a table or a chart (the chart's config lives in the
// tab and is saved with the query; "Add to dashboard" puts the saved query on a dashboard), and
// an EXPLAIN's plan as the engine draws it. Idle, running and failed runs say so.
import { useMemo } from 'react';
import { BarChart3, LayoutDashboard, Loader2, Table2, Workflow } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Kbd } from '@/components/ui/kbd';
import { ErrorAlert } from '@/components/query-view';
import { Segmented } from '@/components/insights/controls/segmented';
import type { SqlChartConfig } from '@/server/sql/sql-chart';
import { ResultChart } from './result-chart';
import { suggestChart } from './result-chart-model';
import { ResultsGrid, type SqlResult } from './results-grid';
import type { EditorError } from './sql-editor';
import type { SqlTab } from './sql-tabs';

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: string; started: number; partial?: SqlResult }
  | { status: 'done'; runId: string; result: SqlResult }
  | { status: 'error'; error: EditorError; offset: number };

type View = NonNullable<SqlTab['view']>;
const VIEWS = [
  { value: 'table', label: 'Table', icon: Table2 },
  { value: 'chart', label: 'Chart', icon: BarChart3 },
] as const satisfies readonly { value: View; label: string; icon: unknown }[];

export function ResultPanel({
  run,
  tab,
  onTabChange,
  onAddToDashboard,
}: {
  run: RunState;
  tab: SqlTab;
  onTabChange: (patch: Partial<Pick<SqlTab, 'view' | 'chart'>>) => void;
  /** Puts the tab's saved query (saving it first if need be) on a dashboard. */
  onAddToDashboard: () => void;
}) {
  const shown = run.status === 'done' ? run.result : run.status === 'running' ? run.partial : null;
  const state =
    run.status === 'running'
      ? 'loading'
      : run.status === 'error'
        ? 'error'
        : run.status === 'done'
          ? 'ready'
          : 'idle';
  return (
    <div
      className="min-h-0 overflow-hidden"
      data-loading-state={state}
      data-testid="sql-result-panel"
    >
      {shown && run.status !== 'error' && run.status !== 'idle' ? (
        shown.statementType === 'EXPLAIN' ? (
          <PlanView result={shown} />
        ) : (
          <ResultViews
            key={run.runId}
            result={shown}
            streaming={run.status === 'running'}
            tab={tab}
            onTabChange={onTabChange}
            onAddToDashboard={onAddToDashboard}
          />
        )
      ) : run.status === 'error' ? (
        <div className="p-3" data-testid="sql-error">
          <ErrorAlert message={run.error.message} />
        </div>
      ) : run.status === 'running' ? (
        <div className="grid h-full place-items-center text-sm text-muted-foreground">
          <span className="flex items-center gap-2">
            <Loader2 className="size-4 animate-spin" /> Running the query…
          </span>
        </div>
      ) : (
        <div className="grid h-full place-items-center p-6 text-center text-sm text-muted-foreground">
          <div className="grid gap-1">
            <p>Run a query to see its rows here.</p>
            <p className="text-xs">
              <Kbd>Ctrl/⌘ Enter</Kbd> runs the selection or the whole tab · <Kbd>Shift Alt F</Kbd>{' '}
              formats · <Kbd>Ctrl/⌘ /</Kbd> comments · <Kbd>Ctrl/⌘ F</Kbd> finds ·{' '}
              <code>{'{{ name }}'}</code> adds a parameter
            </p>
          </div>
        </div>
      )}
    </div>
  );
}

function ResultViews({
  result,
  streaming,
  tab,
  onTabChange,
  onAddToDashboard,
}: {
  result: SqlResult;
  streaming: boolean;
  tab: SqlTab;
  onTabChange: (patch: Partial<Pick<SqlTab, 'view' | 'chart'>>) => void;
  onAddToDashboard: () => void;
}) {
  const view: View = tab.view ?? 'table';
  const switcher = (
    <Segmented
      value={view}
      onChange={(v) => onTabChange({ view: v })}
      options={VIEWS}
      label="Show the result as"
      testIdPrefix="sql-view"
    />
  );
  const suggested = useMemo(
    () => (streaming ? null : suggestChart(result.columns, result.rows)),
    [result, streaming],
  );
  if (view === 'table')
    return (
      <ResultsGrid result={result} title={tab.title} streaming={streaming} toolbar={switcher} />
    );
  const config: SqlChartConfig | null = tab.chart ?? suggested;
  return (
    <div className="grid h-full min-h-0 grid-rows-[auto_1fr]">
      <div className="flex flex-wrap items-center gap-3 border-b px-3 py-1.5 text-xs text-muted-foreground">
        {switcher}
        <span>
          {result.rowCount.toLocaleString('en-US')} rows
          {streaming ? ' so far — the chart is drawn when all have arrived' : ''}
        </span>
        <Button
          size="sm"
          variant="outline"
          className="ml-auto h-7"
          onClick={onAddToDashboard}
          disabled={streaming || !config}
          data-testid="sql-add-to-dashboard"
        >
          <LayoutDashboard /> Add to dashboard
        </Button>
      </div>
      <div className="min-h-0 overflow-auto p-3">
        {streaming ? (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2 className="size-4 animate-spin" /> Waiting for the last rows…
          </p>
        ) : (
          <ResultChart
            result={result}
            config={config}
            onConfigChange={(chart) => onTabChange({ chart })}
          />
        )}
      </div>
    </div>
  );
}

/** EXPLAIN / EXPLAIN ANALYZE: DuckDB draws the plan as a box tree; shown as drawn. */
function PlanView({ result }: { result: SqlResult }) {
  const valueAt = Math.max(
    0,
    result.columns.findIndex((c) => c.name === 'explain_value'),
  );
  return (
    <div className="grid h-full min-h-0 grid-rows-[auto_1fr]" data-testid="sql-plan">
      <div className="flex items-center gap-2 border-b px-3 py-1.5 text-xs text-muted-foreground">
        <Workflow className="size-3.5" aria-hidden /> Query plan · {result.durationMs} ms
      </div>
      <div className="min-h-0 overflow-auto p-3">
        {result.rows.map((row, i) => (
          <pre key={i} className="w-max font-mono text-[11px] leading-[1.35]">
            {String(row[valueAt] ?? '')}
          </pre>
        ))}
      </div>
    </div>
  );
}
