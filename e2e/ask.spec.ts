// Ask as a PM meets it: after the marts are built, questions in plain English get a chart or a
// number, the table, a sentence on what was computed and the SQL; a follow-up edits the previous
// answer; a question the data cannot answer is refused with questions it can; an answer opens in
// the SQL editor; a reload (the question is in the URL) answers it again. Viewers ask too.
import type { Page } from '@playwright/test';
import { expect, loginAs, test } from './fixtures';
import { buildMarts } from './product-marts';

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

async function ask(page: Page, question: string) {
  const before = await page.getByTestId('ask-turn').count();
  await page.getByTestId('ask-input').fill(question);
  await page.getByTestId('ask-input').press('Enter');
  const turn = page.getByTestId('ask-turn').nth(before);
  await expect(turn).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  return turn;
}

test('a PM asks, follows up, is told what cannot be answered, and opens an answer as SQL', async ({
  page,
  baseURL,
  seeded,
}) => {
  test.setTimeout(360_000);
  await buildMarts(baseURL!, seeded);
  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);
  await page.goto(`/w/${seeded.slug}/ask`);
  await expect(page.getByTestId('ask-example').first()).toBeVisible();
  await shots(page, 'ask-empty');

  // A number: the 12 users of the data signed up in the last 30 days.
  const signups = await ask(page, 'How many users signed up in the last 30 days?');
  const answer = signups.getByTestId('ask-answer');
  await expect(answer.getByTestId('ask-explanation')).toContainText('signed_up');
  await expect(answer.getByTestId('ask-explanation')).toContainText('today included');
  await expect(answer.getByTestId('sql-result-chart')).toHaveAttribute('data-chart-type', 'number');
  await expect(answer.getByTestId('sql-result-chart')).toContainText('12');
  await expect(answer.getByTestId('ask-source')).toHaveText(['fact_events']);
  await expect(page).toHaveURL(/[?&]q=How\+many\+users\+signed\+up/);

  // A ranking as bars, and its table.
  const features = await ask(
    page,
    'Which features were used by the most users in the last 30 days?',
  );
  await expect(features.getByTestId('sql-result-chart')).toHaveAttribute('data-chart-type', 'bar');
  await features.getByTestId('ask-view-table').click();
  // The data's users each use two features, every other day: kanban_board and automations.
  await expect(features.getByTestId('ask-table').locator('tbody tr')).toHaveCount(2);
  await expect(features.getByTestId('ask-table')).toContainText('kanban_board');
  await expect(features).not.toContainText('follow-up');

  // A trend, then a follow-up that turns it weekly.
  const daily = await ask(page, 'Daily active users in the last 2 weeks');
  await expect(daily.getByTestId('sql-result-chart')).toHaveAttribute('data-chart-type', 'line');
  const weekly = await ask(page, 'as a weekly trend');
  await expect(weekly).toContainText('follow-up');
  await expect(weekly.getByTestId('ask-explanation')).toContainText('per week');
  await expect(weekly.getByTestId('ask-sql')).toContainText("date_trunc('week'");
  await shots(page, 'ask-answers');

  // Not in the data: refused, with questions that work; one click asks one.
  const nps = await ask(page, 'What is our net promoter score?');
  await expect(nps.getByTestId('ask-refusal')).toContainText('net promoter score');
  await expect(nps.getByTestId('ask-answer')).toHaveCount(0);
  await nps.getByRole('button', { name: 'Top 5 features by users in the last 30 days' }).click();
  const suggested = page.getByTestId('ask-turn').last();
  await expect(suggested).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(suggested.getByTestId('ask-answer')).toBeVisible();
  await shots(page, 'ask-refusal');

  // Reload: the question in the URL is answered again, in a new conversation.
  await page.reload();
  await expect(page.getByTestId('ask-turn')).toHaveCount(1);
  await expect(page.getByTestId('ask-turn').first()).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('ask-answer')).toBeVisible();

  // The SQL of an answer opens in the editor.
  await page.getByTestId('ask-new-conversation').click();
  await expect(page.getByTestId('ask-turn')).toHaveCount(0);
  const again = await ask(page, 'How many users signed up in the last 30 days?');
  await again.getByTestId('ask-open-sql').click();
  await expect(page).toHaveURL(/\/sql\?sql=/);
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toContainText(
    "e.event_name = 'signed_up'",
  );

  // Viewers ask too; a link with the question answers it.
  await page.context().clearCookies();
  await loginAs(page, seeded.users.viewer.email, seeded.users.viewer.password);
  await page.goto(
    `/w/${seeded.slug}/ask?q=${encodeURIComponent('errors per day in the last 30 days')}`,
  );
  const errors = page.getByTestId('ask-turn').first();
  await expect(errors).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(errors.getByTestId('ask-explanation')).toContainText('error_occurred');
  await expect(errors.getByTestId('sql-result-chart')).toHaveAttribute('data-chart-type', 'line');
});
