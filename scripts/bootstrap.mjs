#!/usr/bin/env node
// Sets up everything `npm start`, `npm test`, `npm run dev` and `npm run tl` need, idempotently
// and quickly when nothing changed: npm packages (npm ci when package-lock.json changed), the
// generated Prisma client, and for start/test a production Next.js build of the current sources.
// Only Node built-ins here: this runs before node_modules exists. Progress goes to stderr so
// that `npm run tl -- … --json` keeps a clean stdout.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
const quiet = mode === 'tl';
const log = (msg) => {
  if (!quiet) process.stderr.write(`[setup] ${msg}\n`);
};

function fail(msg) {
  process.stderr.write(`\n✖ ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 2, 2] : ['ignore', 2, 'inherit'],
    env: { ...process.env, ...opts.env },
  });
  if (result.status !== 0)
    fail(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
  log(
    `${opts.label ?? `${cmd} ${args[0]}`} done in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

function hashFiles(paths) {
  const h = createHash('sha256');
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      const base = path.basename(p);
      if (
        [
          'node_modules',
          '.next',
          'generated',
          '.data',
          'dist',
          'test-results',
          'playwright-report',
        ].includes(base)
      )
        return;
      for (const entry of readdirSync(p).sort()) walk(path.join(p, entry));
    } else {
      h.update(path.relative(root, p));
      h.update(readFileSync(p));
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return h.digest('hex');
}

function stampMatches(file, hash) {
  return existsSync(file) && readFileSync(file, 'utf8').trim() === hash;
}

// 1. Node version
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19))
  fail(`Node.js >= 20.19 is required; this is ${process.version}.`);

// 2. npm packages
const lockHash = hashFiles(['package-lock.json', 'package.json']);
const lockStamp = path.join(root, 'node_modules', '.tl-lock-hash');
if (!stampMatches(lockStamp, lockHash)) {
  log('installing npm packages (npm ci)…');
  run('npm', ['ci', '--loglevel=warn', '--no-audit', '--no-fund'], { label: 'npm ci' });
  writeFileSync(lockStamp, lockHash);
}

// 3. Prisma client (generate needs no engine; the CLI only checks that the engine path exists)
const schemaHash = hashFiles(['prisma/schema.prisma', 'package-lock.json']);
const generatedDir = path.join(root, 'server', 'db', 'generated');
const schemaStamp = path.join(generatedDir, '.tl-schema-hash');
if (!stampMatches(schemaStamp, schemaHash)) {
  log('generating Prisma client…');
  run(
    process.execPath,
    [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'],
    {
      label: 'prisma generate',
      env: {
        PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'package.json'),
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    },
  );
  mkdirSync(generatedDir, { recursive: true });
  writeFileSync(schemaStamp, schemaHash);
}

// 4. Python virtualenv (Delta writer now; dbt later) from the pinned requirements.txt, and the
//    DuckDB delta extension from its PyPI package laid out as a DuckDB extension directory.
const venv = path.join(root, '.venv');
const venvPython = path.join(venv, 'bin', 'python');
const reqHash = hashFiles(['requirements.txt']);
const venvStamp = path.join(venv, '.tl-requirements-hash');
if (!stampMatches(venvStamp, reqHash) || !existsSync(venvPython)) {
  log('creating the Python environment (.venv)…');
  const python = process.env.PYTHON ?? 'python3';
  if (!existsSync(venvPython)) run(python, ['-m', 'venv', venv], { label: 'python -m venv' });
  run(
    venvPython,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '-r',
      path.join(root, 'requirements.txt'),
    ],
    { label: 'pip install' },
  );
  const found = spawnSync(
    venvPython,
    [
      '-c',
      'import duckdb_extension_delta, os; print(os.path.dirname(duckdb_extension_delta.__file__))',
    ],
    { encoding: 'utf8' },
  );
  if (found.status === 0) {
    const source = path.join(found.stdout.trim(), 'extensions', 'v1.5.5', 'delta.duckdb_extension');
    const target = path.join(venv, 'duckdb-extensions', 'v1.5.5', 'linux_amd64');
    mkdirSync(target, { recursive: true });
    copyFileSync(source, path.join(target, 'delta.duckdb_extension'));
  } else {
    // The PyPI package is built for linux x86_64 only; elsewhere DuckDB installs it the usual way.
    log(
      'the DuckDB delta extension package is not available for this platform; DuckDB will install it itself when online',
    );
  }
  writeFileSync(venvStamp, reqHash);
}

// 5. Production build of the web app for start and test
if (mode === 'start' || mode === 'test') {
  const sourceHash = hashFiles([
    'app',
    'components',
    'lib',
    'server',
    'public',
    'next.config.ts',
    'postcss.config.mjs',
    'tsconfig.json',
    'package-lock.json',
    'prisma/schema.prisma',
  ]);
  const buildStamp = path.join(root, '.next', '.tl-build-hash');
  if (!stampMatches(buildStamp, sourceHash) || !existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    log('building the web app (next build)…');
    run(
      process.execPath,
      [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
      {
        label: 'next build',
        env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      },
    );
    writeFileSync(buildStamp, sourceHash);
  }
}
log('ready');
