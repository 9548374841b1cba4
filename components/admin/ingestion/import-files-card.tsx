'use client';
// Admin → Ingestion → Import files: pick or drop NDJSON / CSV / Parquet files, upload them (the
// browser's upload progress), then follow the server-side import (bytes read, accepted,
// rejected) to its summary. Recent imports of the workspace are listed below.
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FileUp, Upload, X } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { ErrorAlert } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { cn } from '@/lib/utils';
import { formatBytes, formatCount } from '@/lib/format';
import type { ImportJobView } from '@/server/ingest/import/import-jobs';

const ACCEPT = ['.ndjson', '.jsonl', '.csv', '.parquet'];
const MAX_FILES = 20;

interface Uploaded {
  uploadId: string;
}

/** One file as the raw body of POST /api/ingest/uploads, reporting bytes sent. */
function uploadFile(
  workspaceSlug: string,
  file: File,
  onProgress: (sent: number) => void,
): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const qs = new URLSearchParams({ workspace: workspaceSlug, name: file.name });
    xhr.open('POST', `/api/ingest/uploads?${qs}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      const body = xhr.response as (Uploaded & { error?: { message: string } }) | null;
      if (xhr.status === 201 && body) resolve(body);
      else
        reject(new Error(body?.error?.message ?? `Upload of ${file.name} failed (${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error(`Upload of ${file.name} failed: the connection broke.`));
    xhr.send(file);
  });
}

const STATE_VARIANT = {
  queued: 'outline',
  running: 'secondary',
  done: 'default',
  failed: 'destructive',
  cancelled: 'outline',
} as const;

export function ImportFilesCard({ workspaceSlug }: { workspaceSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploadProgress, setUploadProgress] = useState<number | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const startedId = useRef<string | null>(null);

  const list = useQuery(
    trpc.ingestion.imports.list.queryOptions(undefined, {
      refetchInterval: (q) =>
        q.state.data?.some((j) => j.state === 'queued' || j.state === 'running') ? 1000 : false,
    }),
  );
  const current = useQuery(
    trpc.ingestion.imports.get.queryOptions(
      { id: jobId ?? '00000000-0000-4000-8000-000000000000' },
      {
        enabled: jobId !== null,
        refetchInterval: (q) =>
          q.state.data && ['queued', 'running'].includes(q.state.data.state) ? 400 : false,
      },
    ),
  );
  const start = useMutation(trpc.ingestion.imports.start.mutationOptions());
  const cancel = useMutation(
    trpc.ingestion.imports.cancel.mutationOptions({
      onSuccess: () => toast('Import cancelled; what was already acknowledged stays in the lake.'),
    }),
  );

  const job = current.data;
  const busy = uploadProgress !== null || (job && ['queued', 'running'].includes(job.state));

  function choose(list: FileList | null) {
    if (!list) return;
    const picked = [...list];
    const wrong = picked.filter((f) => !ACCEPT.some((ext) => f.name.toLowerCase().endsWith(ext)));
    if (wrong.length)
      toast.error(
        `Not importable: ${wrong.map((f) => f.name).join(', ')}. Use ${ACCEPT.join(', ')}.`,
      );
    const ok = picked.filter((f) => !wrong.includes(f));
    setFiles((prev) => [...prev, ...ok].slice(0, MAX_FILES));
    setUploadError(null);
  }

  async function run() {
    setUploadError(null);
    const total = files.reduce((n, f) => n + f.size, 0) || 1;
    const sent = files.map(() => 0);
    setUploadProgress(0);
    try {
      const ids: string[] = [];
      for (const [i, file] of files.entries()) {
        const r = await uploadFile(workspaceSlug, file, (n) => {
          sent[i] = n;
          setUploadProgress(sent.reduce((a, b) => a + b, 0) / total);
        });
        ids.push(r.uploadId);
      }
      const created = await start.mutateAsync({ uploadIds: ids });
      setJobId(created.id);
      startedId.current = created.id;
      setFiles([]);
      void queryClient.invalidateQueries({ queryKey: trpc.ingestion.imports.list.queryKey() });
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : String(error));
    } finally {
      setUploadProgress(null);
    }
  }

  const finishedState = job && !['queued', 'running'].includes(job.state) ? job.state : null;
  useEffect(() => {
    // Only the import started here gets a toast (not one opened from the history).
    if (!job || !finishedState || job.id !== startedId.current) return;
    startedId.current = null;
    if (finishedState === 'done')
      toast.success(
        `Imported ${formatCount(job.summary?.events ?? 0)} events` +
          (job.summary?.rejected ? `, ${formatCount(job.summary.rejected)} rejected` : ''),
      );
    void queryClient.invalidateQueries({ queryKey: trpc.ingestion.imports.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.ingestion.overview.queryKey() });
    // Once per job reaching its end state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.id, finishedState]);

  return (
    <Card data-testid="import-files">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <FileUp className="size-4" /> Import files
        </CardTitle>
        <CardDescription>
          NDJSON, JSON Lines, CSV or Parquet — one event per line or row, in the envelope of{' '}
          <code className="font-mono">POST /api/v1/batch</code> (up to {MAX_FILES} files, 2 GiB
          each). Same validation as the API; rejected rows land in Rejected events below. For a
          folder on the server, use <code className="font-mono">npm run tl -- import DIR</code>.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div
          role="button"
          tabIndex={0}
          data-testid="import-dropzone"
          onClick={() => input.current?.click()}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              input.current?.click();
            }
          }}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            choose(e.dataTransfer.files);
          }}
          className={cn(
            'grid cursor-pointer place-items-center gap-1 rounded-lg border-2 border-dashed p-6 text-center text-sm text-muted-foreground transition-colors hover:bg-muted/50 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
            dragging && 'border-primary bg-muted/50',
            busy && 'pointer-events-none opacity-60',
          )}
        >
          <Upload className="size-5" aria-hidden />
          <span>
            Drop files here or <span className="font-medium text-foreground">choose files</span>
          </span>
          <input
            ref={input}
            type="file"
            multiple
            accept={ACCEPT.join(',')}
            className="hidden"
            data-testid="import-file-input"
            onChange={(e) => {
              choose(e.target.files);
              e.target.value = '';
            }}
          />
        </div>

        {files.length > 0 ? (
          <div className="grid gap-2">
            <ul className="grid gap-1 text-sm" data-testid="import-selected">
              {files.map((f, i) => (
                <li key={`${f.name}-${i}`} className="flex items-center gap-2">
                  <span className="truncate font-mono">{f.name}</span>
                  <span className="text-muted-foreground tabular-nums">{formatBytes(f.size)}</span>
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-6"
                    aria-label={`Remove ${f.name}`}
                    disabled={!!busy}
                    onClick={() => setFiles((prev) => prev.filter((_, j) => j !== i))}
                  >
                    <X />
                  </Button>
                </li>
              ))}
            </ul>
            <Button
              className="justify-self-start"
              disabled={!!busy}
              onClick={() => void run()}
              data-testid="import-start"
            >
              <Upload /> Import {files.length} {files.length === 1 ? 'file' : 'files'}
            </Button>
          </div>
        ) : null}

        {uploadError ? <ErrorAlert message={uploadError} /> : null}

        {uploadProgress !== null ? (
          <div className="grid gap-1" data-testid="import-upload-progress">
            <div className="flex justify-between text-sm">
              <span>Uploading…</span>
              <span className="tabular-nums">{Math.round(uploadProgress * 100)}%</span>
            </div>
            <Progress value={uploadProgress * 100} aria-label="Upload progress" />
          </div>
        ) : null}

        {job ? <JobPanel job={job} onCancel={() => cancel.mutate({ id: job.id })} /> : null}

        <RecentImports jobs={list.data ?? []} onOpen={(id) => setJobId(id)} activeId={jobId} />
      </CardContent>
    </Card>
  );
}

type Job = ImportJobView;

function JobPanel({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const active = job.state === 'queued' || job.state === 'running';
  const p = job.progress;
  return (
    <div className="grid gap-3 rounded-lg border p-4" data-testid="import-job">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge variant={STATE_VARIANT[job.state]} data-testid="import-job-state">
          {job.state}
        </Badge>
        <span className="text-muted-foreground">
          {job.files.map((f) => f.name).join(', ')} · {formatBytes(p.bytesTotal)}
        </span>
        {active ? (
          <Button variant="outline" size="sm" className="ml-auto" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
      {active ? (
        <div className="grid gap-1">
          <div className="flex justify-between text-sm">
            <span>
              {job.state === 'queued'
                ? 'Waiting for the import before it…'
                : `Reading ${p.currentFile ?? '…'}`}
            </span>
            <span className="tabular-nums">{Math.round(p.fraction * 100)}%</span>
          </div>
          <Progress value={p.fraction * 100} aria-label="Import progress" />
          <span className="text-xs text-muted-foreground tabular-nums">
            {formatCount(p.accepted)} accepted · {formatCount(p.rejected)} rejected
          </span>
        </div>
      ) : null}
      {job.error ? <ErrorAlert message={job.error} /> : null}
      {job.summary ? (
        <div className="grid gap-3" data-testid="import-summary">
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
            {[
              ['Events', formatCount(job.summary.events)],
              ['Identifies', formatCount(job.summary.identifies)],
              ['Rejected', formatCount(job.summary.rejected)],
              ['Duration', `${job.summary.seconds.toFixed(1)} s`],
              ['Rate', `${formatCount(job.summary.eventsPerSecond)}/s`],
            ].map(([label, value]) => (
              <div key={label}>
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="text-lg font-semibold tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>
          {job.summary.rejectedByReason.length ? (
            <Table data-testid="import-rejections">
              <TableHeader>
                <TableRow>
                  <TableHead>Rejected because</TableHead>
                  <TableHead className="text-right">Rows</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {job.summary.rejectedByReason.slice(0, 10).map((r) => (
                  <TableRow key={r.reason}>
                    <TableCell className="text-destructive">{r.reason}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(r.count)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
          {job.files.length > 1 ? (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>File</TableHead>
                  <TableHead className="text-right">Events</TableHead>
                  <TableHead className="text-right">Identifies</TableHead>
                  <TableHead className="text-right">Rejected</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {job.files.map((f) => (
                  <TableRow key={f.name}>
                    <TableCell className="font-mono text-xs">{f.name}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(f.events)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(f.identifies)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(f.rejected)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function RecentImports({
  jobs,
  onOpen,
  activeId,
}: {
  jobs: Job[];
  onOpen: (id: string) => void;
  activeId: string | null;
}) {
  if (jobs.length === 0) return null;
  return (
    <Table data-testid="import-history">
      <TableHeader>
        <TableRow>
          <TableHead>Started</TableHead>
          <TableHead>By</TableHead>
          <TableHead>Files</TableHead>
          <TableHead>State</TableHead>
          <TableHead className="text-right">Accepted</TableHead>
          <TableHead className="text-right">Rejected</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((j) => (
          <TableRow
            key={j.id}
            className={cn('cursor-pointer', j.id === activeId && 'bg-muted/50')}
            onClick={() => onOpen(j.id)}
          >
            <TableCell className="whitespace-nowrap text-muted-foreground">
              {new Date(j.createdAt).toLocaleString()}
            </TableCell>
            <TableCell>{j.createdBy}</TableCell>
            <TableCell className="max-w-xs truncate font-mono text-xs">
              {j.files.map((f) => f.name).join(', ')}
            </TableCell>
            <TableCell>
              <Badge variant={STATE_VARIANT[j.state]}>{j.state}</Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatCount(j.progress.accepted)}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatCount(j.progress.rejected)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
