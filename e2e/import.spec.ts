// Admin → Ingestion → Import files as an admin meets it: pick an NDJSON and a CSV file, watch the
// upload and the import, read the summary (with the reason for each rejected row), then find the
// imported events in Data → Events.
import { expect, loginAs, test } from './fixtures';

test('an admin imports NDJSON and CSV files and sees a summary with the rejections', async ({
  page,
  seeded,
}) => {
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  const ndjson = [
    { event: 'workspace_imported', user_id: 'imp_1', timestamp: day(3), properties: { rows: 10 } },
    { event: 'workspace_imported', user_id: 'imp_2', timestamp: day(2), properties: { rows: 20 } },
    { event: 'workspace_imported', timestamp: day(1) },
  ]
    .map((e) => JSON.stringify(e))
    .join('\n');
  const csv = [
    'event,user_id,timestamp,country',
    `workspace_imported,imp_3,${day(1).slice(0, 19).replace('T', ' ')},DE`,
    'workspace_imported,imp_4,not-a-time,FR',
  ].join('\n');

  await loginAs(page, seeded.users.admin.email, seeded.users.admin.password);
  await page.goto(`/w/${seeded.slug}/admin?tab=ingestion`);
  const card = page.getByTestId('import-files');
  await expect(card).toBeVisible();
  // The card is server-rendered; a file chosen before hydration has no handler yet, so choose
  // again until the selection shows (a person would simply pick the files again).
  await expect(async () => {
    await page.getByTestId('import-file-input').setInputFiles([
      { name: 'accounts.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) },
      { name: 'legacy.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) },
    ]);
    await expect(page.getByTestId('import-selected')).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(page.getByTestId('import-selected')).toContainText('accounts.ndjson');
  await expect(page.getByTestId('import-selected')).toContainText('legacy.csv');
  await page.getByTestId('import-start').click();

  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-job-state')).toHaveText('done');
  await expect(summary).toContainText(/Events\s*3/);
  await expect(summary).toContainText(/Rejected\s*2/);
  const reasons = page.getByTestId('import-rejections');
  await expect(reasons).toContainText('user_id or anonymous_id is required');
  await expect(reasons).toContainText('timestamp');
  await expect(page.getByTestId('import-history')).toContainText(seeded.users.admin.email);
  // The rejected rows wait in Rejected events for a fix.
  await expect(page.getByTestId('dead-letters')).toContainText('user_id or anonymous_id', {
    timeout: 15_000,
  });

  // The imported events reach the schema registry once the flush lands.
  await page.goto(`/w/${seeded.slug}/data?tab=events&event=workspace_imported`);
  await expect(page.getByTestId('event-row-workspace_imported')).toContainText('3', {
    timeout: 30_000,
  });
});

test('a file type that cannot be imported is refused before anything is uploaded', async ({
  page,
  seeded,
}) => {
  await loginAs(page, seeded.users.admin.email, seeded.users.admin.password);
  await page.goto(`/w/${seeded.slug}/admin?tab=ingestion`);
  // As above: choose again if the first choice came before hydration.
  await expect(async () => {
    await page
      .getByTestId('import-file-input')
      .setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
    await expect(page.getByText(/Not importable: notes\.txt/).first()).toBeVisible({
      timeout: 1000,
    });
  }).toPass();
  await expect(page.getByTestId('import-start')).toHaveCount(0);
});
