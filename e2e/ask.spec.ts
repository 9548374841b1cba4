// Ask as a PM meets it: after the marts are built, questions in plain English get a chart or a
// number, the table, a sentence on what was computed and the SQL; a follow-up edits the previous
// answer; a question the data cannot answer is refused with questions it can; an answer opens in
// the SQL editor; a reload (the conversation is in the URL) shows it again. Viewers ask too.
// Then feedback: a thumbs down with a correction is answered at once and teaches later questions;
// an answer opens as an editable insight and is pinned to a dashboard; the history reopens a
// conversation; and the Ask drawer answers from any page (Ctrl+J).
import type { Page } from '@playwright/test';
import { apiSignIn, expect, loginAs, test } from './fixtures';
import { buildMarts, trpcCall } from './product-marts';

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
  // A new member's history says what it will hold.
  await page.getByTestId('ask-history-toggle').click();
  await expect(page.getByTestId('ask-history')).toContainText('No conversations yet');
  await shots(page, 'ask-history-empty');
  await page.getByTestId('ask-history-toggle').click();
  await expect(page.getByTestId('ask-history')).toHaveCount(0);

  // A number: the 12 users of the data signed up in the last 30 days.
  const signups = await ask(page, 'How many users signed up in the last 30 days?');
  const answer = signups.getByTestId('ask-answer');
  await expect(answer.getByTestId('ask-explanation')).toContainText('signed_up');
  await expect(answer.getByTestId('ask-explanation')).toContainText('today included');
  await expect(answer.getByTestId('sql-result-chart')).toHaveAttribute('data-chart-type', 'number');
  await expect(answer.getByTestId('sql-result-chart')).toContainText('12');
  await expect(answer.getByTestId('ask-source')).toHaveText(['fact_events']);
  await expect(page).toHaveURL(/[?&]c=[\w-]+/);

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
  // Its headline says the data lacks it (not that the question was misread).
  await expect(nps.getByTestId('ask-refusal')).toContainText('I can’t answer that from the data.');
  await expect(nps.getByTestId('ask-answer')).toHaveCount(0);
  await nps.getByRole('button', { name: 'Top 5 features by users in the last 30 days' }).click();
  const suggested = page.getByTestId('ask-turn').last();
  await expect(suggested).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(suggested.getByTestId('ask-answer')).toBeVisible();
  await shots(page, 'ask-refusal');

  // Reload: the conversation in the URL comes back from the history, every turn of it.
  await page.reload();
  await expect(page.getByTestId('ask-turn')).toHaveCount(6, { timeout: 30_000 });
  await expect(page.getByTestId('ask-turn').nth(3)).toContainText('as a weekly trend');
  await expect(page.getByTestId('ask-answer')).toHaveCount(5);

  // The SQL of an answer opens in the editor.
  await page.getByTestId('ask-new-conversation').click();
  await expect(page.getByTestId('ask-turn')).toHaveCount(0);
  const again = await ask(page, 'How many users signed up in the last 30 days?');
  // The link carries the SQL; the editor opens it in a tab and drops ?sql= from the URL at once
  // (so a reload does not open it twice) — asserting the URL with ?sql= after the click raced that.
  await expect(again.getByTestId('ask-open-sql')).toHaveAttribute('href', /\/sql\?sql=/);
  await again.getByTestId('ask-open-sql').click();
  await expect(page).toHaveURL(/\/sql$/);
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

test('feedback teaches Ask; answers open as insights, pin to dashboards, come back from history, and the drawer asks from any page', async ({
  page,
  baseURL,
  seeded,
}) => {
  test.setTimeout(360_000);
  await buildMarts(baseURL!, seeded);
  const api = await apiSignIn(baseURL!, seeded.users.analyst.email, seeded.users.analyst.password);
  const created = await trpcCall<{ id: string }>(
    api,
    'mutation',
    'dashboards.create',
    seeded.slug,
    {
      name: 'Growth',
    },
  );
  await api.dispose();
  expect(created.message).toBeUndefined();
  await loginAs(page, seeded.users.analyst.email, seeded.users.analyst.password);
  await page.goto(`/w/${seeded.slug}/ask`);

  // Page views are read as events; the PM meant people, and says so.
  const views = await ask(page, 'How many page views in the last 30 days?');
  await expect(views.getByTestId('ask-explanation')).toContainText('page_viewed events');
  await views.getByTestId('ask-thumbs-down').click();
  const form = views.getByTestId('ask-correction-form');
  // A correction Ask cannot answer either is refused, with the reason.
  await form.getByTestId('ask-correction-input').fill('What is our NPS in the last 30 days?');
  await form.getByTestId('ask-correction-submit').click();
  await expect(form.getByTestId('ask-correction-error')).toContainText('cannot answer');
  await form
    .getByTestId('ask-correction-input')
    .fill('How many users viewed pages in the last 30 days?');
  await form.getByTestId('ask-correction-submit').click();
  await expect(views.getByTestId('ask-thumbs-down')).toHaveAttribute('aria-pressed', 'true');
  const corrected = page.getByTestId('ask-turn').nth(1);
  await expect(corrected).toContainText('Your correction:');
  await expect(corrected.getByTestId('sql-result-chart')).toContainText('12');
  await shots(page, 'ask-feedback');

  // Another wording read the same way is now answered as the correction, and says why.
  const reworded = await ask(page, 'Number of pages viewed in the last 30 days');
  await expect(reworded.getByTestId('ask-notes')).toContainText('a teammate corrected');
  await expect(reworded.getByTestId('sql-result-chart')).toContainText('12');
  await reworded.getByTestId('ask-thumbs-up').click();
  await expect(reworded.getByTestId('ask-thumbs-up')).toHaveAttribute('aria-pressed', 'true');

  // A share is not a trends insight: the button says why instead.
  const share = await ask(
    page,
    'What share of users who signed up in the last 30 days completed onboarding?',
  );
  await expect(share.getByTestId('ask-open-insight-unavailable')).toBeVisible();

  // Pinned to a dashboard as an insight tile.
  const daily = await ask(page, 'Daily signups in the last 2 weeks');
  await daily.getByTestId('ask-pin').click();
  await page.getByRole('menuitem', { name: 'Growth' }).click();
  await expect(page.getByText('Pinned to “Growth”.')).toBeVisible();
  const conversation = page.url();

  // Opened as an editable insight: the same daily signups on the Insights page.
  await daily.getByTestId('ask-open-insight').click();
  await expect(page).toHaveURL(/\/insights\?q=/);
  await expect(page.getByTestId('insight-chart')).toHaveAttribute('data-loading-state', 'ready', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('insight-chart')).toContainText('signed_up');
  await shots(page, 'ask-as-insight');

  await page.goto(`/w/${seeded.slug}/dashboards/${created.data!.id}`);
  const tile = page.locator('[data-testid="dashboard-tile"][data-tile-type="insight"]');
  await expect(tile).toHaveCount(1);
  await expect(tile).toContainText('Daily signups in the last 2 weeks');

  // History: the conversation is listed and reopens with its feedback.
  await page.goto(`/w/${seeded.slug}/ask`);
  await page.getByTestId('ask-history-toggle').click();
  await expect(page.getByTestId('ask-history-item').first()).toContainText(
    'How many page views in the last 30 days?',
  );
  await page.getByTestId('ask-history-item').first().click();
  await expect(page.getByTestId('ask-turn')).toHaveCount(4);
  await expect(page).toHaveURL(conversation);
  await expect(page.getByTestId('ask-turn').first().getByTestId('ask-thumbs-down')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByTestId('ask-turn').nth(1).getByTestId('ask-thumbs-up')).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // The drawer, from another page: Ctrl+J, a question, closed and reopened with the answer kept.
  await page.goto(`/w/${seeded.slug}/data`);
  await page.keyboard.press('Control+j');
  const drawer = page.getByTestId('ask-drawer');
  await expect(drawer).toBeVisible();
  await drawer.getByTestId('ask-input').fill('How many users signed up in the last 30 days?');
  await drawer.getByTestId('ask-input').press('Enter');
  await expect(drawer.getByTestId('ask-turn').first()).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  });
  await expect(drawer.getByTestId('sql-result-chart')).toContainText('12');
  await shots(page, 'ask-drawer');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await page.getByTestId('ask-drawer-button').click();
  await expect(page.getByTestId('ask-drawer').getByTestId('ask-turn')).toHaveCount(1, {
    timeout: 30_000,
  });
  await expect(page).toHaveURL(/\/data/);
});
