// The SQL editor as an analyst meets it: write a query, run it with Ctrl+Enter and read the
// grid; make a typo and see the engine's refusal in the editor; start a query that would run
// forever and cancel it; save a query; find the runs in the history; reload and find the tab
// as it was. A viewer is told the editor is for analysts.
import type { Page } from '@playwright/test';
import { apiSignIn, expect, loginAs, test, trpc } from './fixtures';
import { buildMarts } from './product-marts';

/** With E2E_SHOTS_DIR set, light and dark screenshots of the page at this point (reviews only). */
async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SHOTS_DIR;
  if (!dir) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${dir}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Replaces the editor's text. Focus, not a click: an open completion list may cover the text. */
async function write(page: Page, sql: string) {
  const editor = page.locator('[data-testid="sql-editor"] .cm-content');
  await editor.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await editor.fill(sql);
  // Typing opens the completion list; close it, as a user would before running.
  await page.keyboard.press('Escape');
}

test('an analyst writes, runs, cancels, saves and finds queries again', async ({
  page,
  seeded,
}) => {
  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);
  await page.goto(`/w/${seeded.slug}/sql`);
  await expect(page.getByTestId('sql-workbench')).toBeVisible();
  const result = page.getByTestId('sql-result-panel');

  // Run with the keyboard; the grid shows the rows.
  await write(page, "select range as n, 'row ' || range as label\nfrom range(250)");
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(result).toHaveAttribute('data-loading-state', 'ready');
  await expect(page.getByTestId('sql-result-count')).toHaveText('250 rows');
  await expect(page.getByTestId('sql-grid')).toContainText('row 0');
  await shots(page, 'sql-result');

  // A mistake: the engine's message, in the result panel and on the line in the editor.
  await write(page, 'select *\nfrom bronze.events');
  await page.getByTestId('sql-run').click();
  await expect(result).toHaveAttribute('data-loading-state', 'error');
  await expect(page.getByTestId('sql-error')).toContainText(
    'bronze.events is outside this workspace',
  );
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
  await shots(page, 'sql-error');

  // A query that would run for hours: cancel it.
  await write(page, 'select count(*) from range(1e12::bigint) a');
  await page.getByTestId('sql-run').click();
  await expect(result).toHaveAttribute('data-loading-state', 'loading');
  await page.getByTestId('sql-cancel').click();
  await expect(page.getByTestId('sql-error')).toContainText(/cancelled/i);

  // Script mode: every statement in turn, stopping at the one that fails (underlined).
  await write(page, 'select 1 as a;\nselect bogus_column from range(3);\nselect 3 as c');
  await page.getByTestId('sql-run-script').click();
  const statements = page.getByTestId('sql-script-statement');
  await expect(statements).toHaveCount(3);
  await expect(statements.nth(0)).toHaveAttribute('data-status', 'succeeded');
  await expect(statements.nth(1)).toHaveAttribute('data-status', 'failed');
  await expect(statements.nth(2)).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('sql-error')).toContainText('bogus_column');
  await expect(page.locator('.cm-lintRange-error')).toHaveText('bogus_column');
  await statements.nth(0).click();
  await expect(page.getByTestId('sql-result-count')).toHaveText('1 row');
  await shots(page, 'sql-script');

  // Format rewrites the text in the editor (and the tab keeps it).
  await write(page, 'SELECT 42 AS answer FROM range(1) WHERE range=0');
  await page.getByTestId('sql-format').click();
  const content = page.locator('[data-testid="sql-editor"] .cm-content');
  await expect(content).toContainText('select');
  await expect(content.locator('.cm-line')).toHaveCount(6);
  await expect(content).toContainText('range = 0');

  // Save it as a query of the workspace.
  await write(page, 'select 42 as answer');
  await page.getByTestId('sql-save').click();
  await page.getByLabel('Name').fill('The answer');
  await page.getByLabel('Folder (optional)').fill('Basics');
  await page.getByTestId('sql-save-submit').click();
  await page.getByTestId('sql-panel-saved').click();
  await expect(page.getByTestId('sql-saved')).toContainText('The answer');

  // Every run is in the history, searchable.
  await page.getByTestId('sql-panel-history').click();
  const history = page.getByTestId('sql-history');
  await expect(history).toContainText('from range(250)');
  await expect(history).toContainText('cancelled');
  await page.getByLabel('Search history').fill('bronze');
  await expect(history.locator('li')).toHaveCount(1);

  // The tabs survive a reload.
  await page.reload();
  await expect(page.getByTestId('sql-tab')).toContainText(['The answer']);
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toContainText(
    'select 42 as answer',
  );

  // Run one again from the history: it opens in a new tab and runs.
  await page.getByTestId('sql-panel-history').click();
  await page.getByLabel('Search history').fill('range(250)');
  await expect(history.locator('li')).toHaveCount(1);
  await history.locator('li').hover();
  await history.getByTestId('sql-history-rerun').click();
  await expect(result).toHaveAttribute('data-loading-state', 'ready');
  await expect(page.getByTestId('sql-result-count')).toHaveText('250 rows');
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toContainText(
    'from range(250)',
  );
});

test('an analyst charts a query with parameters and puts it on a dashboard that follows its range', async ({
  page,
  seeded,
  baseURL,
}) => {
  // A dashboard to put it on, over 2026-10-03..05.
  const api = await apiSignIn(baseURL!, seeded.users.analyst.email, seeded.users.analyst.password);
  const dashboard = await trpc<{ id: string }>(
    api,
    'dashboards.create',
    {
      name: 'Early October',
      filters: { dateRange: { kind: 'absolute', from: '2026-10-03', to: '2026-10-05' } },
    },
    seeded.slug,
  );
  await api.dispose();

  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);
  await page.goto(`/w/${seeded.slug}/sql`);
  const result = page.getByTestId('sql-result-panel');
  await write(
    page,
    [
      'select event_date, count(*) as events',
      "from (select date '2026-10-01' + (range % 10)::int as event_date, range as n from range(100))",
      'where {{ filters }} and n >= {{ min_n }}',
      'group by 1 order by 1',
    ].join('\n'),
  );
  // The parameter gets a typed input (a number, by its name); the hook a date range.
  await expect(page.getByTestId('sql-param')).toHaveCount(1);
  await expect(page.getByTestId('sql-param-type-min_n')).toContainText('number');
  await page.getByTestId('sql-param-value-min_n').fill('50');
  await page.getByTestId('sql-run').click();
  await expect(result).toHaveAttribute('data-loading-state', 'ready');
  await expect(page.getByTestId('sql-result-count')).toHaveText('10 rows');
  await page.getByLabel('Filters range from').fill('2026-10-02');
  await page.getByLabel('Filters range to').fill('2026-10-04');
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-result-count')).toHaveText('3 rows');
  await shots(page, 'sql-params');

  // As a chart: a line over the days, suggested from the result.
  await page.getByTestId('sql-view-chart').click();
  const chart = page.getByTestId('sql-result-chart');
  await expect(chart).toHaveAttribute('data-chart-type', 'line');
  await expect(chart.locator('.recharts-line')).toHaveCount(1);
  await page.getByTestId('sql-chart-type-bar').click();
  await expect(chart).toHaveAttribute('data-chart-type', 'bar');
  await shots(page, 'sql-chart');

  // On a dashboard: saved (shared) on the way, then the tile follows the dashboard's range.
  await page.getByTestId('sql-add-to-dashboard').click();
  await page.getByLabel('Name').fill('Events per day');
  await page.getByTestId('sql-save-submit').click();
  const picker = page.getByTestId('sql-add-to-dashboard-dialog');
  await picker.getByTestId('sql-dashboard-option').filter({ hasText: 'Early October' }).click();
  await picker.getByTestId('sql-add-to-dashboard-confirm').click();
  await expect(picker).toBeHidden();

  await page.goto(`/w/${seeded.slug}/dashboards/${dashboard.id}`);
  const tile = page.locator('[data-testid="dashboard-tile"][data-tile-type="query"]');
  await expect(tile).toHaveAttribute('data-loading-state', 'ready');
  await expect(tile).toHaveAttribute('data-range', '2026-10-03..2026-10-05');
  await expect(tile.getByTestId('tile-title')).toHaveText('Events per day');
  await expect(tile.getByTestId('sql-result-chart')).toHaveAttribute('data-chart-type', 'bar');
  await expect(tile.locator('.recharts-bar-rectangle')).toHaveCount(3);
  await shots(page, 'sql-dashboard-tile');

  // The plan, for analysts who want it.
  await page.goto(`/w/${seeded.slug}/sql`);
  await page.getByTestId('sql-explain').click();
  await expect(page.getByTestId('sql-plan')).toContainText('Query plan');
});

test('an analyst explores the schema, writes with autocomplete, fixes a typo from the hint and sorts the result', async ({
  page,
  seeded,
  baseURL,
}) => {
  test.setTimeout(360_000);
  await buildMarts(baseURL!, seeded);
  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);
  await page.goto(`/w/${seeded.slug}/sql`);
  const result = page.getByTestId('sql-result-panel');
  const content = page.locator('[data-testid="sql-editor"] .cm-content');

  // The schema browser lists the marts; filtering narrows it, expanding shows the columns.
  await page.getByTestId('sql-panel-schema').click();
  const schema = page.getByTestId('sql-schema');
  await expect(schema.getByTestId('sql-schema-table-fact_events')).toBeVisible();
  await expect(schema.getByTestId('sql-schema-table-dim_users')).toBeVisible();
  // Beside the marts: the staging models dbt stores and this workspace's raw bronze rows.
  await expect(schema.getByTestId('sql-schema-layer-staging')).toContainText('stg_identity_map');
  await expect(schema.getByTestId('sql-schema-layer-staging')).not.toContainText('stg_events');
  await page.getByLabel('Filter tables and columns').fill('bronze');
  const bronze = schema.getByTestId('sql-schema-layer-bronze');
  await expect(bronze.getByTestId('sql-schema-table-bronze_events')).toContainText('anonymous_id');
  await expect(bronze.getByTestId('sql-schema-table-bronze_events')).not.toContainText(
    'workspace_id',
  );
  await shots(page, 'sql-schema-bronze');
  await page.getByLabel('Filter tables and columns').fill('feature_name');
  await expect(schema.getByTestId('sql-schema-table-dim_users')).toHaveCount(0);
  await page.getByLabel('Filter tables and columns').fill('');
  await schema.getByLabel('Expand dim_users').click();
  const users = schema.getByTestId('sql-schema-table-dim_users');
  await expect(users.locator('li span.font-mono', { hasText: /^plan$/ })).toBeVisible();
  await shots(page, 'sql-schema');

  // Preview: a first look at a table's rows in the result grid.
  const usersName = users.getByRole('button', { name: 'dim_users', exact: true });
  await usersName.hover();
  await schema.getByLabel('Preview dim_users').click();
  await expect(result).toHaveAttribute('data-loading-state', 'ready');
  await expect(page.getByTestId('sql-result-count')).toHaveText('12 rows');

  // Clicking a name inserts it at the cursor.
  await write(page, 'select count(*) from ');
  await page.keyboard.press('End');
  await usersName.click();
  await expect(content).toContainText('select count(*) from dim_users');

  // Autocomplete: a table after FROM, an event name inside a string literal.
  await write(page, '');
  await content.focus();
  await page.keyboard.type('select event_name, count(*) as n from fact_ev');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions.locator('li[aria-selected]')).toContainText('fact_events');
  // CodeMirror ignores Enter for a moment after the list opens (its interactionDelay, 75 ms).
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await page.keyboard.type(" where event_name <> 'onboarding_com");
  await expect(completions.locator('li[aria-selected]')).toContainText('onboarding_completed');
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await expect(content).toContainText(
    "select event_name, count(*) as n from fact_events where event_name <> 'onboarding_completed'",
  );
  await shots(page, 'sql-autocomplete');

  // A misspelt column: the engine's message, underlined where it points, and a plain hint.
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await page.keyboard.type(' group by evnt_name order by n desc');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(result).toHaveAttribute('data-loading-state', 'error');
  await expect(page.getByTestId('sql-error')).toContainText(
    'column evnt_name not found — did you mean event_name?',
  );
  await expect(page.locator('.cm-lintRange-error')).toHaveText('evnt_name');
  // A line longer than the editor scrolls inside it: the editor never pushes over the schema
  // panel, and the page never scrolls sideways.
  const editorBox = (await page.getByTestId('sql-editor').boundingBox())!;
  const schemaBox = (await schema.boundingBox())!;
  expect(editorBox.x + editorBox.width).toBeLessThanOrEqual(schemaBox.x + 1);
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(0);
  await shots(page, 'sql-typo-hint');

  // Fixed as the hint says: it runs; sorting by a header reorders the grid.
  await write(
    page,
    "select event_name, count(*) as n from fact_events where event_name <> 'onboarding_completed' group by event_name order by n desc",
  );
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(result).toHaveAttribute('data-loading-state', 'ready');
  const grid = page.getByTestId('sql-grid');
  await expect(grid).not.toContainText('onboarding_completed');
  const firstCell = grid.locator('[role="row"]').nth(1).locator('[role="cell"]').first();
  const header = grid.getByRole('columnheader', { name: /^event_name/ });
  await header.click();
  await expect(firstCell).toHaveText('error_occurred');
  await header.click();
  await expect(firstCell).toHaveText('teammate_invited');
});

test('a viewer cannot open the SQL editor', async ({ page, seeded }) => {
  await loginAs(page, seeded.users.viewer.email, seeded.users.viewer.password);
  await page.goto(`/w/${seeded.slug}/sql`);
  await expect(page.getByTestId('sql-needs-analyst')).toBeVisible();
  await expect(page.getByTestId('sql-workbench')).toHaveCount(0);
  const res = await page.request.post('/api/trpc/sql.run', {
    data: { json: { sql: 'select 1', runId: crypto.randomUUID() } },
    headers: { 'x-tl-workspace': seeded.slug },
  });
  expect(res.status()).toBe(403);
});
