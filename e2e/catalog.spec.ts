// Data → Catalog as a PM (a viewer) meets it: empty before the first dbt build; once an admin
// has built the marts, the dbt project is searchable, a mart's page shows its columns with
// types, its tests and a preview of its rows, and the lineage graph selects and traces a node.
// Every selection lives in the URL, so a reload restores it.
import type { APIRequestContext } from '@playwright/test';
import { apiSignIn, expect, loginAs, postEvents, test } from './fixtures';

async function trpcCall<T>(
  api: APIRequestContext,
  kind: 'query' | 'mutation',
  path: string,
  workspace: string,
  input?: unknown,
): Promise<T> {
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
  if (!res.ok() || !body.result)
    throw new Error(`${path} failed: ${res.status()} ${body.error?.json.message}`);
  return body.result.data.json;
}

test('a PM finds a mart in the catalog, reads its page and traces its lineage', async ({
  page,
  baseURL,
  seeded,
}) => {
  // A cold dbt build (parse, then every model and test) takes ~30–60 s.
  test.setTimeout(300_000);
  await loginAs(page, seeded.users.viewer.email, seeded.users.viewer.password);

  // Before any build: an empty state that says who builds the marts (no admin link for a viewer).
  await page.goto(`/w/${seeded.slug}/data?tab=catalog`);
  await expect(page.getByTestId('data-tab-catalog')).toHaveAttribute('data-state', 'active');
  const empty = page.getByTestId('catalog-empty');
  await expect(empty).toContainText('No marts have been built yet');
  await expect(empty).toContainText('Admin → Pipelines');
  await expect(empty.getByRole('link')).toHaveCount(0);

  // An admin builds the marts through the API: some events, then dbt build of everything.
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  await postEvents(baseURL!, seeded, [
    { event: 'signed_up', user_id: 'cat_1', timestamp: at(50), properties: { plan: 'free' } },
    { event: 'signed_up', user_id: 'cat_2', timestamp: at(40), properties: { plan: 'pro' } },
    ...['bulk_edit', 'kanban_board', 'reports'].map((feature, i) => ({
      event: 'feature_used',
      user_id: `cat_${(i % 2) + 1}`,
      timestamp: at(30 - i * 5),
      properties: { feature_name: feature, duration_ms: 100 * (i + 1) },
    })),
  ]);
  const admin = await apiSignIn(baseURL!, seeded.users.admin.email, seeded.users.admin.password);
  try {
    const run = await trpcCall<{ id: string }>(
      admin,
      'mutation',
      'pipelines.runs.start',
      seeded.slug,
      { selector: null },
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
          const mine = runs.find((r) => r.id === run.id);
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

  // The catalog now lists the project, grouped by layer.
  await page.reload();
  await expect(page.getByTestId('catalog-table')).toBeVisible();
  await expect(page.getByTestId('catalog-group-marts')).toBeVisible();
  await expect(page.getByTestId('catalog-row-stg_events')).toBeVisible();

  // "/" focuses the search; search narrows the list.
  await page.keyboard.press('/');
  await expect(page.getByTestId('catalog-search')).toBeFocused();
  await page.keyboard.type('fact_events');
  const row = page.getByTestId('catalog-row-fact_events');
  await expect(row).toBeVisible();
  // (Search reads descriptions too: stg_events mentions fact_events, stg_identifies does not.)
  await expect(page.getByTestId('catalog-row-stg_identifies')).toHaveCount(0);
  await expect(row).toContainText('Mart');

  // The mart's page: columns with types and tests, SQL, lineage chips and a preview of its rows.
  await row.click();
  await expect(page).toHaveURL(/[?&]node=fact_events/);
  const nodePage = page.getByTestId('catalog-node');
  await expect(nodePage).toHaveAttribute('data-node-id', 'model.telemetry_lakehouse.fact_events');
  await expect(page.getByTestId('catalog-node-status')).toHaveText('success');
  const eventId = page.getByTestId('catalog-column-event_id');
  await expect(eventId).toContainText(/varchar|string|text/i);
  await expect(eventId.getByTestId('catalog-test-not_null')).toHaveAttribute('data-status', 'pass');
  await expect(eventId.getByTestId('catalog-test-unique')).toBeVisible();
  await expect(page.getByTestId('catalog-sql-compiled')).toContainText(/select/i);
  await expect(page.getByTestId('catalog-upstream')).toContainText('int_events');
  await expect(page.getByTestId('catalog-mini-lineage')).toBeVisible();
  const preview = page.getByTestId('catalog-preview');
  await expect(preview.locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
  await expect(preview).toContainText('feature_used');

  // A chip opens the upstream model; Back returns to the list.
  await page.getByTestId('catalog-chip-int_events').click();
  await expect(page).toHaveURL(/[?&]node=int_events/);
  await expect(nodePage).toHaveAttribute('data-node-id', 'model.telemetry_lakehouse.int_events');
  await expect(page.getByTestId('catalog-preview-section')).toHaveCount(0); // not queryable
  await page.getByTestId('catalog-back').click();
  await expect(page.getByTestId('catalog-table')).toBeVisible();
  await expect(page).not.toHaveURL(/node=/);

  // The lineage graph: clicking a node selects it and lights its path.
  await page.getByTestId('catalog-view-graph').click();
  await expect(page).toHaveURL(/[?&]view=graph/);
  const graph = page.getByTestId('lineage-graph');
  await expect(graph.getByTestId('lineage-node-fact_events')).toBeVisible();
  await graph.getByTestId('lineage-node-fact_events').click();
  await expect(page).toHaveURL(/[?&]node=fact_events/);
  await expect(graph.getByTestId('lineage-node-fact_events')).toHaveAttribute(
    'data-selected',
    'true',
  );
  await expect(page.getByTestId('lineage-selected')).toContainText('fact_events');

  // A reload restores the view and the selection.
  await page.reload();
  await expect(page.getByTestId('lineage-graph')).toBeVisible();
  await expect(
    page.getByTestId('lineage-graph').getByTestId('lineage-node-fact_events'),
  ).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('lineage-selected')).toHaveAttribute(
    'data-node-id',
    'model.telemetry_lakehouse.fact_events',
  );

  // From the graph to the node's page, which a reload restores as well.
  await page.getByTestId('lineage-open-node').click();
  await expect(page).not.toHaveURL(/view=graph/);
  await expect(page.getByTestId('catalog-node')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('catalog-node')).toHaveAttribute(
    'data-node-id',
    'model.telemetry_lakehouse.fact_events',
  );
});
