// Product-like events for a seeded workspace and a real dbt build of them, shared by the specs
// that need marts (dashboards, Ask); and a tRPC call over HTTP that reports failures as data.
import type { APIRequestContext } from '@playwright/test';
import { apiSignIn, expect, postEvents, type SeededWorkspace } from './fixtures';

export async function trpcCall<T>(
  api: APIRequestContext,
  kind: 'query' | 'mutation',
  path: string,
  workspace: string,
  input?: unknown,
): Promise<{ status: number; data?: T; message?: string }> {
  const headers = { 'x-tl-workspace': workspace };
  const res =
    kind === 'mutation'
      ? await api.post(`/api/trpc/${path}`, { data: { json: input }, headers })
      : await api.get(
          `/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`,
          { headers },
        );
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string } };
  };
  return { status: res.status(), data: body.result?.data.json, message: body.error?.json.message };
}

/** Some days of the demo product's events for 12 users, then a dbt build of everything. */
export async function buildMarts(baseURL: string, seeded: SeededWorkspace) {
  const now = Date.now();
  const at = (days: number, hours = 0) =>
    new Date(now - days * 86_400_000 - hours * 3_600_000).toISOString();
  const features = ['kanban_board', 'gantt_chart', 'automations', 'bulk_edit'];
  const batch: unknown[] = [];
  for (let u = 0; u < 12; u++) {
    const user = `dash_${u}`;
    const start = 20 - u; // signups spread over the last 20 days
    batch.push(
      {
        event: 'signed_up',
        user_id: user,
        timestamp: at(start, 2),
        properties: { channel: 'organic' },
      },
      { event: 'onboarding_completed', user_id: user, timestamp: at(start, 1) },
    );
    if (u % 2 === 0) batch.push({ event: 'project_created', user_id: user, timestamp: at(start) });
    if (u % 3 === 0)
      batch.push({
        event: 'subscription_started',
        user_id: user,
        timestamp: at(start - 1, 1),
        properties: { plan: 'pro', billing_period: 'monthly', mrr_usd: 49 },
      });
    if (u % 4 === 0)
      batch.push({ event: 'teammate_invited', user_id: user, timestamp: at(start - 1, 3) });
    for (let d = start; d >= 0; d -= 2) {
      batch.push(
        { event: 'page_viewed', user_id: user, timestamp: at(d, 5), properties: { page: 'home' } },
        {
          event: 'feature_used',
          user_id: user,
          timestamp: at(d, 4),
          properties: { feature_name: features[(u + d) % features.length] },
        },
      );
      if ((u + d) % 5 === 0)
        batch.push({
          event: 'error_occurred',
          user_id: user,
          timestamp: at(d, 3),
          properties: { error_code: 'E500', error_type: 'server' },
        });
    }
  }
  await postEvents(baseURL, seeded, batch);
  const admin = await apiSignIn(baseURL, seeded.users.admin.email, seeded.users.admin.password);
  try {
    // The flusher writes every 2 s; the build flushes first anyway.
    const run = await trpcCall<{ id: string }>(
      admin,
      'mutation',
      'pipelines.runs.start',
      seeded.slug,
      {
        selector: null,
      },
    );
    await expect
      .poll(
        async () => {
          const runs = await trpcCall<{ id: string; status: string; error: string | null }[]>(
            admin,
            'query',
            'pipelines.runs.list',
            seeded.slug,
          );
          const mine = runs.data?.find((r) => r.id === run.data?.id);
          if (mine?.status === 'failed' || mine?.status === 'cancelled')
            throw new Error(`dbt build ${mine.status}: ${mine.error}`);
          return mine?.status;
        },
        { timeout: 240_000, intervals: [2_000] },
      )
      .toBe('succeeded');
  } finally {
    await admin.dispose();
  }
}
