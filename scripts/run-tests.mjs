#!/usr/bin/env node
// `npm test` after bootstrap: static checks, then the three test tiers (unit, integration
// against real PGlite/PostgreSQL/DuckDB, Playwright e2e in Debian's Chromium). Every step runs;
// the run fails if any step fails. The last line is the plain "N passed, N failed" summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });

const steps = [];
let passed = 0;
let failed = 0;

function step(name, cmd, args, opts = {}) {
  const started = Date.now();
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? root,
    stdio: 'inherit',
    env: { ...process.env, ...opts.env },
  });
  const ok = r.status === 0;
  let counts = '';
  if (opts.report) {
    const c = opts.report();
    if (c) {
      passed += c.passed;
      failed += c.failed;
      counts = ` (${c.passed} passed, ${c.failed} failed)`;
    } else if (!ok) {
      failed += 1;
      counts = ' (did not report)';
    }
  } else if (!ok) {
    failed += 1;
  }
  steps.push({ name, ok, seconds: (Date.now() - started) / 1000, counts });
}

function vitestReport(file) {
  return () => {
    if (!existsSync(file)) return undefined;
    const j = JSON.parse(readFileSync(file, 'utf8'));
    // Failed tests, plus files that failed without a failed test (an import or setup error).
    // numFailedTestSuites would count a file with failing tests a second time.
    const brokenFiles = (j.testResults ?? []).filter(
      (f) =>
        f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    return { passed: j.numPassedTests, failed: j.numFailedTests + brokenFiles };
  };
}

function junitReport(file) {
  return () => {
    if (!existsSync(file)) return undefined;
    const head = /<testsuite\b[^>]*>/.exec(readFileSync(file, 'utf8'))?.[0] ?? '';
    const n = (k) => Number(new RegExp(`\\b${k}="(\\d+)"`).exec(head)?.[1] ?? 0);
    const bad = n('failures') + n('errors');
    return { passed: n('tests') - bad - n('skipped'), failed: bad };
  };
}

function playwrightReport(file) {
  return () => {
    if (!existsSync(file)) return undefined;
    const j = JSON.parse(readFileSync(file, 'utf8'));
    return { passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected };
  };
}

step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
step('lint', bin('eslint'), ['.', '--max-warnings=0']);
step('format', bin('prettier'), ['--check', '.', '--log-level=warn']);

for (const tier of ['unit', 'integration']) {
  const out = path.join(results, `vitest-${tier}.json`);
  rmSync(out, { force: true });
  step(
    `${tier} tests`,
    bin('vitest'),
    ['run', '--project', tier, '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    {
      report: vitestReport(out),
    },
  );
}

// Python: the Spark Structured Streaming job (pipelines/spark) on a real local Spark and a real
// Kafka broker of its own; it installs PySpark and the jars on first use (infra/local/spark.sh).
const pytestOut = path.join(results, 'pytest.xml');
rmSync(pytestOut, { force: true });
step(
  'python tests',
  path.join(root, '.venv', 'bin', 'python'),
  ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${pytestOut}`],
  { cwd: path.join(root, 'pipelines', 'spark'), report: junitReport(pytestOut) },
);

const e2eOut = path.join(results, 'playwright.json');
rmSync(e2eOut, { force: true });
step('e2e tests', bin('playwright'), ['test', '--reporter=list,json'], {
  env: { PLAYWRIGHT_JSON_OUTPUT_FILE: e2eOut },
  report: playwrightReport(e2eOut),
});

process.stdout.write('\n━━ summary ━━\n');
for (const s of steps)
  process.stdout.write(
    `${s.ok ? '✓' : '✖'} ${s.name.padEnd(18)} ${s.seconds.toFixed(1).padStart(6)} s${s.counts}\n`,
  );
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(steps.every((s) => s.ok) ? 0 : 1);
