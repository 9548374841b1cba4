#!/usr/bin/env node
// Screenshots of every section for review and for the README:
//   node scripts/screenshots.mjs [baseUrl] [email] [password] [outDir]
// Uses Debian's Chromium through playwright-core (no browser download).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium-options.mjs';

const [
  baseUrl = 'http://localhost:3000',
  email = 'admin@example.com',
  password,
  outDir = 'test-results/screens',
] = process.argv.slice(2);
if (!password) {
  console.error('usage: node scripts/screenshots.mjs <baseUrl> <email> <password> [outDir]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch(chromiumLaunchOptions);
for (const scheme of ['light', 'dark']) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: scheme,
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  if (scheme === 'light') await page.screenshot({ path: path.join(outDir, `login-${scheme}.png`) });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/w\/[^/]+/);
  const slug = new URL(page.url()).pathname.split('/')[2];
  for (const section of ['dashboards', 'insights', 'sql', 'ask', 'data', 'admin']) {
    await page.goto(`${baseUrl}/w/${slug}/${section}`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(outDir, `${section}-${scheme}.png`) });
  }
  await context.close();
}
await browser.close();
console.log(`screenshots in ${outDir}`);
