'use client';
// The dbt log of a run: live over Server-Sent Events while it runs (GET
// /api/pipelines/runs/<id>/stream), and the stored log once it has finished.
import { useEffect, useRef, useState } from 'react';
import { ArrowDownToLine } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import type { DbtLogEntry } from '@/server/pipelines/dbt-log';

export interface RunStream {
  runId: string;
  entries: DbtLogEntry[];
  progress: { done: number; total: number } | null;
  finished: string | null;
  connection: 'connecting' | 'live' | 'error' | 'closed';
}

/** Follows a queued or running run; `onFinished` fires once when the server says it ended. */
export function useRunStream(
  workspaceSlug: string,
  runId: string | null,
  active: boolean,
  onFinished: (status: string) => void,
): RunStream | null {
  const [stream, setStream] = useState<RunStream | null>(null);
  const finishedRef = useRef(onFinished);
  useEffect(() => {
    finishedRef.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    if (!runId || !active) return;
    const qs = new URLSearchParams({ workspace: workspaceSlug });
    const source = new EventSource(`/api/pipelines/runs/${runId}/stream?${qs}`);
    const update = (f: (s: RunStream) => RunStream) =>
      setStream((prev) =>
        f(
          prev?.runId === runId
            ? prev
            : { runId, entries: [], progress: null, finished: null, connection: 'connecting' },
        ),
      );
    update((s) => s);
    // A reconnect sends the backlog again: start over from it.
    let fresh = true;
    source.addEventListener('open', () => {
      fresh = true;
      update((s) => ({ ...s, connection: 'live' }));
    });
    source.addEventListener('error', () =>
      update((s) => ({ ...s, connection: s.finished ? 'closed' : 'error' })),
    );
    source.addEventListener('log', (e) => {
      const batch = JSON.parse((e as MessageEvent<string>).data) as DbtLogEntry[];
      const reset = fresh;
      fresh = false;
      update((s) => ({
        ...s,
        entries: (reset ? batch : [...s.entries, ...batch]).slice(-5000),
      }));
    });
    source.addEventListener('progress', (e) => {
      const progress = JSON.parse((e as MessageEvent<string>).data) as {
        done: number;
        total: number;
      };
      update((s) => ({ ...s, progress }));
    });
    source.addEventListener('finished', (e) => {
      const { status } = JSON.parse((e as MessageEvent<string>).data) as { status: string };
      source.close();
      update((s) => ({ ...s, finished: status, connection: 'closed' }));
      finishedRef.current(status);
    });
    return () => source.close();
  }, [workspaceSlug, runId, active]);

  return stream?.runId === runId ? stream : null;
}

function isErrorEntry(e: DbtLogEntry): boolean {
  return (
    e.level === 'error' ||
    e.node?.status === 'error' ||
    e.node?.status === 'fail' ||
    /\b(ERROR|FAIL)\b(?!=)/.test(e.message)
  );
}

function time(ts: string): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour12: false });
}

/** Monospace log with error lines highlighted; follows the end unless the reader scrolls up. */
export function LogView({
  entries,
  live,
  truncated,
  emptyText,
  'data-testid': testId,
}: {
  entries: DbtLogEntry[];
  live: boolean;
  truncated?: boolean;
  emptyText: string;
  'data-testid'?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);

  useEffect(() => {
    const el = box.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [entries.length, follow]);

  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
        <span className="flex items-center gap-2">
          {live ? (
            <span className="inline-block size-2 animate-pulse rounded-full bg-emerald-500" />
          ) : null}
          {entries.length} {entries.length === 1 ? 'line' : 'lines'}
          {truncated ? ' (older lines not shown)' : ''}
        </span>
        <Button
          type="button"
          variant={follow ? 'secondary' : 'outline'}
          size="sm"
          className="h-7 text-xs"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
          data-testid="run-log-follow"
        >
          <ArrowDownToLine className="size-3.5" /> Follow
        </Button>
      </div>
      <div
        ref={box}
        tabIndex={0}
        role="log"
        aria-live={live ? 'polite' : 'off'}
        aria-label="dbt log"
        data-testid={testId}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          if (!atBottom && follow) setFollow(false);
        }}
        className="max-h-96 min-h-24 overflow-auto rounded-lg border bg-zinc-950 py-2 font-mono text-xs leading-relaxed text-zinc-100 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none dark:bg-black/40"
      >
        {entries.length === 0 ? (
          <p className="px-3 text-zinc-400">{emptyText}</p>
        ) : (
          entries.map((e, i) => {
            const error = isErrorEntry(e);
            return (
              <div
                key={i}
                data-level={error ? 'error' : e.level}
                className={cn(
                  'flex gap-3 px-3 whitespace-pre-wrap',
                  error && 'bg-red-500/15 text-red-300',
                  !error && e.level === 'warn' && 'bg-amber-500/10 text-amber-200',
                )}
              >
                <span className="shrink-0 text-zinc-500 select-none">{time(e.ts)}</span>
                <span className="min-w-0 break-words">{e.message}</span>
              </div>
            );
          })
        )}
      </div>
    </div>
  );
}
