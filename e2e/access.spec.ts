// Access control and bad input as a person meets them in the browser.
import { expect, loginAs, test } from './fixtures';

test('a wrong password shows a clear error and keeps you on the sign-in page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText(/wrong email or password/i);
  await expect(page).toHaveURL(/\/login/);
});

test('signed-out visitors are sent to sign in and come back after', async ({ page, seeded }) => {
  await page.goto(`/w/${seeded.slug}/sql`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(seeded.users.analyst.email);
  await page.getByLabel('Password').fill(seeded.users.analyst.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(new RegExp(`/w/${seeded.slug}/sql`));
});

test('a viewer sees no Admin and cannot use admin procedures', async ({ page, seeded }) => {
  await loginAs(page, seeded.users.viewer.email, seeded.users.viewer.password);
  await page.goto(`/w/${seeded.slug}/dashboards`);
  await expect(page.getByTestId('nav-dashboards')).toBeVisible();
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
  await page.goto(`/w/${seeded.slug}/admin`);
  await expect(page.getByTestId('admin-forbidden')).toBeVisible();
  const res = await page.request.get(`/api/trpc/admin.members.list`, {
    headers: { 'x-tl-workspace': seeded.slug },
  });
  expect(res.status()).toBe(403);
  expect(JSON.stringify(await res.json())).toMatch(/needs the admin role/);
});

test('an admin invites a teammate who joins and signs in with the invited role', async ({
  page,
  browser,
  seeded,
}) => {
  await loginAs(page, seeded.users.admin.email, seeded.users.admin.password);
  await page.goto(`/w/${seeded.slug}/admin`);
  await page.getByRole('tab', { name: /Invitations/ }).click();
  const email = `teammate-${Date.now()}@example.com`;
  await page.getByLabel('Email').fill(email);
  await page.getByTestId('invite-submit').click();
  const url = await page.getByTestId('invite-url').inputValue();
  expect(url).toContain('/invite/');

  const other = await browser.newContext();
  const invitee = await other.newPage();
  await invitee.goto(url.replace(/^https?:\/\/[^/]+/, ''));
  await invitee.getByLabel('Your name').fill('Teammate');
  await invitee.getByLabel('Choose a password').fill('teammate-password');
  await invitee.getByRole('button', { name: /Create account and join/ }).click();
  await expect(invitee).toHaveURL(new RegExp(`/w/${seeded.slug}$`));
  await expect(invitee.getByTestId('nav-admin')).toHaveCount(0);
  await other.close();

  await page.getByRole('tab', { name: /Members/ }).click();
  await expect(page.getByTestId(`member-${email}`)).toContainText('viewer');
});

test('unknown pages and API routes answer 404 with guidance', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByText('Page not found')).toBeVisible();
  const api = await page.request.get('/api/nope');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
});

test('a user changes their password from the user menu and signs in with the new one', async ({
  page,
  seeded,
}) => {
  const { email, password } = seeded.users.analyst;
  await loginAs(page, email, password);
  await page.getByTestId('user-menu').click();
  await page.getByTestId('change-password').click();
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
  await page.getByLabel('Repeat new password').fill('a-brand-new-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/Password changed/)).toBeVisible();
  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login/);
  await loginAs(page, email, 'a-brand-new-password');
});
