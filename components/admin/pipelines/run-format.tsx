'use client';
// Shared bits of Admin → Pipelines: the status badge, durations and dates of a dbt run.
import { useEffect, useState } from 'react';
import { Ban, CheckCircle2, Clock, Loader2, XCircle } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/utils';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export function isActive(status: string): boolean {
  return status === 'queued' || status === 'running';
}

const STATUS_STYLE: Record<RunStatus, { className: string; icon: typeof Clock }> = {
  queued: { className: 'border-border text-muted-foreground', icon: Clock },
  running: {
    className:
      'border-sky-500/30 bg-sky-500/10 text-sky-700 dark:border-sky-400/30 dark:bg-sky-400/15 dark:text-sky-300',
    icon: Loader2,
  },
  succeeded: {
    className:
      'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:border-emerald-400/30 dark:bg-emerald-400/15 dark:text-emerald-300',
    icon: CheckCircle2,
  },
  failed: {
    className:
      'border-destructive/30 bg-destructive/10 text-destructive dark:border-destructive/50 dark:bg-destructive/20 dark:text-red-300',
    icon: XCircle,
  },
  cancelled: { className: 'border-border text-muted-foreground', icon: Ban },
};

export function RunStatusBadge({
  status,
  className,
  'data-testid': testId,
}: {
  status: string;
  className?: string;
  'data-testid'?: string;
}) {
  const style = STATUS_STYLE[status as RunStatus] ?? STATUS_STYLE.queued;
  const Icon = style.icon;
  return (
    <Badge
      variant="outline"
      className={cn(style.className, className)}
      data-testid={testId}
      data-status={status}
    >
      <Icon className={cn(status === 'running' && 'animate-spin')} aria-hidden />
      {status}
    </Badge>
  );
}

/** dbt node statuses: failures red, warnings amber, skipped muted, the rest green. */
export function NodeStatusBadge({ status }: { status: string }) {
  const failed = status === 'error' || status === 'fail' || status === 'runtime error';
  return (
    <Badge
      variant="outline"
      className={cn(
        failed &&
          'border-destructive/30 bg-destructive/10 text-destructive dark:border-destructive/50 dark:bg-destructive/20 dark:text-red-300',
        status === 'warn' &&
          'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:border-amber-400/30 dark:bg-amber-400/15 dark:text-amber-300',
        (status === 'success' || status === 'pass') &&
          'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:border-emerald-400/30 dark:bg-emerald-400/15 dark:text-emerald-300',
        (status === 'skipped' || status === 'no-op') && 'text-muted-foreground',
      )}
    >
      {status}
    </Badge>
  );
}

/** 0.4 s, 12 s, 3 min 05 s, 1 h 02 min. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function runDuration(
  run: { startedAt: Date | string | null; finishedAt: Date | string | null },
  now: number,
): string {
  if (!run.startedAt) return '—';
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return formatDuration(end - new Date(run.startedAt).getTime());
}

export function formatWhen(value: Date | string | null | undefined): string {
  if (!value) return '—';
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const TRIGGER_LABEL: Record<string, string> = {
  manual: 'manual',
  schedule: 'schedule',
  startup: 'first start',
  cli: 'CLI',
};

export function whoStarted(run: {
  trigger: string;
  requestedBy: { email: string; name: string } | null;
}): string {
  return run.requestedBy?.email ?? TRIGGER_LABEL[run.trigger] ?? run.trigger;
}

/** Re-renders every second while `on`, for a running clock. */
export function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}
