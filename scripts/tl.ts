// The `tl` command-line tool (`npm run tl -- <command>`). This file only builds the program;
// each command lives in scripts/commands/<name>.ts and registers itself here. Not obvious:
// stdout belongs to command output (one JSON line with --json), so logs and commander's own
// messages go to stderr, and errors in --json mode are JSON on stdout with exit code 1.
import { Command, CommanderError } from 'commander';
import { registerAskCommand } from './commands/ask';
import { registerBenchCommand } from './commands/bench';
import { registerDbtCommand } from './commands/dbt';
import { registerGenerateCommand } from './commands/generate';
import { registerImportCommand } from './commands/import';
import { registerOpenApiCommand } from './commands/openapi';
import { registerQueryCommand } from './commands/query';
import { writeStdout } from './commands/shared/cli-output';

/** One entry per file in scripts/commands/. */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerQueryCommand,
  registerGenerateCommand,
  registerImportCommand,
  registerBenchCommand,
  registerDbtCommand,
  registerOpenApiCommand,
  registerAskCommand,
];

export function buildProgram(): Command {
  const program = new Command('tl')
    .description('Telemetry Lakehouse command-line tool')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  // Commands settle process.exitCode themselves; the unref'd timer only guards against a
  // stray handle (a driver thread, an open socket) keeping a finished CLI alive.
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode !== 0 && argv.includes('--json')) {
      await writeStdout(
        `${JSON.stringify({ error: { code: 'BAD_REQUEST', message: error.message } })}\n`,
      );
    }
    process.exitCode = error.exitCode === 0 ? 0 : 1;
  }
  setTimeout(() => process.exit(), 3_000).unref();
}

await main(process.argv);
