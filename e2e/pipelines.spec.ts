// Admin → Pipelines as an admin meets it on a fresh workspace: no runs yet, events arrive, a
// dbt build is started from the page, its progress and log stream in, and the result (status
// and per-node table) shows; the run's detail is then opened straight from its URL. A second run
// on more data follows, and the first run's fact_events stays readable "as of" that run.
import { expect, loginAs, postEvents, test } from './fixtures';

test('an admin builds the marts with dbt, reads the run from its URL, and an earlier run stays readable', async ({
  page,
  baseURL,
  seeded,
}) => {
  // A cold dbt build (parse, then every model and test) takes ~30–60 s on CI; this test runs two.
  test.setTimeout(360_000);
  await loginAs(page, seeded.users.admin.email, seeded.users.admin.password);
  await page.goto(`/w/${seeded.slug}/admin?tab=pipelines`);
  await expect(page.getByRole('tab', { name: 'Pipelines' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  // Rendered on the client after the run list loaded, so the page is hydrated from here on.
  await expect(page.getByTestId('pipelines-empty')).toContainText('No dbt runs yet');
  await expect(page.getByTestId('pipeline-selector')).toHaveAttribute(
    'placeholder',
    /\+fact_events/,
  );

  // Some events for the build to read: two users over the last days.
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  await postEvents(baseURL!, seeded, [
    { event: 'signed_up', user_id: 'pl_1', timestamp: at(50), properties: { plan: 'free' } },
    { event: 'signed_up', user_id: 'pl_2', timestamp: at(40), properties: { plan: 'pro' } },
    ...['bulk_edit', 'kanban_board', 'bulk_edit', 'reports'].map((feature, i) => ({
      event: 'feature_used',
      user_id: `pl_${(i % 2) + 1}`,
      timestamp: at(30 - i * 5),
      properties: { feature_name: feature, duration_ms: 100 * (i + 1) },
    })),
  ]);

  // Start a build of everything (Enter in the selector submits).
  await page.getByTestId('pipeline-selector').press('Enter');
  const panel = page.getByTestId('run-panel');
  await expect(panel).toBeVisible();
  await expect(page).toHaveURL(/[?&]run=[0-9a-f-]{36}/);
  const runId = await panel.getAttribute('data-run-id');
  expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  // While it is queued or running, the Run button waits and the progress shows.
  await expect(page.getByTestId('pipeline-run')).toBeDisabled();
  await expect(page.getByTestId('run-progress')).toBeVisible();
  await expect(page.getByTestId('pipelines-history')).toContainText(seeded.users.admin.email);

  // dbt's log streams in (live, or stored once the run is over).
  await expect(page.getByTestId('run-log').locator('[data-level]').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId('run-log')).toContainText(/Running with dbt|Found \d+ model/i);

  // The result: a status badge and the per-node results.
  await expect(page.getByTestId('run-status')).toHaveAttribute(
    'data-status',
    /succeeded|failed|cancelled/,
    { timeout: 180_000 },
  );
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
  const nodes = page.getByTestId('run-nodes');
  await expect(nodes).toBeVisible();
  await expect(nodes.locator('tbody tr').first()).toBeVisible();
  await expect(nodes).toContainText('model');
  await expect(nodes).toContainText('test');
  await expect(page.getByTestId('run-progress-count')).toHaveText(/^(\d+) \/ \1$/);
  // The first successful build is the one queries read.
  await expect(page.getByTestId('run-current')).toBeVisible();
  await expect(page.getByTestId(`pipelines-run-${runId}`)).toContainText('current');
  await expect(page.getByTestId('pipeline-run')).toBeEnabled();
  await expect(page.getByTestId('pipelines-empty')).toHaveCount(0);

  // The run's detail straight from its URL (a link or a reload restores it).
  await page.goto(`/w/${seeded.slug}/admin?tab=pipelines&run=${runId}`);
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-run-id', runId!);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('run-nodes').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('run-log')).toContainText(
    /Completed successfully|Finished running/i,
  );
  await expect(page.getByTestId(`pipelines-run-${runId}`)).toHaveAttribute('aria-selected', 'true');
  // A second build while none is running can be started; the schedule card is there too.
  await expect(page.getByTestId('pipeline-schedule')).toContainText('No schedule yet');

  // A second run on more data: the first run's marts stay kept next to the new ones.
  await postEvents(baseURL!, seeded, [
    {
      event: 'feature_used',
      user_id: 'pl_3',
      timestamp: new Date(Date.now() - 3_600_000).toISOString(),
      properties: { feature_name: 'bulk_edit', duration_ms: 50 },
    },
  ]);
  await page.getByTestId('pipeline-run').click();
  await expect(page.getByTestId('run-panel')).not.toHaveAttribute('data-run-id', runId!);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', {
    timeout: 180_000,
  });

  // The mart's page offers the kept versions; the current one is shown first.
  await page.goto(`/w/${seeded.slug}/data?tab=catalog&node=fact_events`);
  const picker = page.getByTestId('catalog-as-of');
  await expect(picker).toContainText('current');
  await expect(page.getByTestId('catalog-preview')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('catalog-as-of-banner')).toHaveCount(0);
  await expect(page.getByTestId('catalog-preview')).toContainText('pl_3');

  // Pick the earlier run: a banner says so, and its rows do not have the newer event.
  await picker.click();
  const older = page.locator('[data-testid^="catalog-as-of-"]:not([data-testid$="-current"])');
  await older.first().click();
  await expect(page).toHaveURL(/[?&]asOf=[0-9a-f-]{36}/);
  await expect(page.getByTestId('catalog-as-of-banner')).toContainText('not the current data');
  await expect(page.getByTestId('catalog-preview')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('catalog-preview')).not.toContainText('pl_3');

  // The URL restores the choice; "Back to current" returns to today's data.
  await page.reload();
  await expect(page.getByTestId('catalog-as-of-banner')).toBeVisible();
  await page.getByRole('button', { name: 'Back to current' }).click();
  await expect(page).not.toHaveURL(/asOf=/);
  await expect(page.getByTestId('catalog-preview')).toContainText('pl_3');

  // A link to a version that is no longer kept says so and shows the current data.
  await page.goto(
    `/w/${seeded.slug}/data?tab=catalog&node=fact_events&asOf=01a21652-0000-7000-8000-000000000000`,
  );
  await expect(page.getByTestId('catalog-as-of-gone')).toContainText('no longer kept');
  await expect(page.getByTestId('catalog-preview')).toContainText('pl_3');
});
