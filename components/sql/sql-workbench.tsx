'use client';
// The SQL editor page for analysts: tabs that survive a reload, the editor, run / cancel /
// explain / format, the result grid, and a side panel with the schema, the user's history and
// the workspace's saved queries. `?sql=` (from an insight's "Open in SQL editor") opens the
// text in a new tab; `?saved=<id>` opens a saved query.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { format as formatSql } from 'sql-formatter';
import {
  AlignLeft,
  History,
  ListOrdered,
  Loader2,
  Play,
  Plus,
  Save,
  Search,
  Square,
  Star,
  Table2,
  Workflow,
  X,
} from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Kbd } from '@/components/ui/kbd';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { ErrorAlert } from '@/components/query-view';
import type { SqlResult } from './results-grid';
import { AddToDashboardDialog } from './add-to-dashboard-dialog';
import { usePersistTabs } from './use-persist-tabs';
import { declarationsOf, ParamsBar, rangeOf, tagsOf } from './params-bar';
import { ResultPanel, type RunState } from './result-panel';
import { SchemaBrowser } from './schema-browser';
import { SqlEditor, type EditorError } from './sql-editor';
import { SaveQueryDialog } from './save-query-dialog';
import {
  closeTab,
  initialTabs,
  newTab,
  nextTabNumber,
  openTab,
  parseTabs,
  storageKey,
  updateTab,
  type SqlTab,
  type SqlTabs,
} from './sql-tabs';
import { suggestChart } from './result-chart-model';
import type { SqlChartConfig } from '@/server/sql/sql-chart';

function errorOf(error: unknown): EditorError {
  const e = error as { message?: string; data?: { details?: { position?: number } } };
  const position = e.data?.details?.position;
  return {
    message: e.message ?? 'The query failed.',
    ...(typeof position === 'number' ? { position } : {}),
  };
}

export function SqlWorkbench({ workspaceSlug }: { workspaceSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const editor = useRef<ReactCodeMirrorRef>(null);

  const [state, setState] = useState<SqlTabs>(initialTabs);
  const [loaded, setLoaded] = useState(false);
  const [runs, setRuns] = useState<Record<string, RunState>>({});
  const [panel, setPanel] = useState('schema');
  const [historySearch, setHistorySearch] = useState('');
  const [saving, setSaving] = useState<false | 'save' | 'then-dashboard'>(false);
  const [addingTo, setAddingTo] = useState<{ id: string; name: string } | undefined>();

  // Restore the tabs, then apply ?sql= / ?saved= once.
  useEffect(() => {
    let next = parseTabs(localStorage.getItem(storageKey(workspaceSlug))) ?? initialTabs();
    const text = params.get('sql');
    if (text) next = openTab(next, newTab(nextTabNumber(next), text));
    // After mount, not in useState's initialiser: localStorage does not exist on the server,
    // and the first client render must match the server's HTML.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setState(next);
    setLoaded(true);
    if (text) router.replace(pathname, { scroll: false });
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  usePersistTabs(storageKey(workspaceSlug), state, loaded);

  const schema = useQuery(trpc.sql.schema.queryOptions(undefined, { staleTime: 60_000 }));
  const history = useQuery(
    trpc.sql.history.queryOptions({ search: historySearch.trim() || undefined, limit: 50 }),
  );
  const saved = useQuery(trpc.sql.saved.list.queryOptions());
  const savedId = params.get('saved');
  const savedQuery = useQuery(
    trpc.sql.saved.get.queryOptions({ id: savedId ?? '' }, { enabled: Boolean(savedId) }),
  );
  useEffect(() => {
    if (!savedQuery.data || !loaded) return;
    const q = savedQuery.data;
    // The saved query arrives from the server (?saved=<id>); it opens in a tab once.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setState((s) => {
      const existing = s.tabs.find((t) => t.savedQueryId === q.id);
      return existing
        ? { ...s, active: existing.id }
        : openTab(s, { ...newTab(nextTabNumber(s), q.sql, q.name), savedQueryId: q.id });
    });
    router.replace(pathname, { scroll: false });
  }, [savedQuery.data, loaded, router, pathname]);

  const tab = state.tabs.find((t) => t.id === state.active) ?? state.tabs[0]!;
  const run = runs[tab.id] ?? { status: 'idle' };
  // The tab's template tags: scanned once per text change (the parameters bar and saving).
  const tags = useMemo(() => tagsOf(tab.sql), [tab.sql]);
  const runMutation = useMutation(trpc.sql.run.mutationOptions());
  const cancelMutation = useMutation(trpc.sql.cancel.mutationOptions());

  const { id: tabId, savedQueryId, values, paramTypes, range } = tab;
  const execute = useCallback(
    async (text: string, offset: number, explain?: 'plan' | 'analyze') => {
      if (!text.trim()) {
        toast.error('Write a query first.');
        return;
      }
      // Not `tab` itself: it changes on every keystroke, and so would the editor's keymap.
      const current = { id: tabId, title: '', sql: text, values, paramTypes, range };
      const runId = crypto.randomUUID();
      const started = Date.now();
      const set = (run: RunState) => setRuns((r) => ({ ...r, [tabId]: run }));
      set({ status: 'running', runId, started });
      try {
        const stream = await runMutation.mutateAsync({
          sql: text,
          runId,
          explain,
          savedQueryId,
          values: current.values,
          declared: declarationsOf(current, tagsOf(text).params),
          range: rangeOf(current),
        });
        // Rows stream in: the grid shows each batch as it arrives.
        let result: SqlResult | undefined;
        for await (const event of stream) {
          if (event.type === 'columns') {
            result = {
              columns: event.columns,
              rows: [],
              rowCount: 0,
              truncated: false,
              durationMs: 0,
              statementType: event.statementType,
            };
          } else if (event.type === 'rows' && result) {
            const rows = result.rows.concat(JSON.parse(event.rowsJson) as unknown[][]);
            result = { ...result, rows, rowCount: rows.length };
          } else if (event.type === 'end' && result) {
            result = { ...result, truncated: event.truncated, durationMs: event.durationMs };
            set({ status: 'done', runId, result });
            return;
          }
          if (result) set({ status: 'running', runId, started, partial: result });
        }
        throw new Error('The result stream ended early; run the query again.');
      } catch (error) {
        set({ status: 'error', error: errorOf(error), offset });
      } finally {
        void queryClient.invalidateQueries({ queryKey: trpc.sql.history.pathKey() });
      }
    },
    [tabId, savedQueryId, values, paramTypes, range, runMutation, queryClient, trpc],
  );
  const scriptMutation = useMutation(trpc.sql.runScript.mutationOptions());
  /** Script mode: every statement of the tab in turn; the result panel lists them. */
  const executeScript = useCallback(async () => {
    const text = editor.current?.view?.state.doc.toString() ?? '';
    if (!text.trim()) {
      toast.error('Write a query first.');
      return;
    }
    const runId = crypto.randomUUID();
    const set = (next: RunState) => setRuns((r) => ({ ...r, [tabId]: next }));
    set({ status: 'running', runId, started: Date.now() });
    try {
      const current = { id: tabId, title: '', sql: text, values, paramTypes, range };
      const { statements } = await scriptMutation.mutateAsync({
        sql: text,
        runId,
        savedQueryId,
        values,
        declared: declarationsOf(current, tagsOf(text).params),
        range: rangeOf(current),
      });
      set({
        status: 'script',
        runId,
        statements: statements.map(({ result, ...s }) => ({
          ...s,
          ...(result && {
            result: { ...result, rows: JSON.parse(result.rowsJson) as unknown[][] },
          }),
        })),
      });
    } catch (error) {
      set({ status: 'error', error: errorOf(error), offset: 0 });
    } finally {
      void queryClient.invalidateQueries({ queryKey: trpc.sql.history.pathKey() });
    }
  }, [tabId, savedQueryId, values, paramTypes, range, scriptMutation, queryClient, trpc]);
  const onRunScript = useCallback(() => void executeScript(), [executeScript]);
  // A tab opened to be run (a table's preview) runs once it is the active tab: `execute` is
  // bound to the active tab, so it is called on the render that made the new tab active.
  const [runOnOpen, setRunOnOpen] = useState<string | undefined>();
  useEffect(() => {
    if (runOnOpen === undefined || runOnOpen !== tabId) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRunOnOpen(undefined);
    void execute(tab.sql, 0);
  }, [runOnOpen, tabId, tab.sql, execute]);
  const onRun = useCallback(
    (text: string, offset: number) => void execute(text, offset),
    [execute],
  );
  const runCurrent = (explain?: 'plan' | 'analyze') => {
    const view = editor.current?.view;
    const range = view?.state.selection.main;
    if (view && range && !range.empty)
      void execute(view.state.sliceDoc(range.from, range.to), range.from, explain);
    else void execute(liveSql(), 0, explain);
  };
  /**
   * The tab's text as it is in the editor now: the editor tells the tab of changes a moment
   * after typing stops (SqlEditor), so reads that act at once take it from the view.
   */
  const liveSql = () => editor.current?.view?.state.doc.toString() ?? tab.sql;
  const updateSaved = useMutation(trpc.sql.saved.update.mutationOptions());
  /**
   * The chart goes on a dashboard as its saved query: a new query is saved first (shared); a
   * saved one is updated with the current text, parameters and chart, so the tile shows what
   * the analyst sees.
   */
  const addToDashboard = async () => {
    if (!tab.savedQueryId) {
      setSaving('then-dashboard');
      return;
    }
    try {
      const sql = liveSql();
      const q = await updateSaved.mutateAsync({
        id: tab.savedQueryId,
        sql,
        params: declarationsOf(tab, tagsOf(sql).params),
        chart: chartOf(tab, run),
        shared: true,
      });
      void queryClient.invalidateQueries({ queryKey: trpc.sql.saved.pathKey() });
      setAddingTo(q);
    } catch (error) {
      toast.error((error as Error).message);
    }
  };
  const cancel = () => {
    if (run.status === 'running') cancelMutation.mutate({ runId: run.runId });
  };
  const format = useCallback(() => {
    // On the view: the editor owns its text after mount (its change reaches the tab).
    const view = editor.current?.view;
    if (!view) return;
    try {
      const text = view.state.doc.toString();
      const formatted = formatSql(text, { language: 'duckdb', keywordCase: 'lower' });
      if (formatted !== text)
        view.dispatch({ changes: { from: 0, to: text.length, insert: formatted } });
    } catch (error) {
      toast.error(`Could not format: ${(error as Error).message.split('\n')[0]}`);
    }
  }, []);
  const insert = (text: string) => {
    const view = editor.current?.view;
    if (!view) return;
    const { from, to } = view.state.selection.main;
    view.dispatch({
      changes: { from, to, insert: text },
      selection: { anchor: from + text.length },
    });
    view.focus();
  };
  const open = (sql: string, title?: string, savedQueryId?: string, runNow = false) => {
    const opened = {
      ...newTab(nextTabNumber(state), sql, title),
      ...(savedQueryId ? { savedQueryId } : {}),
    };
    setState((s) => openTab(s, opened));
    if (runNow) setRunOnOpen(opened.id);
  };

  const elapsed = useElapsed(run.status === 'running' ? run.started : undefined);

  return (
    <div
      className="grid h-[calc(100vh-3.5rem)] min-h-[560px] grid-cols-[minmax(0,1fr)_300px] overflow-hidden"
      data-testid="sql-workbench"
    >
      <div className="grid min-h-0 min-w-0 grid-cols-[minmax(0,1fr)] grid-rows-[auto_auto_auto_minmax(160px,45%)_1fr] border-r">
        {/* Tabs */}
        <div
          className="flex items-center gap-1 overflow-x-auto border-b px-2 pt-2"
          role="tablist"
          aria-label="Query tabs"
        >
          {state.tabs.map((t) => (
            <div
              key={t.id}
              className={`group flex items-center gap-1 rounded-t-md border border-b-0 px-2 py-1 text-xs ${t.id === state.active ? 'bg-background font-medium' : 'bg-muted/50 text-muted-foreground'}`}
            >
              <button
                type="button"
                role="tab"
                aria-selected={t.id === state.active}
                onClick={() => setState((s) => ({ ...s, active: t.id }))}
                className="max-w-40 truncate"
                data-testid="sql-tab"
              >
                {t.savedQueryId ? <Star className="mr-1 inline size-3" /> : null}
                {t.title}
              </button>
              <button
                type="button"
                aria-label={`Close ${t.title}`}
                className="opacity-50 hover:opacity-100"
                onClick={() => setState((s) => closeTab(s, t.id))}
              >
                <X className="size-3" />
              </button>
            </div>
          ))}
          <Button
            variant="ghost"
            size="icon"
            className="size-6"
            aria-label="New tab"
            onClick={() => open('')}
            data-testid="sql-new-tab"
          >
            <Plus className="size-3.5" />
          </Button>
        </div>
        {/* Toolbar */}
        <div className="flex flex-wrap items-center gap-2 border-b px-3 py-2">
          {run.status === 'running' ? (
            <Button size="sm" variant="destructive" onClick={cancel} data-testid="sql-cancel">
              <Square /> Cancel
            </Button>
          ) : (
            <Button size="sm" onClick={() => runCurrent()} data-testid="sql-run">
              <Play /> Run <Kbd className="ml-1">⌘↵</Kbd>
            </Button>
          )}
          <Button
            size="sm"
            variant="outline"
            onClick={onRunScript}
            disabled={run.status === 'running'}
            title="Run every statement in turn (Shift+Ctrl/⌘+Enter)"
            data-testid="sql-run-script"
          >
            <ListOrdered /> Run script
          </Button>
          <Button
            size="sm"
            variant="outline"
            onClick={() => runCurrent('plan')}
            disabled={run.status === 'running'}
            data-testid="sql-explain"
          >
            <Workflow /> Explain
          </Button>
          <Button
            size="sm"
            variant="outline"
            onClick={() => runCurrent('analyze')}
            disabled={run.status === 'running'}
          >
            Explain analyze
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={format}
            title="Format (Shift+Alt+F)"
            data-testid="sql-format"
          >
            <AlignLeft /> Format
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setSaving('save')}
            data-testid="sql-save"
          >
            <Save /> {tab.savedQueryId ? 'Save' : 'Save as…'}
          </Button>
          {run.status === 'running' ? (
            <span
              className="ml-auto flex items-center gap-1.5 text-xs text-muted-foreground"
              data-loading-state="loading"
            >
              <Loader2 className="size-3.5 animate-spin" /> Running… {(elapsed / 1000).toFixed(1)} s
            </span>
          ) : null}
        </div>
        {/* Always a row of the grid (empty without tags), so the editor keeps its row. */}
        <div>
          <ParamsBar
            tab={tab}
            tags={tags}
            onChange={(patch) => setState((s) => updateTab(s, tab.id, patch))}
          />
        </div>
        {/* Editor */}
        <div className="min-h-0 border-b">
          <SqlEditor
            key={tab.id}
            editorRef={editor}
            value={tab.sql}
            onChange={(sql) => setState((s) => updateTab(s, tab.id, { sql }))}
            onRun={onRun}
            onRunScript={onRunScript}
            onFormat={format}
            schema={schema.data}
            error={editorError(run)}
            errorOffset={run.status === 'error' ? run.offset : 0}
          />
        </div>
        {/* Result */}
        <ResultPanel
          run={run}
          tab={tab}
          onTabChange={(patch) => setState((s) => updateTab(s, tab.id, patch))}
          onAddToDashboard={() => void addToDashboard()}
        />
      </div>
      {/* Side panel */}
      <Tabs
        value={panel}
        onValueChange={setPanel}
        className="grid min-h-0 grid-rows-[auto_1fr] gap-0"
      >
        <TabsList className="m-2 w-auto">
          <TabsTrigger value="schema" data-testid="sql-panel-schema">
            <Table2 /> Schema
          </TabsTrigger>
          <TabsTrigger value="history" data-testid="sql-panel-history">
            <History /> History
          </TabsTrigger>
          <TabsTrigger value="saved" data-testid="sql-panel-saved">
            <Star /> Saved
          </TabsTrigger>
        </TabsList>
        <TabsContent value="schema" className="min-h-0">
          {schema.isPending ? (
            <p className="p-3 text-xs text-muted-foreground" data-loading-state="loading">
              Loading the schema…
            </p>
          ) : schema.isError ? (
            <ErrorAlert className="m-2" message={schema.error.message} />
          ) : (
            <SchemaBrowser
              tables={schema.data.tables}
              built={schema.data.built}
              onInsert={insert}
              onPreview={(table) =>
                open(`select *\nfrom ${table}\nlimit 100`, table, undefined, true)
              }
            />
          )}
        </TabsContent>
        <TabsContent value="history" className="grid min-h-0 grid-rows-[auto_1fr]">
          <div className="relative border-b p-2">
            <Search className="pointer-events-none absolute top-1/2 left-4 size-3.5 -translate-y-1/2 text-muted-foreground" />
            <Input
              value={historySearch}
              onChange={(e) => setHistorySearch(e.target.value)}
              placeholder="Search your queries"
              className="h-8 pl-7 text-xs"
              aria-label="Search history"
            />
          </div>
          <ul className="min-h-0 overflow-auto text-xs" data-testid="sql-history">
            {(history.data ?? []).map((h) => (
              <li key={h.id} className="group relative border-b">
                <button
                  type="button"
                  aria-label="Run again in a new tab"
                  title="Run again in a new tab"
                  data-testid="sql-history-rerun"
                  className="absolute top-1.5 right-2 rounded p-1 text-muted-foreground opacity-0 group-hover:opacity-100 hover:bg-background hover:text-foreground focus-visible:opacity-100"
                  onClick={() =>
                    open(h.sql.replace(/^EXPLAIN (ANALYZE )?/, ''), undefined, undefined, true)
                  }
                >
                  <Play className="size-3.5" />
                </button>
                <button
                  type="button"
                  className="grid w-full gap-1 py-2 pr-8 pl-3 text-left hover:bg-accent"
                  onClick={() => open(h.sql.replace(/^EXPLAIN (ANALYZE )?/, ''))}
                  title="Open in a new tab"
                >
                  <span className="line-clamp-2 font-mono">{h.sql}</span>
                  <span className="flex gap-2 text-[10px] text-muted-foreground">
                    <span
                      className={
                        h.status === 'succeeded'
                          ? 'text-emerald-600 dark:text-emerald-400'
                          : 'text-destructive'
                      }
                    >
                      {h.status}
                    </span>
                    {h.rowCount !== null ? (
                      <span>{h.rowCount.toLocaleString('en-US')} rows</span>
                    ) : null}
                    {h.durationMs !== null ? <span>{h.durationMs} ms</span> : null}
                    <span className="ml-auto">{new Date(h.createdAt).toLocaleString()}</span>
                  </span>
                </button>
              </li>
            ))}
            {history.data?.length === 0 ? (
              <li className="p-3 text-muted-foreground">
                {historySearch ? 'No runs match.' : 'Your runs will be listed here.'}
              </li>
            ) : null}
          </ul>
        </TabsContent>
        <TabsContent value="saved" className="min-h-0 overflow-auto">
          <ul className="text-xs" data-testid="sql-saved">
            {(saved.data ?? []).map((q) => (
              <li key={q.id} className="border-b">
                <button
                  type="button"
                  className="grid w-full gap-0.5 px-3 py-2 text-left hover:bg-accent"
                  onClick={() => {
                    const existing = state.tabs.find((t) => t.savedQueryId === q.id);
                    if (existing) setState((s) => ({ ...s, active: existing.id }));
                    else open(q.sql, q.name, q.id);
                  }}
                >
                  <span className="font-medium">
                    {q.folder ? <span className="text-muted-foreground">{q.folder} / </span> : null}
                    {q.name}
                    {!q.shared ? (
                      <span className="ml-1 text-[10px] text-muted-foreground">(private)</span>
                    ) : null}
                  </span>
                  {q.description ? (
                    <span className="line-clamp-2 text-muted-foreground">{q.description}</span>
                  ) : null}
                  <span className="text-[10px] text-muted-foreground">
                    {q.owner?.name ?? 'Former member'}
                  </span>
                </button>
              </li>
            ))}
            {saved.data?.length === 0 ? (
              <li className="p-3 text-muted-foreground">
                Saved queries of this workspace appear here.
              </li>
            ) : null}
          </ul>
        </TabsContent>
      </Tabs>
      <SaveQueryDialog
        key={`${tab.id}-${saving}`}
        open={saving !== false}
        onOpenChange={(open) => setSaving(open ? 'save' : false)}
        sql={tab.sql}
        params={declarationsOf(tab, tags.params)}
        chart={chartOf(tab, run)}
        savedQueryId={tab.savedQueryId}
        defaultName={tab.title}
        forDashboard={saving === 'then-dashboard'}
        onSaved={(q) => {
          setState((s) => updateTab(s, tab.id, { savedQueryId: q.id, title: q.name }));
          void queryClient.invalidateQueries({ queryKey: trpc.sql.saved.pathKey() });
          if (saving === 'then-dashboard') setAddingTo(q);
        }}
      />
      <AddToDashboardDialog
        open={addingTo !== undefined}
        onOpenChange={(open) => (open ? null : setAddingTo(undefined))}
        savedQuery={addingTo}
        workspaceSlug={workspaceSlug}
      />
    </div>
  );
}

/** What the editor underlines: a run's error, or the statement of a script that failed. */
function editorError(run: RunState): EditorError | undefined {
  if (run.status === 'error') return run.error;
  if (run.status !== 'script') return undefined;
  const failed = run.statements.find((s) => s.status === 'failed');
  if (!failed?.error) return undefined;
  return {
    message: failed.error.message,
    // Without a position from the engine: the failed statement's start.
    position: failed.error.position ?? failed.offset,
  };
}

/** The chart the tab shows: the analyst's, else the one suggested for the last result. */
function chartOf(tab: SqlTab, run: RunState): SqlChartConfig | null {
  if (tab.chart) return tab.chart;
  return run.status === 'done' ? suggestChart(run.result.columns, run.result.rows) : null;
}

function useElapsed(since: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [since]);
  return since === undefined ? 0 : Math.max(0, now - since);
}
