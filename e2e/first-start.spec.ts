// Journey: first start → sign in as the first admin → every section of the app shell.
import { expect, test } from '@playwright/test';
import { ADMIN, loginAs } from './fixtures';

const SECTIONS = [
  { nav: 'nav-dashboards', testId: 'section-dashboards', path: 'dashboards' },
  { nav: 'nav-insights', testId: 'section-insights', path: 'insights' },
  { nav: 'nav-sql', testId: 'section-sql', path: 'sql' },
  { nav: 'nav-ask', testId: 'section-ask', path: 'ask' },
  { nav: 'nav-data', testId: 'section-data', path: 'data' },
  { nav: 'nav-admin', testId: 'section-admin', path: 'admin' },
];

test('first admin signs in and visits every section', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await loginAs(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/w\/demo$/);
  await expect(page.getByTestId('home-dashboard')).toBeVisible();
  for (const s of SECTIONS) {
    await page.getByTestId(s.nav).click();
    await expect(page).toHaveURL(new RegExp(`/w/demo/${s.path}$`));
    await expect(page.getByTestId(s.testId)).toBeVisible();
  }
  // The audit log shows this sign-in.
  await page.getByRole('tab', { name: /Audit log/ }).click();
  await expect(page.getByTestId('audit-table')).toContainText('auth.login');
  await page.screenshot({ path: 'test-results/admin.png', fullPage: true });
});

test('dark mode can be switched on and is remembered', async ({ page }) => {
  await loginAs(page, ADMIN.email, ADMIN.password);
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.getByRole('menuitem', { name: /Dark/ }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.screenshot({ path: 'test-results/dashboards-dark.png', fullPage: true });
});
