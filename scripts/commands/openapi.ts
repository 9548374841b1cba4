// `tl openapi`: writes docs/openapi.json from the collector's zod schemas
// (server/ingest/collector/openapi.ts); `--check` exits 1 when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { openApiText } from '../../server/ingest/collector/openapi';
import { writeStdout } from './shared/cli-output';

export const OPENAPI_FILE = 'docs/openapi.json';

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description(`Write the capture API's OpenAPI document to ${OPENAPI_FILE}`)
    .option('--check', 'only compare: exit 1 when the file differs from the code')
    .action(async (options: { check?: boolean }) => {
      const text = openApiText();
      if (options.check) {
        const current = await readFile(OPENAPI_FILE, 'utf8').catch(() => '');
        const fresh = current === text;
        await writeStdout(
          fresh
            ? `${OPENAPI_FILE} is up to date\n`
            : `${OPENAPI_FILE} is stale: run npm run tl -- openapi\n`,
        );
        process.exitCode = fresh ? 0 : 1;
        return;
      }
      await writeFile(OPENAPI_FILE, text);
      await writeStdout(`wrote ${OPENAPI_FILE}\n`);
      process.exitCode = 0;
    });
}
