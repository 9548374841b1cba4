// Admin → System: an admin sees which implementation runs each part and its health; the tab is
// in the URL. (The e2e server runs the embedded parts.)
import { expect, loginAs, test } from './fixtures';

test('an admin sees each part of the system, its mode and health', async ({ page, seeded }) => {
  await loginAs(page, seeded.users.admin.email, seeded.users.admin.password);
  await page.goto(`/w/${seeded.slug}/admin?tab=system`);
  await expect(page.getByRole('tab', { name: 'System' })).toHaveAttribute('aria-selected', 'true');
  const table = page.getByTestId('system-parts');
  await expect(table).toBeVisible();
  await expect(page.getByTestId('system-part-Metadata')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('system-part-Query engine')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('system-part-Event intake')).toContainText('Write-ahead log');
  await expect(page.getByTestId('system-part-Event intake')).toContainText('KAFKA_BROKERS');
  await expect(page.getByTestId('system-part-Stream writer')).toContainText('not available');
  await expect(page.getByTestId('system-part-Stream writer')).toContainText('KAFKA_BROKERS');
});

// The Spark stream writer reads a Kafka topic: on the embedded intake, Admin → Pipelines says how
// to switch it on instead of offering a Start button that cannot work. (Starting it for real is
// server/ingest/kafka/spark-stream.integration.test.ts, against a broker.)
test('the Spark stream writer says it needs Kafka on the embedded intake', async ({
  page,
  seeded,
}) => {
  await loginAs(page, seeded.users.admin.email, seeded.users.admin.password);
  await page.goto(`/w/${seeded.slug}/admin?tab=pipelines`);
  const card = page.getByTestId('pipelines-stream-card');
  await expect(card.getByTestId('stream-needs-kafka')).toContainText('KAFKA_BROKERS');
  await expect(card.getByTestId('stream-start')).toHaveCount(0);
});
