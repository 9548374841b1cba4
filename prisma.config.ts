// Prisma CLI configuration. Only `prisma generate` runs here (offline); the app applies
// migrations itself (server/db/migrator.ts). The URL is only for tooling on machines with internet.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
