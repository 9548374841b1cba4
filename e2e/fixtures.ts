// e2e fixtures: each test seeds its own workspace and users through the product's own HTTP API
// (Better Auth sign-in, tRPC), then signs in through the login page like a person.
import { randomBytes } from 'node:crypto';
import { test as base, expect, request, type APIRequestContext, type Page } from '@playwright/test';

export const ADMIN = { email: 'admin@example.com', password: 'e2e-admin-password' };
export const PASSWORD = 'e2e-user-password';

type Role = 'viewer' | 'analyst' | 'admin';

export async function trpc<T>(
  api: APIRequestContext,
  path: string,
  input: unknown,
  workspace?: string,
): Promise<T> {
  const res = await api.post(`/api/trpc/${path}`, {
    data: { json: input },
    headers: workspace ? { 'x-tl-workspace': workspace } : {},
  });
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string } };
  };
  if (!res.ok() || !body.result)
    throw new Error(`${path} failed: ${res.status()} ${body.error?.json.message}`);
  return body.result.data.json;
}

export async function apiSignIn(
  baseURL: string,
  email: string,
  password: string,
): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const res = await api.post('/api/auth/sign-in/email', { data: { email, password } });
  if (!res.ok()) throw new Error(`sign-in as ${email} failed: ${res.status()}`);
  return api;
}

export interface SeededWorkspace {
  slug: string;
  name: string;
  users: Record<Role, { email: string; password: string }>;
  invite(email: string, role: Role): Promise<string>;
}

export async function loginAs(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByTestId('login-submit').click();
  // Signing in lands on the workspace home (the member's pinned dashboard).
  await expect(page).toHaveURL(/\/w\/[a-z0-9-]+$/);
}

export const test = base.extend<{ seeded: SeededWorkspace }>({
  seeded: async ({ baseURL }, use) => {
    const id = randomBytes(4).toString('hex');
    const admin = await apiSignIn(baseURL!, ADMIN.email, ADMIN.password);
    const ws = await trpc<{ slug: string; name: string }>(admin, 'me.createWorkspace', {
      name: `E2E ${id}`,
      slug: `e2e-${id}`,
    });
    const anon = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
    const invite = async (email: string, role: Role) =>
      (await trpc<{ url: string }>(admin, 'admin.invitations.create', { email, role }, ws.slug))
        .url;
    const users = {} as SeededWorkspace['users'];
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const email = `${role}-${id}@example.com`;
      const token = (await invite(email, role)).split('/invite/')[1];
      await trpc(anon, 'invitation.accept', {
        token,
        name: `${role[0]!.toUpperCase()}${role.slice(1)} ${id}`,
        password: PASSWORD,
      });
      users[role] = { email, password: PASSWORD };
    }
    await use({ slug: ws.slug, name: ws.name, users, invite });
    await admin.dispose();
    await anon.dispose();
  },
});

/**
 * Creates an ingestion key as the workspace's admin and posts `batch` (envelope events) to
 * /api/v1/batch with it. The server flushes to the lake every 2 s, so callers poll for results.
 */
export async function postEvents(
  baseURL: string,
  seeded: SeededWorkspace,
  batch: unknown[],
): Promise<void> {
  const api = await apiSignIn(baseURL, seeded.users.admin.email, seeded.users.admin.password);
  try {
    const key = await trpc<{ secret: string }>(
      api,
      'admin.apiKeys.create',
      { name: 'e2e events' },
      seeded.slug,
    );
    const res = await api.post('/api/v1/batch', {
      data: { batch },
      headers: { authorization: `Bearer ${key.secret}` },
    });
    if (!res.ok())
      throw new Error(`POST /api/v1/batch failed: ${res.status()} ${await res.text()}`);
  } finally {
    await api.dispose();
  }
}

export { expect };
