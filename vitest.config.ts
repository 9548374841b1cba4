import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (pure logic, colocated *.test.ts) and `integration` (*.integration.test.ts,
// real PGlite/PostgreSQL/DuckDB). e2e is Playwright (playwright.config.ts).
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**', '.next/**', 'e2e/**', 'dist/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['**/*.integration.test.ts'],
          exclude: ['node_modules/**', '.next/**', 'e2e/**', 'dist/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite and DuckDB are heavy; keep files in few workers on 2 cores.
          maxWorkers: 2,
          server: { deps: { inline: [/server\/db\/generated/] } },
        },
      },
    ],
  },
});
