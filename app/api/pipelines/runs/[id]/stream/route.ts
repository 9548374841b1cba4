// GET /api/pipelines/runs/<id>/stream?workspace=<slug> — Server-Sent Events of a dbt run for
// Admin → Pipelines: `log` (the entries so far, then each new one), `progress` ({done, total}),
// and `finished` ({status}) after which the stream ends. Same access as pipelines.* procedures:
// a session and the admin role in that workspace, checked here.
import { findRuntime } from '@/server/runtime';
import { jsonError } from '@/server/http/json-error';
import { requireWorkspaceRole } from '@/server/http/route-access';
import { isShownLogEntry, readRunLog } from '@/server/pipelines/run-log';
import type { DbtLogEntry } from '@/server/pipelines/dbt-log';

export const dynamic = 'force-dynamic';

export async function GET(
  req: Request,
  ctx: { params: Promise<{ id: string }> },
): Promise<Response> {
  const runtime = findRuntime();
  if (!runtime)
    return jsonError(
      'SERVICE_UNAVAILABLE',
      'The server is still starting. Try again in a few seconds.',
    );
  const { id } = await ctx.params;
  const url = new URL(req.url);
  const slug = url.searchParams.get('workspace') ?? '';
  const access = await requireWorkspaceRole(runtime, req, slug, 'admin', 'The run log');
  if (access instanceof Response) return access;
  const run = /^[0-9a-f-]{36}$/i.test(id)
    ? await runtime.prisma.pipelineRun.findFirst({ where: { id, workspaceId: access.workspaceId } })
    : null;
  if (!run) return jsonError('NOT_FOUND', 'No such run in this workspace.');

  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (event: string, data: unknown) => {
        if (open)
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const close = () => {
        if (!open) return;
        open = false;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const events = runtime.pipelines.eventsOf(run.id);
      // Subscribe before reading the backlog; entries arriving meanwhile are sent after it.
      const pending: DbtLogEntry[] = [];
      let primed = false;
      const onLog = (entry: DbtLogEntry) => {
        if (!isShownLogEntry(entry)) return;
        if (primed) send('log', [entry]);
        else pending.push(entry);
      };
      const onProgress = (p: { done: number; total: number }) => send('progress', p);
      const onFinished = (f: { status: string }) => {
        send('finished', f);
        close();
      };
      events.on('log', onLog);
      events.on('progress', onProgress);
      events.once('finished', onFinished);
      const heartbeat = setInterval(() => {
        if (open) controller.enqueue(encoder.encode(': keep-alive\n\n'));
      }, 15_000);
      cleanup = () => {
        clearInterval(heartbeat);
        events.off('log', onLog);
        events.off('progress', onProgress);
        events.off('finished', onFinished);
      };
      req.signal.addEventListener('abort', close);
      const backlog = await readRunLog(runtime.config.dataDir, run.id);
      const seen = new Set(backlog.entries.map((e) => `${e.ts}|${e.message}`));
      send('log', backlog.entries);
      send(
        'log',
        pending.filter((e) => !seen.has(`${e.ts}|${e.message}`)),
      );
      primed = true;
      // A run that finished before this stream subscribed: say so and end.
      const now = await runtime.prisma.pipelineRun.findUnique({ where: { id: run.id } });
      if (now && now.status !== 'queued' && now.status !== 'running')
        onFinished({ status: now.status });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
