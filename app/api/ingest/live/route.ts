// GET /api/ingest/live?workspace=<slug>[&event=<name>] — Server-Sent Events of newly
// acknowledged events for Admin → Ingestion. Same access as the admin procedures: a session
// and the admin role in that workspace, checked here (route handlers get no tRPC middleware).
import { findRuntime } from '@/server/runtime';
import { jsonError } from '@/server/http/json-error';
import { requireWorkspaceRole } from '@/server/http/route-access';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const runtime = findRuntime();
  if (!runtime)
    return jsonError(
      'SERVICE_UNAVAILABLE',
      'The server is still starting. Try again in a few seconds.',
    );
  const url = new URL(req.url);
  const slug = url.searchParams.get('workspace') ?? '';
  const eventName = url.searchParams.get('event')?.slice(0, 200) || undefined;
  const access = await requireWorkspaceRole(runtime, req, slug, 'admin', 'The live event stream');
  if (access instanceof Response) return access;
  const membership = access;

  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) =>
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      send('recent', runtime.liveHub.recentEvents(membership.workspaceId, eventName));
      const unsubscribe = runtime.liveHub.subscribe({
        workspaceId: membership.workspaceId,
        eventName,
        send: (events, skipped) => send('events', { events, skipped }),
      });
      const heartbeat = setInterval(
        () => controller.enqueue(encoder.encode(': keep-alive\n\n')),
        15_000,
      );
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      req.signal.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
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
