// The SQL editor's typing target: "typing stays smooth (no dropped frames on a 10,000-line
// script)". In Chromium (headless, the launch options of e2e/chromium-options.mjs), the real
// SqlEditor (components/sql/sql-editor.tsx) is mounted in a workbench-like React parent over a
// 10,000-line SQL script with a 5,000-column catalog (bench/pages/sql-typing.tsx, bundled here
// with esbuild). Playwright then types real keystrokes (CDP key events: keydown, the browser's
// text insertion, keyup — the whole path through CodeMirror's DOM observer,
// @uiw/react-codemirror's onChange, the parent's setState and the re-render), one every
// `intervalMs` (50 ms: a fast typist's burst) plus a 300 ms reading pause after `.` and after an
// opening quote, first on an empty line in the middle of the script, then at its end: SQL with
// new lines (Enter, auto-indented), table names after FROM / JOIN and `alias.column` in ON /
// WHERE (lang-sql's table, column and keyword completion) and a string literal (the event-name
// completion). After 10 warm-up keystrokes at each place, the page records (see its header):
//  - keystroke_ms: keydown → the first frame after the document change is rendered;
//  - frame_ms: intervals between animation frames while typing;
//  - long_frames: frame intervals over 50 ms (the long-task threshold: visible stutter);
//  - dropped_frames: missed vsyncs. The vsync period P is measured on the idle page first (median
//    frame interval, 16.7 ms at 60 Hz); a frame interval Δ spans round(Δ / P) vsyncs, so it
//    dropped round(Δ / P) − 1 frames (33 ms → 1, 50 ms → 2), summed over the typing. An interval
//    must reach 1.5 × P (25 ms at 60 Hz) to count at all: jitter around one period never does.
// and, from CDP, main_thread_ms_per_keystroke: the renderer main thread's CPU time (thread ticks)
// while typing, less the idle page's rate, per keystroke — the work each keystroke costs. The
// wall-clock figures above depend on what else the machine runs (its load average is reported);
// this one much less.
// The same figures for a baseline in the same browser and run: a bare CodeMirror EditorView with
// only `basicSetup` (no React, no SQL language, no schema, no linter, no line wrapping) over the
// same document and the same keystrokes — what our editor and its parent add. An idle period
// (1 s, nothing typed) is recorded on each page too: headless Chromium's own frame noise floor.
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium-options.mjs';
import type { EditorKind, Place, TypingRecording } from './pages/sql-typing';
import { percentile } from './paced-load';
import { median } from './stats';

export interface Distribution {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

/** The frames of a page over a period (typing, or idle). */
export interface FrameFigures {
  /** Intervals between animation frames. */
  frame_ms: Distribution;
  frames: number;
  /** Frame intervals over 50 ms. */
  long_frames: number;
  /** Missed vsyncs: Σ round(Δ / P) − 1 over frame intervals Δ ≥ 1.5 P (P: idle period). */
  dropped_frames: number;
  /** Main-thread tasks over 50 ms (PerformanceObserver 'longtask'). */
  long_tasks: { count: number; total_ms: number; max_ms: number };
}

/** What one editor did under the typing, at one place or both. */
export interface TypingFigures extends FrameFigures {
  /** Keystrokes measured (each changed the document). */
  keystrokes: number;
  /** keydown → the first frame rendered after the document changed. */
  keystroke_ms: Distribution;
  /**
   * The renderer main thread's CPU time per keystroke (CDP Performance ThreadTime, thread
   * ticks), less what the idle page uses in the same time: the work typing costs, whatever
   * else the machine is running.
   */
  main_thread_ms_per_keystroke: number;
  /** Keystrokes whose frame showed the completion list (completion was exercised). */
  with_completion_open: number;
}

export interface TypingResult {
  /** Lines in the script typed into. */
  lines: number;
  /** Keystrokes typed at each place (middle, end), after 10 warm-up ones. */
  keystrokes: number;
  /** Our editor (SqlEditor in the workbench-like parent), middle and end together. */
  keystroke_ms: Distribution;
  frame_ms: Distribution;
  long_frames: number;
  dropped_frames: number;
  main_thread_ms_per_keystroke: number;
  /** The same figures for bare CodeMirror (basicSetup only) on the same document and keys. */
  baseline: TypingFigures;
  details: {
    interval_ms: number;
    reading_pause_ms: number;
    /** The idle vsync period P measured on each page (median frame interval). */
    vsync_ms: { editor: number; baseline: number };
    /** The machine's 1-minute load average before and after: wall-clock figures depend on it. */
    load_avg_1m: [number, number];
    /** Idle (nothing typed) for 1 s: the noise floor of headless Chromium's frames. */
    idle: { editor: FrameFigures; baseline: FrameFigures };
    editor: { all: TypingFigures; middle: TypingFigures; end: TypingFigures; renders: number };
    baseline: { middle: TypingFigures; end: TypingFigures };
  };
}

const LONG_FRAME_MS = 50;
const WARM_UP_KEYS = 10;
const ORIGIN = 'http://bench.test';

/**
 * What is typed, cycled until the keystroke count: each key is one Playwright keyboard.press.
 * Every line ends on a character after which no completion list stays open, so Enter inserts a
 * new line rather than accepting an option; `(` and `'` are auto-closed by closeBrackets and
 * their closing character is typed over.
 */
const TYPED = [
  '-- bench: weekly actives by plan\n',
  'select t.column_42_07, t.column_42_08, count(*) as n, sum(u.column_17_11) as total,\n',
  "max(t.column_42_03) filter (where t.column_42_01 = 'signed_up') as last_signup,\n",
  'u.column_17_05 from table_042 as t join table_017 as u on u.column_17_00 = t.column_42_00 ',
  'where t.column_42_05 > 10 group by 1, 2 order by n desc limit 100;\n',
].join('');
/**
 * The typist pauses this long after `.` and after an opening quote, as one does to read the
 * list: @codemirror/autocomplete opens it only after 100 ms without typing, so at a steady 50 ms
 * it never would. The keys typed after the pause filter the open list.
 */
const READING_PAUSE_MS = 300;

/** The keys to type, and the extra pause after each. */
export function typingSchedule(count: number): { key: string; pauseMs: number }[] {
  const keys: { key: string; pauseMs: number }[] = [];
  let quoteOpen = false;
  for (let i = 0; keys.length < count; i++) {
    const ch = TYPED[i % TYPED.length]!;
    const opensQuote = ch === "'" && !quoteOpen;
    if (ch === "'") quoteOpen = !quoteOpen;
    keys.push({
      key: ch === '\n' ? 'Enter' : ch,
      pauseMs: ch === '.' || opensQuote ? READING_PAUSE_MS : 0,
    });
  }
  return keys;
}

const round = (x: number) => Math.round(x * 100) / 100;

function distribution(ms: readonly number[]): Distribution {
  if (ms.length === 0) return { p50_ms: Number.NaN, p95_ms: Number.NaN, max_ms: Number.NaN };
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50_ms: round(median(sorted)),
    p95_ms: round(percentile(sorted, 95)),
    max_ms: round(sorted[sorted.length - 1]!),
  };
}

/** Missed vsyncs in a run of frame intervals, for the vsync period `period`. */
export function droppedFrames(frames: readonly number[], period: number): number {
  let dropped = 0;
  for (const delta of frames) if (delta >= 1.5 * period) dropped += Math.round(delta / period) - 1;
  return dropped;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function frameFigures(recordings: readonly TypingRecording[], period: number): FrameFigures {
  const frames = recordings.flatMap((r) => r.frames);
  const longTasks = recordings.flatMap((r) => r.longTasks);
  return {
    frame_ms: distribution(frames),
    frames: frames.length,
    long_frames: frames.filter((d) => d > LONG_FRAME_MS).length,
    dropped_frames: droppedFrames(frames, period),
    long_tasks: {
      count: longTasks.length,
      total_ms: round(sum(longTasks)),
      max_ms: round(Math.max(0, ...longTasks)),
    },
  };
}

function typingFigures(
  recordings: readonly (TypingRecording & { cpuMs: number })[],
  period: number,
): TypingFigures {
  const keystrokes = recordings.flatMap((r) => r.keystrokes);
  return {
    keystrokes: keystrokes.length,
    keystroke_ms: distribution(keystrokes),
    main_thread_ms_per_keystroke: round(
      sum(recordings.map((r) => r.cpuMs)) / Math.max(1, keystrokes.length),
    ),
    ...frameFigures(recordings, period),
    with_completion_open: sum(recordings.map((r) => r.keystrokesWithCompletionOpen)),
  };
}

async function bundlePage(): Promise<string> {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, 'pages', 'sql-typing.tsx')],
    bundle: true,
    format: 'iife',
    write: false,
    minify: true,
    target: 'es2022',
    jsx: 'automatic',
    // React's production build, as the app ships (the development build checks a lot per render).
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return bundle.outputFiles[0]!.text;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One editor's page: its vsync period, an idle second, and the typing at each place. */
interface EditorRun {
  doc: { lines: number; chars: number };
  period: number;
  idle: TypingRecording;
  /** Renderer main-thread CPU ms per second while idle (frames, timers). */
  idleCpuPerS: number;
  middle: TypingRecording & { cpuMs: number };
  end: TypingRecording & { cpuMs: number };
}

/** One editor on a fresh page: idle, then typing in the middle, then at the end. */
async function runEditor(
  browser: Browser,
  script: string,
  kind: EditorKind,
  opts: { keystrokes: number; intervalMs: number; log: (line: string) => void },
): Promise<EditorRun> {
  // Served from an http origin (not about:blank) so the page has localStorage, as the app does.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.route(`${ORIGIN}/**`, (route) =>
      route.request().url().endsWith('/bench.js')
        ? route.fulfill({ contentType: 'text/javascript', body: script })
        : route.fulfill({
            contentType: 'text/html',
            body: '<!doctype html><html><head><meta charset="utf-8"></head><body><script src="/bench.js"></script></body></html>',
          }),
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => window.benchReady);
    // The renderer's main-thread CPU time (thread ticks, so other processes competing for the
    // cores do not inflate it): the work the page does, however loaded the machine is.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpuMs = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return 1000 * (metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN);
    };
    const doc = await page.evaluate((k) => window.bench.mount(k), kind);
    await sleep(500); // first layout, the initial parse and lint settle

    // Idle: nothing typed, the vsync period and the frame noise floor.
    let cpu = await cpuMs();
    let clock = performance.now();
    await page.evaluate(() => window.bench.start());
    await sleep(1_000);
    const idle = await page.evaluate(() => window.bench.stop());
    const idleCpuPerS = ((await cpuMs()) - cpu) / ((performance.now() - clock) / 1000);
    const period = median(idle.frames);

    const keys = typingSchedule(WARM_UP_KEYS + opts.keystrokes);
    const typeAt = async (where: Place) => {
      const placed = await page.evaluate((w) => window.bench.place(w), where);
      await sleep(200);
      for (const { key } of keys.slice(0, WARM_UP_KEYS)) await page.keyboard.press(key);
      await sleep(500);
      cpu = await cpuMs();
      clock = performance.now();
      await page.evaluate(() => window.bench.start());
      // Open loop: each key falls due on schedule, whether or not the page kept up (a key
      // press returns once the renderer has handled the key event, not its frame).
      let due = clock;
      for (const { key, pauseMs } of keys.slice(WARM_UP_KEYS)) {
        await page.keyboard.press(key);
        due += opts.intervalMs + pauseMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const recording = await page.evaluate(() => window.bench.stop());
      const seconds = (performance.now() - clock) / 1000;
      const cpuTyping = (await cpuMs()) - cpu;
      opts.log(
        `  ${kind} at line ${placed.line} (${where}): ${recording.keystrokes.length} keystrokes in ${seconds.toFixed(1)} s`,
      );
      return { ...recording, cpuMs: cpuTyping - idleCpuPerS * seconds };
    };
    const middle = await typeAt('middle');
    const end = await typeAt('end');
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const after = await page.evaluate(() => window.bench.doc());
    const enters = keys.filter((k) => k.key === 'Enter').length * 2;
    if (after.lines !== doc.lines + enters)
      opts.log(
        `  note: ${kind} has ${after.lines} lines after typing, expected ${doc.lines + enters} (an Enter accepted a completion?)`,
      );
    return { doc, period, idle, idleCpuPerS, middle, end };
  } finally {
    await context.close();
  }
}

function editorFigures(run: EditorRun) {
  return {
    all: typingFigures([run.middle, run.end], run.period),
    middle: typingFigures([run.middle], run.period),
    end: typingFigures([run.end], run.period),
    idle: frameFigures([run.idle], run.period),
  };
}

/**
 * Types `keystrokes` real keystrokes in the middle and at the end of a 10,000-line script, in our
 * SQL editor and in bare CodeMirror, and reports latency and frame figures for both.
 */
export async function benchTypingInBrowser(opts: {
  keystrokes: number;
  /** ms between keystrokes (default 50), plus the reading pauses. */
  intervalMs?: number;
  log?: (line: string) => void;
}): Promise<TypingResult> {
  const log = opts.log ?? (() => {});
  const run = { keystrokes: opts.keystrokes, intervalMs: opts.intervalMs ?? 50, log };
  const loadBefore = os.loadavg()[0]!;
  const script = await bundlePage();
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    log(`typing: bare CodeMirror, ${run.keystrokes} keystrokes at each place…`);
    const bareRun = await runEditor(browser, script, 'bare', run);
    const bare = editorFigures(bareRun);
    log(
      `typing: SqlEditor in a workbench-like parent, ${run.keystrokes} keystrokes at each place…`,
    );
    const oursRun = await runEditor(browser, script, 'editor', run);
    const ours = editorFigures(oursRun);
    return {
      lines: oursRun.doc.lines,
      keystrokes: run.keystrokes,
      keystroke_ms: ours.all.keystroke_ms,
      frame_ms: ours.all.frame_ms,
      long_frames: ours.all.long_frames,
      dropped_frames: ours.all.dropped_frames,
      main_thread_ms_per_keystroke: ours.all.main_thread_ms_per_keystroke,
      baseline: bare.all,
      details: {
        interval_ms: run.intervalMs,
        reading_pause_ms: READING_PAUSE_MS,
        vsync_ms: { editor: round(oursRun.period), baseline: round(bareRun.period) },
        load_avg_1m: [round(loadBefore), round(os.loadavg()[0]!)],
        idle: { editor: ours.idle, baseline: bare.idle },
        editor: {
          all: ours.all,
          middle: ours.middle,
          end: ours.end,
          renders: oursRun.middle.renders + oursRun.end.renders,
        },
        baseline: { middle: bare.middle, end: bare.end },
      },
    };
  } finally {
    await browser.close();
  }
}
