'use client';
// One dbt run in Admin → Pipelines: status, progress and the live log while it runs; per-node
// results (failures first, with the compiled SQL of a failed node), the stored log and "Use
// these marts" once it has finished.
import { Fragment, useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronRight, History, Loader2, Square } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { ErrorAlert, TableSkeleton } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Progress } from '@/components/ui/progress';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { formatCount } from '@/lib/format';
import { cn } from '@/lib/utils';
import type { NodeResult } from '@/server/pipelines/run-results';
import { LogView, useRunStream } from './run-log';
import {
  NodeStatusBadge,
  RunStatusBadge,
  TRIGGER_LABEL,
  formatWhen,
  isActive,
  runDuration,
  useNow,
} from './run-format';

const FAILED = new Set(['error', 'fail', 'runtime error']);
const ORDER: Record<string, number> = {
  error: 0,
  'runtime error': 0,
  fail: 0,
  warn: 1,
  skipped: 2,
};

/** Failures first, then warnings, skipped nodes, the rest; in run order within each. */
function sortNodes(nodes: NodeResult[]): NodeResult[] {
  return nodes
    .map((n, i) => ({ n, i }))
    .sort((a, b) => (ORDER[a.n.status] ?? 3) - (ORDER[b.n.status] ?? 3) || a.i - b.i)
    .map(({ n }) => n);
}

export function RunPanel({ workspaceSlug, runId }: { workspaceSlug: string; runId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(
    trpc.pipelines.runs.get.queryOptions(
      { id: runId },
      {
        staleTime: 0,
        // The stream says when it ends; polling is the fallback (and updates counts).
        refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? 3000 : false),
      },
    ),
  );
  const active = run.data ? isActive(run.data.status) : false;
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.pipelines.runs.pathKey() });
  }, [queryClient, trpc]);
  const onFinished = useCallback(
    (status: string) => {
      refresh();
      if (status === 'succeeded') toast.success('dbt build finished: the marts are up to date');
      else if (status === 'failed') toast.error('dbt build failed; the previous marts stay in use');
    },
    [refresh],
  );
  const stream = useRunStream(workspaceSlug, runId, active, onFinished);
  const log = useQuery(
    trpc.pipelines.runs.log.queryOptions({ id: runId }, { enabled: !!run.data && !active }),
  );
  const now = useNow(active);
  const [confirm, setConfirm] = useState(false);

  const cancel = useMutation(
    trpc.pipelines.runs.cancel.mutationOptions({
      onSuccess: () => {
        toast('Cancelling the run; the marts in use do not change.');
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const activate = useMutation(
    trpc.pipelines.runs.activate.mutationOptions({
      onSuccess: () => {
        setConfirm(false);
        toast.success('Queries in this workspace now read the marts of this run');
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );

  if (run.isPending)
    return (
      <Card>
        <TableSkeleton rows={4} />
      </Card>
    );
  if (run.isError) return <ErrorAlert message={run.error.message} />;
  const r = run.data;
  const progress =
    stream?.progress ?? (r.nodesTotal ? { done: r.nodesDone, total: r.nodesTotal } : null);
  const percent = progress && progress.total ? (progress.done / progress.total) * 100 : 0;
  const entries = !active && log.data ? log.data.entries : (stream?.entries ?? []);
  const canActivate = r.status === 'succeeded' && !r.isCurrent && !r.outputsDeletedAt;

  return (
    <Card data-testid="run-panel" data-run-id={r.id}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="grid gap-1.5">
          <CardTitle className="flex flex-wrap items-center gap-2 text-base">
            dbt build
            <RunStatusBadge status={r.status} data-testid="run-status" />
            {r.isCurrent ? (
              <Badge variant="brand" data-testid="run-current">
                current marts
              </Badge>
            ) : null}
            {r.outputsDeletedAt ? <Badge variant="outline">outputs deleted</Badge> : null}
          </CardTitle>
          <CardDescription className="flex flex-wrap gap-x-3 gap-y-1">
            <span>{formatWhen(r.createdAt)}</span>
            <span>
              {r.requestedBy?.email ?? TRIGGER_LABEL[r.trigger] ?? r.trigger}
              {r.requestedBy ? ` · ${TRIGGER_LABEL[r.trigger] ?? r.trigger}` : ''}
            </span>
            <span>
              selector{' '}
              <code className="font-mono text-foreground">{r.selector ?? 'everything'}</code>
            </span>
            <span className="tabular-nums" data-testid="run-duration">
              {r.status === 'queued' ? 'waiting to start' : runDuration(r, now)}
            </span>
          </CardDescription>
        </div>
        <div className="flex items-center gap-2">
          {active ? (
            <Button
              variant="outline"
              size="sm"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ id: r.id })}
              data-testid="run-cancel"
            >
              {cancel.isPending ? <Loader2 className="animate-spin" /> : <Square />}
              Cancel
            </Button>
          ) : null}
          {canActivate ? (
            <Button
              variant="outline"
              size="sm"
              onClick={() => setConfirm(true)}
              data-testid="run-activate"
            >
              <History /> Use these marts
            </Button>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4">
        {active || progress ? (
          <div className="grid gap-1" data-testid="run-progress">
            <div className="flex justify-between text-sm">
              <span>
                {r.status === 'queued'
                  ? 'Queued: starting dbt…'
                  : active
                    ? 'Models & tests done'
                    : 'Models & tests run'}
              </span>
              <span className="tabular-nums" data-testid="run-progress-count">
                {progress ? `${progress.done} / ${progress.total}` : '…'}
              </span>
            </div>
            <Progress
              value={percent}
              aria-label="Models and tests done"
              className={cn(r.status === 'failed' && '[&>*]:bg-destructive')}
            />
          </div>
        ) : null}
        {r.error ? <ErrorAlert message={r.error} /> : null}
        {!active && r.results.length > 0 ? <NodeResults nodes={r.results} /> : null}
        <div className="grid gap-2">
          <h3 className="text-sm font-medium">Log</h3>
          {!active && log.isPending ? (
            <TableSkeleton rows={2} />
          ) : !active && log.isError ? (
            <ErrorAlert message={log.error.message} />
          ) : (
            <LogView
              key={r.id}
              entries={entries}
              live={active && stream?.connection === 'live'}
              truncated={!active && log.data?.truncated}
              emptyText={active ? 'Waiting for dbt to start…' : 'This run wrote no log.'}
              data-testid="run-log"
            />
          )}
        </div>
      </CardContent>
      <Dialog open={confirm} onOpenChange={setConfirm}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Use the marts of this run?</DialogTitle>
            <DialogDescription>
              Every query in this workspace — dashboards, saved questions and SQL — will read the
              marts built by the run of {formatWhen(r.finishedAt ?? r.createdAt)} instead of the
              ones in use now. You can switch back to any other kept run the same way; the next
              successful build switches to its own marts.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setConfirm(false)}>
              Keep the current marts
            </Button>
            <Button
              disabled={activate.isPending}
              onClick={() => activate.mutate({ id: r.id })}
              data-testid="run-activate-confirm"
            >
              {activate.isPending ? <Loader2 className="animate-spin" /> : <History />}
              Use these marts
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}

function NodeResults({ nodes }: { nodes: NodeResult[] }) {
  const sorted = useMemo(() => sortNodes(nodes), [nodes]);
  const [open, setOpen] = useState<Set<string>>(
    () =>
      new Set(
        sorted
          .filter((n) => FAILED.has(n.status))
          .slice(0, 1)
          .map((n) => n.uniqueId),
      ),
  );
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="max-h-[28rem] overflow-auto rounded-md border">
      <Table data-testid="run-nodes">
        <TableHeader>
          <TableRow>
            <TableHead>Node</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Seconds</TableHead>
            <TableHead className="text-right">Rows</TableHead>
            <TableHead>Message</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sorted.map((n) => {
            const failed = FAILED.has(n.status);
            const expanded = open.has(n.uniqueId);
            const panelId = `node-${n.uniqueId.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
            return (
              <Fragment key={n.uniqueId}>
                <TableRow
                  data-testid={`run-node-${n.name}`}
                  data-status={n.status}
                  className={cn(failed && 'bg-destructive/5 dark:bg-destructive/10')}
                >
                  <TableCell className="font-mono text-xs">
                    {failed ? (
                      <button
                        type="button"
                        className="inline-flex items-center gap-1 rounded-sm text-left hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                        aria-expanded={expanded}
                        aria-controls={panelId}
                        onClick={() => toggle(n.uniqueId)}
                      >
                        <ChevronRight
                          className={cn('size-3.5 transition-transform', expanded && 'rotate-90')}
                          aria-hidden
                        />
                        {n.name}
                      </button>
                    ) : (
                      <span className="pl-[1.125rem]">{n.name}</span>
                    )}
                  </TableCell>
                  <TableCell className="text-muted-foreground">{n.resourceType}</TableCell>
                  <TableCell>
                    <NodeStatusBadge status={n.status} />
                    {n.failures ? (
                      <span className="ml-1 text-xs text-muted-foreground tabular-nums">
                        {formatCount(n.failures)} failing
                      </span>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{n.seconds.toFixed(2)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {n.rows == null ? '—' : formatCount(n.rows)}
                  </TableCell>
                  <TableCell
                    className={cn(
                      'max-w-xs truncate text-xs',
                      failed ? 'text-destructive dark:text-red-300' : 'text-muted-foreground',
                    )}
                    title={n.message ?? undefined}
                  >
                    {n.message ?? ''}
                  </TableCell>
                </TableRow>
                {failed && expanded ? (
                  <TableRow id={panelId} className="hover:bg-transparent">
                    <TableCell colSpan={6} className="grid-cols-1 bg-muted/30 whitespace-normal">
                      <div
                        className="grid w-0 min-w-full gap-3 py-1"
                        data-testid={`run-node-detail-${n.name}`}
                      >
                        {n.message ? (
                          <ErrorAlert message={n.message} className="whitespace-pre-wrap" />
                        ) : null}
                        {n.compiledSql ? (
                          <CodeBlock code={n.compiledSql} label="Compiled SQL" />
                        ) : (
                          <p className="text-xs text-muted-foreground">
                            dbt did not report compiled SQL for this node.
                          </p>
                        )}
                      </div>
                    </TableCell>
                  </TableRow>
                ) : null}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
