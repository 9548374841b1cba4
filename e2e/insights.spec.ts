// Insights as a PM meets them: after the marts are built, an analyst builds a three-step funnel
// with controls only (no SQL), breaks it down by a property, reads the numbers, and a reload —
// the insight lives in the URL — shows the very same numbers. The generated SQL is one click
// away, with "Open in SQL editor" for analysts. Clicking a step lists the users who dropped off
// there; the time-to-convert and over-time views draw the server's histogram and buckets; and
// the analyst defines a cohort and reads its size.
import type { APIRequestContext, Page } from '@playwright/test';
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

/** With E2E_SHOTS_DIR set, light and dark screenshots of the page at this point (reviews only). */
async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SHOTS_DIR;
  if (!dir) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${dir}/${name}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a PM builds a funnel with a breakdown, and the URL restores the same numbers', async ({
  page,
  baseURL,
  seeded,
}) => {
  // A cold dbt build (parse, then every model and test) takes ~30–60 s.
  test.setTimeout(300_000);
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  // Four users sign up (3 on pro, 1 on free); three finish onboarding; two export a report.
  const users = [
    { id: 'fn_1', plan: 'pro', steps: 3 },
    { id: 'fn_2', plan: 'pro', steps: 3 },
    { id: 'fn_3', plan: 'pro', steps: 2 },
    { id: 'fn_4', plan: 'free', steps: 1 },
  ];
  const names = ['signed_up', 'onboarding_completed', 'report_exported'];
  await postEvents(
    baseURL!,
    seeded,
    users.flatMap((u, i) =>
      names.slice(0, u.steps).map((event, k) => ({
        event,
        user_id: u.id,
        timestamp: at(48 - i * 2 - k),
        properties: { plan: u.plan },
      })),
    ),
  );
  const admin = await apiSignIn(baseURL!, seeded.users.admin.email, seeded.users.admin.password);
  try {
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

  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);
  await page.goto(`/w/${seeded.slug}/insights`);
  const chart = page.getByTestId('insight-chart');
  // A fresh visit opens a trend and writes it into the URL.
  await expect(chart).toHaveAttribute('data-loading-state', /ready|empty/, { timeout: 30_000 });
  await expect(page).toHaveURL(/[?&]q=/);

  // Funnels, three steps, picked from the events the workspace has received.
  await page.getByTestId('insight-type-funnels').click();
  await expect(page.getByTestId('insight-type-funnels')).toHaveAttribute('data-state', 'active');
  const pick = async (trigger: string, event: string) => {
    await page.getByTestId(trigger).click();
    await page.getByTestId(`event-option-${event}`).click();
    await expect(page.getByTestId(trigger)).toHaveAttribute('data-value', event);
  };
  await pick('step-0-event', 'signed_up');
  await pick('step-1-event', 'onboarding_completed');
  await page.getByTestId('step-add').click();
  await pick('step-2-event', 'report_exported');
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  const steps = page.getByTestId('funnel-steps');
  await expect(steps.getByTestId('funnel-step-users')).toHaveText(['4', '3', '2']);
  await expect(
    page.getByTestId('funnel-step-2').getByTestId('funnel-step-conversion'),
  ).toContainText('50%');

  // Break it down by the sign-up's plan property.
  await page.getByTestId('breakdown-property').click();
  await page.getByTestId('property-option-event_property-plan').click();
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  const legend = page.getByTestId('chart-legend');
  await expect(legend).toContainText('pro');
  await expect(legend).toContainText('free');
  // The numbers, as a table.
  await page.getByTestId('chart-type-table').click();
  const table = page.getByTestId('funnel-table');
  await expect(table).toBeVisible();
  const before = (await table.textContent()) ?? '';
  expect(before).toContain('pro');
  expect(before).toMatch(/report_exported/);

  // The generated SQL is there on demand, with "Open in SQL editor" for an analyst.
  await page.getByTestId('insight-view-sql').click();
  await expect(page.getByTestId('insight-sql')).toContainText(/select/i);
  await expect(page.getByTestId('insight-open-sql')).toHaveAttribute('href', /\/sql\?sql=/);
  await page.keyboard.press('Escape');

  // Reload: the URL restores the exact insight and its numbers.
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('step-2-event')).toHaveAttribute('data-value', 'report_exported');
  await expect(page.getByTestId('funnel-table')).toHaveText(before);

  // Drill down: without the breakdown, a step's card lists the users who dropped off before it.
  await page.getByTestId('chart-type-funnel').click();
  await page.getByTestId('breakdown-remove').click();
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await page.getByTestId('funnel-step-2-users').click();
  const sheet = page.getByTestId('funnel-users');
  await expect(sheet).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await expect(sheet.getByTestId('funnel-users-total')).toContainText('1 user');
  await expect(sheet.getByTestId('funnel-user')).toHaveText([/fn_3/]);
  await shots(page, 'funnel-users-sheet');
  await sheet.getByTestId('funnel-users-outcome-converted').click();
  await expect(sheet.getByTestId('funnel-users-total')).toContainText('2 users');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  // Time to convert: the server's histogram (view in the query, so in the URL), with the median.
  await page.getByTestId('funnel-view').click();
  await page.getByTestId('funnel-view-time_to_convert').click();
  await expect(page).toHaveURL(/time_to_convert/);
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('funnel-ttc-plot')).toBeVisible();
  await expect(page.getByTestId('funnel-ttc-summary')).toContainText('2 converted');
  await expect(page.getByTestId('funnel-ttc-median')).toContainText(/\d+h/);
  await shots(page, 'funnel-time-to-convert');
  // Breakdowns belong to the steps view: the editor says so instead of offering one.
  await expect(page.getByTestId('funnel-breakdown')).toContainText('Steps view');
  await expect(page.getByTestId('breakdown-property')).toHaveCount(0);

  // Conversion over time, weekly.
  await page.getByTestId('funnel-view').click();
  await page.getByTestId('funnel-view-trends').click();
  await page.getByTestId('funnel-trends-interval').click();
  await page.getByRole('option', { name: 'Weekly' }).click();
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('funnel-over-time-plot')).toBeVisible();
  await expect(page.getByTestId('chart-legend')).toContainText('50%');
  await shots(page, 'funnel-over-time');

  // Cohorts: the analyst defines "Exporters" (did report_exported at least once in 30 days).
  await page.getByTestId('insight-type-cohorts').click();
  await expect(page).toHaveURL(/kind=cohorts/);
  await page.getByTestId('cohort-new').click();
  await expect(page).toHaveURL(/cohort=new/);
  await page.getByTestId('cohort-name').fill('Exporters');
  await page.getByTestId('cohort-group-0-condition-0-event').click();
  await page.getByTestId('event-option-report_exported').click();
  await shots(page, 'cohort-form');
  await page.getByTestId('cohort-save').click();
  const detail = page.getByTestId('cohort-detail');
  await expect(detail).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('cohort-title')).toHaveText('Exporters');
  await expect(page.getByTestId('cohort-size-now')).toHaveText('2');
  await expect(page.getByTestId('cohort-size-over-time')).toHaveAttribute(
    'data-loading-state',
    'ready',
    { timeout: 30_000 },
  );
  await expect(page).toHaveURL(/kind=cohorts&cohort=(?!new)/);
  await shots(page, 'cohort-detail');
  // Listed with its size; and offered as a funnel breakdown.
  await page.getByTestId('cohort-back').click();
  await expect(page.getByTestId('cohort-list')).toContainText('Exporters');
  await expect(page.getByTestId('cohort-size')).toHaveText('2');
  await shots(page, 'cohort-list');
  await page.getByTestId('insight-type-funnels').click();
  await expect(page).not.toHaveURL(/kind=cohorts/);
  await page.getByTestId('funnel-view').click();
  await page.getByTestId('funnel-view-steps').click();
  await page.getByTestId('breakdown-add-cohort').click();
  await page.getByRole('option', { name: 'Exporters' }).click();
  await expect(chart).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('chart-legend')).toContainText('Exporters');
  await shots(page, 'funnel-cohort-breakdown');
});
