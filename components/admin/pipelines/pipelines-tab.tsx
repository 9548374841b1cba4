'use client';
// Admin → Pipelines: start a dbt build (optionally a selector), follow it live, browse the run
// history and each run's per-node results and log, switch the workspace's marts to a kept run,
// and schedule builds. The selected run lives in the URL (?tab=pipelines&run=<id>).
import { useState } from 'react';
import { usePathname, useSearchParams } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, Loader2, Play, Workflow } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert, TableSkeleton } from '@/components/query-view';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
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
import { RunPanel } from './run-panel';
import {
  RunStatusBadge,
  TRIGGER_LABEL,
  formatWhen,
  isActive,
  runDuration,
  useNow,
} from './run-format';
import { ScheduleCard } from './schedule-card';
import { StreamWriterCard } from './stream-card';

export function PipelinesTab({ workspaceSlug }: { workspaceSlug: string }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const params = useSearchParams();
  const runs = useQuery(
    trpc.pipelines.runs.list.queryOptions(undefined, {
      staleTime: 0,
      refetchInterval: (q) => (q.state.data?.some((r) => isActive(r.status)) ? 3000 : false),
    }),
  );
  const list = runs.data ?? [];
  const activeRun = list.find((r) => isActive(r.status)) ?? null;
  const requested = params.get('run');
  // The run in the URL; else the one in progress; else the latest.
  const selectedId = requested ?? activeRun?.id ?? list[0]?.id ?? null;

  // The browser's history API updates useSearchParams without a server round trip.
  const select = (id: string) =>
    window.history.replaceState(
      null,
      '',
      `${pathname}?tab=pipelines&run=${encodeURIComponent(id)}`,
    );

  return (
    <div className="grid gap-6" data-testid="pipelines-tab">
      {list[0]?.status === 'failed' ? (
        <FailedRunNotice runId={list[0].id} onOpen={() => select(list[0]!.id)} />
      ) : null}
      <RunBuildCard busy={activeRun !== null} onStarted={select} />
      {runs.isPending ? (
        <Card>
          <TableSkeleton rows={4} />
        </Card>
      ) : runs.isError ? (
        <ErrorAlert message={runs.error.message} />
      ) : list.length === 0 && !requested ? (
        <EmptyState
          icon={Workflow}
          title="No dbt runs yet — run a build to create the marts"
          description="A build turns the raw events in the lake into the marts dashboards and SQL read (sessions, users, funnels…). Start one above, or set a schedule below."
          data-testid="pipelines-empty"
        />
      ) : (
        <>
          {selectedId ? (
            <RunPanel key={selectedId} workspaceSlug={workspaceSlug} runId={selectedId} />
          ) : null}
          <RunHistory runs={list} selectedId={selectedId} onSelect={select} />
        </>
      )}
      <ScheduleCard />
      <StreamWriterCard />
    </div>
  );
}

function RunBuildCard({ busy, onStarted }: { busy: boolean; onStarted: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selector, setSelector] = useState('');
  const start = useMutation(
    trpc.pipelines.runs.start.mutationOptions({
      onSuccess: (run) => {
        toast.success('dbt build queued');
        void queryClient.invalidateQueries({ queryKey: trpc.pipelines.runs.list.queryKey() });
        onStarted(run.id);
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const disabled = busy || start.isPending;
  return (
    <Card data-testid="pipelines-run-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <Workflow className="size-4" /> Run dbt build
        </CardTitle>
        <CardDescription>
          Builds the models, runs their tests and snapshots. The marts switch to the new build only
          if everything passes; until then queries keep reading the current ones.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (disabled) return;
            start.mutate({ selector: selector.trim() || null });
          }}
        >
          <div className="grid min-w-64 flex-1 gap-2">
            <Label htmlFor="pipeline-selector">Selector</Label>
            <Input
              id="pipeline-selector"
              value={selector}
              onChange={(e) => setSelector(e.target.value)}
              placeholder="+fact_events tag:daily"
              className="font-mono"
              aria-describedby="pipeline-selector-hint"
              data-testid="pipeline-selector"
            />
          </div>
          <Button type="submit" disabled={disabled} data-testid="pipeline-run">
            {disabled ? <Loader2 className="animate-spin" /> : <Play />}
            {busy ? 'Run in progress…' : 'Run'}
          </Button>
        </form>
        <p id="pipeline-selector-hint" className="mt-2 text-xs text-muted-foreground">
          Empty builds everything. dbt selector syntax:{' '}
          <code className="font-mono text-foreground">model_name</code>,{' '}
          <code className="font-mono text-foreground">+model</code> (with what it depends on),{' '}
          <code className="font-mono text-foreground">model+</code> (with what depends on it),{' '}
          <code className="font-mono text-foreground">tag:daily</code>,{' '}
          <code className="font-mono text-foreground">path:marts</code>; separate several with
          spaces.
        </p>
      </CardContent>
    </Card>
  );
}

/** The latest run failed: which tests and models, and that the previous marts stay in use. */
function FailedRunNotice({ runId, onOpen }: { runId: string; onOpen: () => void }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.pipelines.runs.get.queryOptions({ id: runId }));
  const failed = (run.data?.results ?? []).filter((n) =>
    ['error', 'fail', 'runtime error'].includes(n.status),
  );
  const tests = failed.filter((n) => n.resourceType === 'test').map((n) => n.name);
  const models = failed.filter((n) => n.resourceType !== 'test').map((n) => n.name);
  const list = (names: string[]) =>
    names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  return (
    <Alert variant="destructive" data-testid="pipelines-failed-notice">
      <AlertTriangle />
      <AlertTitle>The latest dbt build failed</AlertTitle>
      <AlertDescription>
        {models.length ? (
          <p>
            Models failed: <span className="font-mono">{list(models)}</span>
          </p>
        ) : null}
        {tests.length ? (
          <p>
            Tests failed: <span className="font-mono">{list(tests)}</span>
          </p>
        ) : null}
        {!models.length && !tests.length && run.data?.error ? (
          <p className="line-clamp-3">{run.data.error}</p>
        ) : null}
        <p>Queries keep reading the marts of the last successful build.</p>
        <Button
          variant="outline"
          size="sm"
          className="mt-1 text-foreground"
          onClick={onOpen}
          data-testid="pipelines-failed-open"
        >
          Show the run
        </Button>
      </AlertDescription>
    </Alert>
  );
}

type RunRow = {
  id: string;
  status: string;
  selector: string | null;
  trigger: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  isCurrent: boolean;
  outputsDeletedAt: Date | null;
  requestedBy: { email: string; name: string } | null;
  models: number;
  tests: number;
  failedTests: number;
  failedModels: number;
};

function RunHistory({
  runs,
  selectedId,
  onSelect,
}: {
  runs: RunRow[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const now = useNow(runs.some((r) => isActive(r.status)));
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Run history</CardTitle>
        <CardDescription>
          The latest 50 runs. Select one for its results and log; the{' '}
          <Badge variant="brand">current</Badge> run is the one whose marts queries read.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <div className="overflow-x-auto rounded-md border">
          <Table data-testid="pipelines-history">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>By</TableHead>
                <TableHead>Selector</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Duration</TableHead>
                <TableHead className="text-right">Models</TableHead>
                <TableHead className="text-right">Tests</TableHead>
                <TableHead className="text-right">Failed</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {runs.map((r) => {
                const failed = r.failedModels + r.failedTests;
                const selected = r.id === selectedId;
                return (
                  <TableRow
                    key={r.id}
                    data-testid={`pipelines-run-${r.id}`}
                    data-state={selected ? 'selected' : undefined}
                    aria-selected={selected}
                    className={cn('cursor-pointer', selected && 'bg-muted/60')}
                    onClick={() => onSelect(r.id)}
                  >
                    <TableCell className="whitespace-nowrap">
                      <button
                        type="button"
                        className="rounded-sm text-left font-medium hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                        onClick={(e) => {
                          e.stopPropagation();
                          onSelect(r.id);
                        }}
                        aria-current={selected ? 'true' : undefined}
                      >
                        {formatWhen(r.createdAt)}
                      </button>
                      {r.isCurrent ? (
                        <Badge variant="brand" className="ml-2" data-testid="run-row-current">
                          current
                        </Badge>
                      ) : null}
                    </TableCell>
                    <TableCell className="max-w-48 truncate text-muted-foreground">
                      {r.requestedBy?.email ?? TRIGGER_LABEL[r.trigger] ?? r.trigger}
                    </TableCell>
                    <TableCell className="max-w-48 truncate font-mono text-xs">
                      {r.selector ?? <span className="text-muted-foreground">everything</span>}
                    </TableCell>
                    <TableCell>
                      <RunStatusBadge status={r.status} />
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap tabular-nums">
                      {runDuration(r, now)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(r.models)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(r.tests)}
                    </TableCell>
                    <TableCell
                      className={cn(
                        'text-right tabular-nums',
                        failed
                          ? 'font-medium text-destructive dark:text-red-300'
                          : 'text-muted-foreground',
                      )}
                    >
                      {failed ? formatCount(failed) : '—'}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      </CardContent>
    </Card>
  );
}
