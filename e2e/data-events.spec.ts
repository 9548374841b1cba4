// Data → Events as people meet it: events posted with an ingestion key show up in the schema
// registry with their properties; a viewer reads them, an admin describes them.
import { expect, loginAs, postEvents, test } from './fixtures';

test('a PM sees received events and their properties; an admin describes them', async ({
  page,
  browser,
  baseURL,
  seeded,
}) => {
  const now = Date.now();
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  await postEvents(baseURL!, seeded, [
    ...['bulk_edit', 'kanban_board', 'bulk_edit'].map((feature, i) => ({
      event: 'feature_used',
      user_id: `u_${i}`,
      timestamp: at(30 - i),
      properties: { feature_name: feature, duration_ms: 100 * (i + 1) },
    })),
    // plan changes type: the registry flags it.
    { event: 'signed_up', user_id: 'u_9', timestamp: at(20), properties: { plan: 3 } },
    { event: 'signed_up', user_id: 'u_9', timestamp: at(10), properties: { plan: 'pro' } },
  ]);

  // The viewer (a PM) opens Data → Events; the list refreshes itself until the flush lands.
  await loginAs(page, seeded.users.viewer.email, seeded.users.viewer.password);
  await page.goto(`/w/${seeded.slug}/data`);
  // Events is the tab Data opens on; switching tabs is kept in the URL.
  await expect(page.getByTestId('data-tab-events')).toHaveAttribute('data-state', 'active');
  await page.getByTestId('data-tab-catalog').click();
  await expect(page).toHaveURL(/tab=catalog/);
  await page.getByTestId('data-tab-events').click();
  await expect(page).toHaveURL(/tab=events/);
  const row = page.getByTestId('event-row-feature_used');
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('events-table')).toBeVisible();
  await expect(row).toContainText('3');
  await expect(page.getByTestId('event-type-change-signed_up')).toBeVisible();
  await expect(page.getByTestId('event-type-change-feature_used')).toHaveCount(0);

  await page.getByTestId('events-search').fill('signed');
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('event-row-signed_up')).toBeVisible();
  await page.getByTestId('events-search').fill('');

  await row.click();
  await expect(page).toHaveURL(/event=feature_used/);
  const featureName = page.getByTestId('property-row-feature_name');
  await expect(featureName).toContainText('string');
  await expect(featureName).toContainText('"bulk_edit"');
  await expect(featureName).toContainText('kanban_board');
  await expect(page.getByTestId('property-row-duration_ms')).toContainText('number');
  // Viewers read descriptions; they cannot edit them.
  await expect(page.getByTestId('event-description')).toHaveText('No description');
  await expect(page.getByTestId('event-description-edit')).toHaveCount(0);

  // The URL restores the selection.
  await page.reload();
  await expect(page.getByTestId('property-row-feature_name')).toBeVisible();

  // An admin describes the event and a property; both persist.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await loginAs(admin, seeded.users.admin.email, seeded.users.admin.password);
  await admin.goto(`/w/${seeded.slug}/data?tab=events&event=signed_up`);
  await expect(admin.getByTestId('property-type-change-plan')).toBeVisible();
  await admin.getByTestId('event-description-edit').click();
  await admin.getByTestId('event-description-input').fill('A new account was created.');
  await admin.getByTestId('event-description-save').click();
  await expect(admin.getByTestId('event-description')).toHaveText('A new account was created.');
  await admin.getByTestId('property-description-plan-edit').click();
  await admin.getByTestId('property-description-plan-input').fill('Plan chosen at signup');
  await admin.getByTestId('property-description-plan-input').press('Enter');
  await expect(admin.getByTestId('property-description-plan')).toHaveText('Plan chosen at signup');
  // Cancel leaves the stored text alone.
  await admin.getByTestId('event-description-edit').click();
  await admin.getByTestId('event-description-input').fill('discarded');
  await admin.getByTestId('event-description-cancel').click();
  await expect(admin.getByTestId('event-description')).toHaveText('A new account was created.');

  await admin.reload();
  await expect(admin.getByTestId('event-description')).toHaveText('A new account was created.');
  await expect(admin.getByTestId('property-description-plan')).toHaveText('Plan chosen at signup');
  await expect(admin.getByTestId('event-row-signed_up')).toContainText(
    'A new account was created.',
  );
  await adminContext.close();

  // The viewer sees the admin's words.
  await page.goto(`/w/${seeded.slug}/data?event=signed_up`);
  await expect(page.getByTestId('event-description')).toHaveText('A new account was created.');
});
