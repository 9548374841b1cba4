// Dashboards as a PM meets them: an analyst opens the workspace home, creates the "Product
// overview" from its template and sees every tile computed from real events (after a real dbt
// build); changing the dashboard's date range re-runs every tile on the new days. A viewer sees
// the same dashboard without any edit control, and the API refuses their edits.
import { apiSignIn, expect, loginAs, test } from './fixtures';
import { buildMarts, trpcCall } from './product-marts';

const day = (offset: number) =>
  new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

test('the home dashboard shows the product with real numbers; the date range changes every tile', async ({
  page,
  baseURL,
  seeded,
}) => {
  test.setTimeout(360_000);
  await buildMarts(baseURL!, seeded);
  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);

  // No dashboard yet: the home page offers the template.
  await page.goto(`/w/${seeded.slug}`);
  const empty = page.getByTestId('home-empty');
  await expect(empty).toContainText('No home dashboard yet');
  await empty.getByRole('button', { name: 'Create Product overview' }).click();

  await expect(page.getByTestId('dashboard-name')).toHaveText('Product overview');
  await expect(page.getByTestId('dashboard-home-badge')).toBeVisible();
  const tiles = page.getByTestId('dashboard-tile');
  const insightTiles = page.locator('[data-testid="dashboard-tile"][data-tile-type="insight"]');
  await expect(insightTiles).toHaveCount(8);
  // Every insight tile computes on the events above: ready (numbers), none empty or failed.
  const started = Date.now();
  for (const tile of await insightTiles.all())
    await expect(tile).toHaveAttribute('data-loading-state', 'ready', { timeout: 30_000 });
  console.log(`8 tiles ready in ${Date.now() - started} ms (cold, after the page loaded)`);
  await expect(insightTiles.first()).toHaveAttribute('data-range', `${day(29)}..${day(0)}`);
  await expect(page.getByTestId('tile-meta').first()).toContainText('computed');
  // Analysts arrange: every tile has a drag handle.
  await expect(page.getByTestId('tile-drag-handle')).toHaveCount(await tiles.count());

  // The app shell scrolls inside the viewport: a tall one shows the whole dashboard.
  await page.setViewportSize({ width: 1440, height: 2000 });
  // The grid measures its width with a ResizeObserver: let it lay the tiles out again.
  await expect
    .poll(() =>
      page.getByTestId('dashboard-grid').evaluate((g) => g.firstElementChild?.clientWidth),
    )
    .toBeGreaterThan(1100);
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/dashboard-home-light.png' });
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.getByRole('menuitem', { name: /Dark/ }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.screenshot({ path: 'test-results/dashboard-home-dark.png' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.getByRole('menuitem', { name: /Light/ }).click();

  // Last 7 days: every insight tile runs again on the new days.
  await page.getByTestId('dashboard-date-range').click();
  await page.getByTestId('date-range-7').click();
  await expect(page).toHaveURL(/[?&]range=7/);
  for (const tile of await insightTiles.all()) {
    await expect(tile).toHaveAttribute('data-range', `${day(6)}..${day(0)}`, { timeout: 30_000 });
    await expect(tile).toHaveAttribute('data-loading-state', /ready|empty/);
  }
  await expect(page.getByTestId('dashboard-filter-bar')).toContainText('Not saved');

  // Opened again with no new data: answered from the cache.
  await page.reload();
  for (const tile of await insightTiles.all())
    await expect(tile).toHaveAttribute('data-loading-state', /ready|empty/, { timeout: 15_000 });
  await expect(page.getByTestId('tile-cached').first()).toBeVisible();
});

test('a viewer sees the dashboard but cannot edit it, and the API refuses', async ({
  page,
  baseURL,
  seeded,
}) => {
  const analyst = await apiSignIn(
    baseURL!,
    seeded.users.analyst.email,
    seeded.users.analyst.password,
  );
  const created = await trpcCall<{
    id: string;
    tiles: { id: string; x: number; y: number; w: number; h: number }[];
  }>(analyst, 'mutation', 'dashboards.fromTemplate', seeded.slug, { template: 'product-overview' });
  await analyst.dispose();
  const dashboard = created.data!;

  await loginAs(page, seeded.users.viewer.email, seeded.users.viewer.password);
  await page.goto(`/w/${seeded.slug}/dashboards`);
  await expect(page.getByTestId('dashboards-item')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/dashboards-list-viewer.png' });
  await page.getByTestId('dashboards-item').first().click();
  await expect(page.getByTestId('dashboard-name')).toHaveText('Product overview');
  await expect(page.getByTestId('dashboard-tile').first()).toBeVisible();
  await expect(page.getByTestId('dashboard-grid')).toHaveAttribute('data-editable', 'false');
  await expect(page.getByTestId('tile-drag-handle')).toHaveCount(0);
  await expect(page.getByTestId('tile-remove')).toHaveCount(0);
  await expect(page.locator('.react-resizable-handle:visible')).toHaveCount(0);
  await expect(page.getByTestId('dashboard-add-tile')).toHaveCount(0);
  await expect(page.getByTestId('dashboard-menu')).toHaveCount(0);
  await expect(page.getByTestId('dashboards-new')).toHaveCount(0);
  // Viewers may still look at another range (not saved) and pin it as their own home.
  await expect(page.getByTestId('dashboard-pin')).toBeVisible();
  // No marts in this workspace: every insight tile says so instead of drawing nothing.
  await expect(
    page.locator('[data-testid="dashboard-tile"][data-tile-type="insight"]').first(),
  ).toHaveAttribute('data-loading-state', 'error');
  await page.screenshot({ path: 'test-results/dashboard-viewer-no-marts.png' });

  const viewer = await apiSignIn(baseURL!, seeded.users.viewer.email, seeded.users.viewer.password);
  try {
    const layout = await trpcCall(viewer, 'mutation', 'dashboards.updateLayout', seeded.slug, {
      dashboardId: dashboard.id,
      layout: dashboard.tiles.map((t) => ({ id: t.id, x: t.x, y: t.y, w: t.w, h: t.h })),
    });
    expect(layout.status).toBe(403);
    expect(layout.message).toMatch(/needs the analyst role/);
    const del = await trpcCall(viewer, 'mutation', 'dashboards.delete', seeded.slug, {
      id: dashboard.id,
    });
    expect(del.status).toBe(403);
    const pin = await trpcCall(viewer, 'mutation', 'dashboards.pin', seeded.slug, {
      dashboardId: dashboard.id,
    });
    expect(pin.status).toBe(200);
  } finally {
    await viewer.dispose();
  }
});
