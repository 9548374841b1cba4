'use client';
// Admin → Pipelines → Stream writer: the Spark Structured Streaming job that writes the Kafka
// events topic into bronze (the high-volume alternative to the app's own consumer). Start and
// stop it, see which writer has the topic, its latest micro-batches and, when it failed, why.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loader2, Play, Radio, Square } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { ErrorAlert, TableSkeleton } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Sparkline } from '@/components/admin/ingestion/sparkline';
import { formatWhen } from './run-format';

const nf = new Intl.NumberFormat();

export function StreamWriterCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(
    trpc.pipelines.stream.status.queryOptions(undefined, {
      refetchInterval: (q) =>
        q.state.data && 'running' in q.state.data && q.state.data.running ? 2000 : 10_000,
    }),
  );
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.pipelines.stream.status.queryKey() });
  const start = useMutation(
    trpc.pipelines.stream.start.mutationOptions({
      onSuccess: () => {
        toast.success('Spark job started: it now writes the events topic into the lake');
        void refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const stop = useMutation(
    trpc.pipelines.stream.stop.mutationOptions({
      onSuccess: () => {
        toast.success('Spark job stopped: the app’s consumer writes the lake again');
        void refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const s = status.data;
  return (
    <Card data-testid="pipelines-stream-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <Radio className="size-4" /> Stream writer (Spark)
          {s?.kafka ? (
            <Badge
              variant={
                s.running ? 'brand' : s.state?.state === 'failed' ? 'destructive' : 'secondary'
              }
              data-testid="stream-state"
            >
              {s.running
                ? 'Running'
                : s.state?.state === 'failed'
                  ? 'Failed'
                  : s.installed
                    ? 'Stopped'
                    : 'Not installed'}
            </Badge>
          ) : null}
        </CardTitle>
        <CardDescription>
          A Spark Structured Streaming job that moves the Kafka events topic into bronze, for
          volumes beyond one process. It takes the topic over from the app’s own consumer and hands
          it back when it stops; both commit to the same consumer group, so nothing is skipped or
          written twice.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {status.isPending ? (
          <TableSkeleton rows={2} />
        ) : status.isError ? (
          <ErrorAlert message={status.error.message} />
        ) : !s?.kafka ? (
          <p className="text-sm text-muted-foreground" data-testid="stream-needs-kafka">
            This server takes events through its embedded write-ahead log. The stream writer reads a
            Kafka topic: start the server with <code className="font-mono">KAFKA_BROKERS</code> (and{' '}
            <code className="font-mono">SPARK_MASTER</code> to run the job at start); see
            docs/deployment.md.
          </p>
        ) : (
          <div className="grid gap-4">
            <div className="flex flex-wrap items-center gap-3">
              {s.running ? (
                <Button
                  variant="outline"
                  disabled={stop.isPending}
                  onClick={() => stop.mutate()}
                  data-testid="stream-stop"
                >
                  {stop.isPending ? <Loader2 className="animate-spin" /> : <Square />}
                  Stop
                </Button>
              ) : (
                <Button
                  disabled={!s.installed || start.isPending}
                  onClick={() => start.mutate()}
                  data-testid="stream-start"
                >
                  {start.isPending ? <Loader2 className="animate-spin" /> : <Play />}
                  Start Spark job
                </Button>
              )}
              <span className="text-sm text-muted-foreground">
                Writer now:{' '}
                <span className="font-medium text-foreground" data-testid="stream-writer">
                  {s.writer === 'spark'
                    ? 'Spark job'
                    : s.writer === 'app'
                      ? 'the app’s consumer'
                      : 'none'}
                </span>{' '}
                · master <code className="font-mono">{s.master}</code>
                {s.running && s.startedAt ? ` · started ${formatWhen(new Date(s.startedAt))}` : ''}
              </span>
            </div>
            {!s.installed ? (
              <p className="text-sm text-muted-foreground">
                Spark is not installed on this machine: run{' '}
                <code className="font-mono">infra/local/spark.sh install</code> (PySpark from PyPI,
                the Kafka and Delta jars from Maven Central).
              </p>
            ) : null}
            {s.state?.state === 'failed' ? (
              <ErrorAlert
                message={`${s.state.error ?? 'The job failed.'}${s.logTail.length ? `\n${s.logTail.join('\n')}` : ''}`}
              />
            ) : null}
            {s.lastBatch ? (
              <div className="flex flex-wrap items-end gap-6" data-testid="stream-last-batch">
                <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
                  <Stat label="Last micro-batch" value={`#${s.lastBatch.batch_id}`} />
                  <Stat label="Events" value={nf.format(s.lastBatch.events)} />
                  <Stat label="Took" value={`${nf.format(s.lastBatch.duration_ms)} ms`} />
                  <Stat
                    label="Events/s"
                    value={
                      s.lastBatch.events_per_s === null ? '—' : nf.format(s.lastBatch.events_per_s)
                    }
                  />
                  <Stat label="Since start" value={`${nf.format(s.events)} events`} />
                  <Stat label="Micro-batches" value={nf.format(s.batches)} />
                  <Stat label="Dead letters" value={nf.format(s.deadLetters)} />
                  <Stat label="At" value={formatWhen(new Date(s.lastBatch.at))} />
                </dl>
                {s.recent.length > 1 ? (
                  <Sparkline
                    values={s.recent.map((b) => b.events)}
                    className="h-9 w-40"
                    label="Events per micro-batch"
                  />
                ) : null}
              </div>
            ) : s.running ? (
              <p className="flex items-center gap-2 text-sm text-muted-foreground">
                <Loader2 className="size-4 animate-spin" /> Starting Spark and waiting for the first
                micro-batch…
              </p>
            ) : null}
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}
