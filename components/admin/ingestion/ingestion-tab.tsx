'use client';
// Admin → Ingestion: throughput and lag per source (and the first-start demo load), the live
// event stream (SSE), file imports, and rejected events (dead letters) with edit-and-replay.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Activity, AlertTriangle, Database, Pause, Play, RotateCcw, Timer } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { formatBytes, formatCount } from '@/lib/format';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert, QueryView, TableSkeleton } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { Textarea } from '@/components/ui/textarea';
import { Progress } from '@/components/ui/progress';
import type { DemoDataStatus } from '@/server/ingest/demo-data';
import { ImportFilesCard } from './import-files-card';
import { Sparkline } from './sparkline';

function ago(value: Date | string | null | undefined): string {
  if (!value) return 'never';
  const s = Math.round((Date.now() - new Date(value).getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return new Date(value).toLocaleString();
}

function Overview() {
  const trpc = useTRPC();
  const overview = useQuery(
    trpc.ingestion.overview.queryOptions(undefined, { refetchInterval: 2000, staleTime: 0 }),
  );
  return (
    <QueryView query={overview}>
      {(o) => (
        <div className="grid gap-4 md:grid-cols-3" data-testid="ingestion-overview">
          <DemoDataBanner status={o.demoData} />
          {o.sources.length === 0 ? (
            <Card className="md:col-span-2">
              <CardHeader>
                <CardTitle className="text-base">Throughput</CardTitle>
                <CardDescription>
                  No events since the server started. Send some to{' '}
                  <code className="font-mono">POST /api/v1/batch</code> with an ingestion key, or
                  use Import files below.
                </CardDescription>
              </CardHeader>
            </Card>
          ) : (
            o.sources.map((s) => (
              <Card key={s.source} data-testid={`source-${s.source}`}>
                <CardHeader className="pb-2">
                  <CardDescription className="flex items-center gap-2">
                    <Activity className="size-4" /> Source{' '}
                    <Badge variant="outline">{s.source}</Badge>
                  </CardDescription>
                  <CardTitle className="text-2xl tabular-nums">
                    {formatCount(Math.round(s.eventsPerSecond))} events/s
                  </CardTitle>
                </CardHeader>
                <CardContent className="grid gap-2 text-sm text-muted-foreground">
                  <Sparkline
                    values={s.series.map((b) => b.accepted)}
                    className="h-9 w-full"
                    label={`Events per 10 s over the last 5 minutes from ${s.source}`}
                  />
                  <div className="flex justify-between">
                    <span>{formatCount(s.acceptedTotal)} accepted</span>
                    <span className={s.rejectedTotal ? 'text-destructive' : undefined}>
                      {formatCount(s.rejectedTotal)} rejected
                    </span>
                  </div>
                  <span>Last event {ago(s.lastEventAt)}</span>
                </CardContent>
              </Card>
            ))
          )}
          <Card data-testid="ingestion-lag">
            <CardHeader className="pb-2">
              <CardDescription className="flex items-center gap-2">
                <Timer className="size-4" /> Lake writer
              </CardDescription>
              <CardTitle className="text-2xl tabular-nums">
                {o.kafka
                  ? o.kafka.lag === null
                    ? 'Kafka unreachable'
                    : o.kafka.lag === 0
                      ? 'Up to date'
                      : `${formatCount(o.kafka.lag)} message${o.kafka.lag > 1 ? 's' : ''} behind`
                  : o.lag.pendingSegments === 0
                    ? 'Up to date'
                    : `${o.lag.pendingSegments} segment${o.lag.pendingSegments > 1 ? 's' : ''} waiting`}
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-1 text-sm text-muted-foreground">
              {o.kafka ? (
                <span data-testid="ingestion-kafka">
                  Kafka topic {o.kafka.topic} ({o.kafka.partitions.length} partitions) on{' '}
                  {o.kafka.brokers.join(', ')} · consumer group {o.kafka.groupId}
                  {o.kafka.error ? (
                    <span className="block text-destructive">{o.kafka.error}</span>
                  ) : null}
                </span>
              ) : (
                <span>{formatBytes(o.lag.pendingBytes)} in the write-ahead log</span>
              )}
              <span>
                Last commit {ago(o.lag.lastFlushAt)} · every {o.lag.flushIntervalMs / 1000} s
              </span>
              {o.lag.lastError ? (
                <span className="text-destructive">Last error: {o.lag.lastError}</span>
              ) : null}
              <span data-testid="ingestion-compaction">
                {!o.compaction.enabled
                  ? 'Compaction off (TL_COMPACT_INTERVAL_MS=0)'
                  : o.compaction.lastMerge
                    ? `Compacted ${formatCount(o.compaction.lastMerge.filesRemoved)} small files into ${formatCount(o.compaction.lastMerge.filesAdded)} ${ago(o.compaction.lastMerge.at)}`
                    : `Small files compacted ${o.compaction.lastRunAt ? `(checked ${ago(o.compaction.lastRunAt)})` : 'every few minutes'}`}
              </span>
              {o.compaction.lastError ? (
                <span className="text-destructive">Compaction error: {o.compaction.lastError}</span>
              ) : null}
            </CardContent>
          </Card>
          <Card>
            <CardHeader className="pb-2">
              <CardDescription className="flex items-center gap-2">
                <Database className="size-4" /> bronze.events
              </CardDescription>
              <CardTitle className="text-2xl tabular-nums">
                {o.lake.events === null ? '—' : formatCount(o.lake.events)} events
              </CardTitle>
            </CardHeader>
            <CardContent className="text-sm text-muted-foreground">
              {o.lake.available
                ? `Newest received ${ago(o.lake.lastReceivedAt)}`
                : 'The DuckDB delta extension is not installed; run npm start again to set it up.'}
            </CardContent>
          </Card>
        </div>
      )}
    </QueryView>
  );
}

const DEMO_STEP = { generating: 'Generating', importing: 'Importing' } as const;

/** The first-start demo load while it runs (or if it failed); nothing once it is done. */
function DemoDataBanner({ status }: { status: DemoDataStatus | null }) {
  if (!status || status.state === 'done' || status.state === 'idle') return null;
  if (status.state === 'failed')
    return (
      <div className="md:col-span-3">
        <ErrorAlert
          message={`The demo dataset could not be loaded: ${status.error ?? 'unknown error'}. It is retried at the next start.`}
        />
      </div>
    );
  const percent = Math.round((status.progress ?? 0) * 100);
  return (
    <Card className="md:col-span-3" data-testid="demo-data-progress">
      <CardHeader className="pb-2">
        <CardDescription>First start</CardDescription>
        <CardTitle className="text-base">
          {DEMO_STEP[status.state]} the demo dataset (90 days of the Orbit app)… {percent}%
        </CardTitle>
      </CardHeader>
      <CardContent>
        <Progress value={percent} aria-label="Demo data progress" />
      </CardContent>
    </Card>
  );
}

interface LiveEvent {
  event_id: string;
  event: string;
  user_id: string | null;
  anonymous_id: string | null;
  ts: string;
  received_at: string;
  source: string;
  platform: string | null;
  country: string | null;
  properties: string;
}

function LiveStream({ workspaceSlug }: { workspaceSlug: string }) {
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [paused, setPaused] = useState(false);
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [skipped, setSkipped] = useState(0);
  const [status, setStatus] = useState<'connecting' | 'live' | 'error'>('connecting');
  const pausedRef = useRef(paused);
  useEffect(() => {
    pausedRef.current = paused;
  }, [paused]);

  useEffect(() => {
    const t = setTimeout(() => setApplied(filter.trim()), 300);
    return () => clearTimeout(t);
  }, [filter]);

  useEffect(() => {
    const params = new URLSearchParams({ workspace: workspaceSlug });
    if (applied) params.set('event', applied);
    const source = new EventSource(`/api/ingest/live?${params.toString()}`);
    source.addEventListener('open', () => setStatus('live'));
    source.addEventListener('error', () => setStatus('error'));
    source.addEventListener('recent', (e) => {
      setSkipped(0);
      setEvents(JSON.parse((e as MessageEvent<string>).data) as LiveEvent[]);
    });
    source.addEventListener('events', (e) => {
      if (pausedRef.current) return;
      const data = JSON.parse((e as MessageEvent<string>).data) as {
        events: LiveEvent[];
        skipped: number;
      };
      setSkipped((n) => n + data.skipped);
      setEvents((prev) => [...data.events.slice().reverse(), ...prev].slice(0, 100));
    });
    return () => source.close();
  }, [workspaceSlug, applied]);

  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-3 space-y-0">
        <div className="grid gap-1">
          <CardTitle className="flex items-center gap-2 text-base">
            Live events
            <span
              className={`inline-block size-2 rounded-full ${status === 'live' && !paused ? 'animate-pulse bg-emerald-500' : status === 'error' ? 'bg-destructive' : 'bg-muted-foreground'}`}
              aria-hidden
            />
            <span className="text-xs font-normal text-muted-foreground">
              {paused ? 'paused' : status}
            </span>
          </CardTitle>
          <CardDescription>
            Newest acknowledged events as they arrive
            {skipped ? ` (${formatCount(skipped)} more not shown)` : ''}.
          </CardDescription>
        </div>
        <div className="flex items-center gap-2">
          <Input
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter by event name"
            className="h-8 w-56"
            aria-label="Filter live events by event name"
            data-testid="live-filter"
          />
          <Button variant="outline" size="sm" onClick={() => setPaused((p) => !p)}>
            {paused ? <Play className="size-4" /> : <Pause className="size-4" />}
            {paused ? 'Resume' : 'Pause'}
          </Button>
        </div>
      </CardHeader>
      <CardContent>
        {events.length === 0 ? (
          <EmptyState
            compact
            icon={Activity}
            title="Waiting for events"
            description={
              applied
                ? `No "${applied}" events yet.`
                : 'Events appear here within a second of being acknowledged.'
            }
          />
        ) : (
          <div className="max-h-96 overflow-auto rounded-md border">
            <Table data-testid="live-events">
              <TableHeader>
                <TableRow>
                  <TableHead>Received</TableHead>
                  <TableHead>Event</TableHead>
                  <TableHead>User</TableHead>
                  <TableHead>Source</TableHead>
                  <TableHead>Properties</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {events.map((e) => (
                  <TableRow key={e.event_id}>
                    <TableCell className="whitespace-nowrap text-muted-foreground tabular-nums">
                      {new Date(e.received_at).toLocaleTimeString()}
                    </TableCell>
                    <TableCell className="font-medium">{e.event}</TableCell>
                    <TableCell className="font-mono text-xs">
                      {e.user_id ?? e.anonymous_id}
                    </TableCell>
                    <TableCell>
                      <Badge variant="outline">{e.source}</Badge>
                    </TableCell>
                    <TableCell className="max-w-md truncate font-mono text-xs text-muted-foreground">
                      {e.properties}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function ReplayDialog({
  letter,
  onClose,
}: {
  letter: { id: string; reason: string; payload: unknown } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Mounted per letter (key), so the editor starts from that letter's payload.
  const [text, setText] = useState(() => (letter ? JSON.stringify(letter.payload, null, 2) : ''));
  const [error, setError] = useState<string | null>(null);
  const replay = useMutation(
    trpc.ingestion.deadLetters.replay.mutationOptions({
      onSuccess: (r) => {
        if (!r.replayed) {
          setError(`Still rejected: ${r.reason}`);
          return;
        }
        toast.success('Event replayed and stored');
        void queryClient.invalidateQueries({
          queryKey: trpc.ingestion.deadLetters.list.infiniteQueryKey(),
        });
        onClose();
      },
      onError: (e) => setError(e.message),
    }),
  );
  return (
    <Dialog open={letter !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Fix and replay</DialogTitle>
          <DialogDescription>
            Rejected because: {letter?.reason}. Edit the event, then replay it through the same
            validation.
          </DialogDescription>
        </DialogHeader>
        <Textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="min-h-64 font-mono text-xs"
          aria-label="Event JSON"
          data-testid="replay-payload"
        />
        {error ? <ErrorAlert message={error} /> : null}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={replay.isPending}
            data-testid="replay-submit"
            onClick={() => {
              let payload: unknown;
              try {
                payload = JSON.parse(text);
              } catch (e) {
                setError(`Not valid JSON: ${(e as Error).message}`);
                return;
              }
              replay.mutate({ id: letter!.id, payload });
            }}
          >
            <RotateCcw className="size-4" /> Replay
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function DeadLetters() {
  const trpc = useTRPC();
  const [selected, setSelected] = useState<{ id: string; reason: string; payload: unknown } | null>(
    null,
  );
  const letters = useInfiniteQuery(
    trpc.ingestion.deadLetters.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (last) => last.nextCursor, staleTime: 0, refetchInterval: 5000 },
    ),
  );
  const entries = useMemo(
    () => letters.data?.pages.flatMap((p) => p.entries) ?? [],
    [letters.data],
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <AlertTriangle className="size-4" /> Rejected events
          {letters.data?.pages[0]?.pending ? (
            <Badge variant="destructive">{formatCount(letters.data.pages[0].pending)}</Badge>
          ) : null}
        </CardTitle>
        <CardDescription>
          Events that failed validation, with the reason. The rest of their batch was stored.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {letters.isPending ? (
          <TableSkeleton />
        ) : letters.isError ? (
          <ErrorAlert message={letters.error.message} />
        ) : entries.length === 0 ? (
          <EmptyState
            compact
            icon={AlertTriangle}
            title="No rejected events"
            description="Every event sent so far passed validation."
          />
        ) : (
          <div className="grid gap-3">
            <Table data-testid="dead-letters">
              <TableHeader>
                <TableRow>
                  <TableHead>Received</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead>Event</TableHead>
                  <TableHead className="w-28" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {entries.map((d) => (
                  <TableRow key={d.id}>
                    <TableCell className="whitespace-nowrap text-muted-foreground">
                      {ago(d.receivedAt)}
                    </TableCell>
                    <TableCell className="max-w-sm text-destructive">{d.reason}</TableCell>
                    <TableCell className="max-w-md truncate font-mono text-xs text-muted-foreground">
                      {JSON.stringify(d.payload)}
                    </TableCell>
                    <TableCell>
                      <Button
                        variant="outline"
                        size="sm"
                        onClick={() =>
                          setSelected({ id: d.id, reason: d.reason, payload: d.payload })
                        }
                      >
                        Fix & replay
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {letters.hasNextPage ? (
              <Button
                variant="outline"
                className="justify-self-center"
                onClick={() => void letters.fetchNextPage()}
              >
                Load more
              </Button>
            ) : null}
          </div>
        )}
      </CardContent>
      <ReplayDialog
        key={selected?.id ?? 'none'}
        letter={selected}
        onClose={() => setSelected(null)}
      />
    </Card>
  );
}

export function IngestionTab({ workspaceSlug }: { workspaceSlug: string }) {
  return (
    <div className="grid gap-6" data-testid="ingestion-tab">
      <Overview />
      <LiveStream workspaceSlug={workspaceSlug} />
      <ImportFilesCard workspaceSlug={workspaceSlug} />
      <DeadLetters />
    </div>
  );
}
