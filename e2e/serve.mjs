// Starts the production server for e2e on a fresh data directory with a known first-admin
// password, exactly as `npm start` would (bootstrap has already built the app).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data-e2e');
rmSync(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    TL_DATA_DIR: dataDir,
    PORT: process.env.E2E_PORT ?? '3100',
    HOST: '127.0.0.1',
    TL_ADMIN_EMAIL: 'admin@example.com',
    TL_ADMIN_PASSWORD: 'e2e-admin-password',
    LOG_LEVEL: 'warn',
    // e2e fixtures seed their own data; the demo load would compete for the CPU at start.
    TL_DEMO_DATA: '0',
    // Every spec signs in from 127.0.0.1; the per-IP sign-in limit (10/min by default) is
    // exercised by server/auth/auth-flows.integration.test.ts, not by the journeys here.
    TL_LOGIN_RATE_LIMIT: '1000',
  },
});
const stop = () => child.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => process.exit(code ?? 0));
