'use client';
// Below the editor: what the tab's last run gave. Rows stream in (the grid fills while the
// engine still reads), then the result as a table or a chart (the chart's config lives in the
// tab and is saved with the query; "Add to dashboard" puts the saved query on a dashboard), and
// an EXPLAIN's plan as the engine draws it. Idle, running and failed runs say so.
import { useMemo, useState } from 'react';
import {
  BarChart3,
  CheckCircle2,
  CircleDashed,
  LayoutDashboard,
  Loader2,
  Table2,
  Workflow,
  XCircle,
} from 'lucide-react';
import { toast } from 'sonner';
import { cn } from '@/lib/utils';
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

/** One statement of a script run (server/sql/sql-service.ts ScriptStatement). */
export interface ScriptStatementView {
  index: number;
  offset: number;
  sql: string;
  status: 'succeeded' | 'failed' | 'skipped';
  result?: SqlResult;
  error?: { message: string; position?: number };
}

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: string; started: number; partial?: SqlResult }
  | { status: 'done'; runId: string; result: SqlResult }
  | { status: 'script'; runId: string; statements: ScriptStatementView[] }
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
  if (run.status === 'script')
    return <ScriptResults key={run.runId} run={run} tab={tab} onTabChange={onTabChange} />;
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
          <ErrorAlert message={run.error.message} className="whitespace-pre-line" />
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
              <Kbd>Ctrl/⌘ Enter</Kbd> runs the selection or the whole tab ·{' '}
              <Kbd>Shift Ctrl/⌘ Enter</Kbd> runs every statement in turn · <Kbd>Shift Alt F</Kbd>{' '}
              formats · <Kbd>Ctrl/⌘ /</Kbd> comments · <Kbd>Ctrl/⌘ F</Kbd> finds ·{' '}
              <code>{'{{ name }}'}</code> adds a parameter
            </p>
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * A script's statements as chips (how each went), and the picked one's result or error; the
 * failed statement is picked first, else the last that ran.
 */
function ScriptResults({
  run,
  tab,
  onTabChange,
}: {
  run: Extract<RunState, { status: 'script' }>;
  tab: SqlTab;
  onTabChange: (patch: Partial<Pick<SqlTab, 'view' | 'chart'>>) => void;
}) {
  const failed = run.statements.find((s) => s.status === 'failed');
  const lastRan = run.statements.findLast((s) => s.status === 'succeeded');
  const [picked, setPicked] = useState((failed ?? lastRan ?? run.statements[0])?.index ?? 0);
  const statement = run.statements[picked];
  return (
    <div
      className="grid min-h-0 grid-rows-[auto_1fr] overflow-hidden"
      data-loading-state={failed ? 'error' : 'ready'}
      data-testid="sql-result-panel"
    >
      <div
        className="flex flex-wrap items-center gap-1 border-b px-3 py-1.5 text-xs"
        role="tablist"
        aria-label="Statements of the script"
        data-testid="sql-script-statements"
      >
        {run.statements.map((s) => (
          <button
            key={s.index}
            type="button"
            role="tab"
            aria-selected={s.index === picked}
            onClick={() => setPicked(s.index)}
            title={s.sql}
            data-status={s.status}
            data-testid="sql-script-statement"
            className={cn(
              'flex items-center gap-1 rounded-md border px-2 py-0.5',
              s.index === picked ? 'bg-accent font-medium' : 'text-muted-foreground',
            )}
          >
            {s.status === 'succeeded' ? (
              <CheckCircle2 className="size-3 text-emerald-600 dark:text-emerald-400" />
            ) : s.status === 'failed' ? (
              <XCircle className="size-3 text-destructive" />
            ) : (
              <CircleDashed className="size-3" />
            )}
            <span className="font-medium">{s.index + 1}.</span>
            <span className="max-w-40 truncate">
              {s.status === 'succeeded'
                ? `${s.result?.rowCount.toLocaleString('en-US')} ${s.result?.rowCount === 1 ? 'row' : 'rows'}`
                : s.status === 'failed'
                  ? 'failed'
                  : 'skipped'}
            </span>
          </button>
        ))}
      </div>
      <div className="min-h-0 overflow-hidden">
        {statement?.result ? (
          statement.result.statementType === 'EXPLAIN' ? (
            <PlanView result={statement.result} />
          ) : (
            <ResultViews
              key={statement.index}
              result={statement.result}
              streaming={false}
              tab={tab}
              onTabChange={onTabChange}
              onAddToDashboard={() =>
                toast.error(
                  'A dashboard tile runs one statement: open this statement in a tab of its own, save it, and add that.',
                )
              }
            />
          )
        ) : statement?.error ? (
          <div className="p-3" data-testid="sql-error">
            <ErrorAlert
              message={`Statement ${statement.index + 1}: ${statement.error.message}`}
              className="whitespace-pre-line"
            />
          </div>
        ) : (
          <p className="p-4 text-sm text-muted-foreground">
            Not run: an earlier statement failed or the script was cancelled.
          </p>
        )}
      </div>
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
