// Bundled by bench/sql-typing.ts (esbuild) into a page that Chromium opens: typing into a
// 10,000-line SQL script. Two editors can be mounted, one per page load:
//  - 'editor': the real SqlEditor (components/sql/sql-editor.tsx) inside a parent that does what
//    the workbench (components/sql/sql-workbench.tsx) does on every keystroke: the text lives in
//    React state (tabs), updated by onChange; the tabs are persisted by the workbench's own
//    hook (components/sql/use-persist-tabs.ts);
//    onRun is a useCallback over a useMutation result, which TanStack Query returns as a new
//    object on every render (so onRun, and SqlEditor's extensions memo, change on every render);
//    onFormat is stable; the schema is 100 tables × 50 columns plus events and properties.
//  - 'bare': the floor — a CodeMirror EditorView with only `basicSetup` from 'codemirror' (no
//    React, no SQL language, no schema, no linter, no line wrapping) over the same document.
// The keystrokes come from Playwright (real key events through Chromium's input pipeline); this
// page only records, while window.bench.start() … stop() brackets the typing:
//  - frames: the interval between consecutive requestAnimationFrame callbacks (their frame
//    timestamps), kept running for the life of the page;
//  - keystrokes: from each keydown's event.timeStamp to just after the first frame that follows
//    the document change it caused (a task posted from that frame's rAF callback runs once the
//    frame's style, layout and paint are done) — "input → next frame presented";
//  - whether that frame showed the completion list (so the bench knows completion was exercised);
//  - long tasks (PerformanceObserver 'longtask', ≥ 50 ms).
// The Event Timing API (PerformanceObserver 'event') is not used: in headless Chromium its
// keydown durations for the bare editor ran to seconds, counting down key by key to one late
// paint, while frames were being drawn every 16.7 ms — its paint times are not real there.
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { EditorView, basicSetup } from 'codemirror';
import type { ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { SqlEditor, type SqlCompletionSchema } from '../../components/sql/sql-editor';
import { usePersistTabs } from '../../components/sql/use-persist-tabs';

export type EditorKind = 'editor' | 'bare';
export type Place = 'middle' | 'end';

/** What stop() hands back: raw samples, summarised by bench/sql-typing.ts. */
export interface TypingRecording {
  /** ms between consecutive animation frames while recording. */
  frames: number[];
  /** ms from each keydown to the end of the first frame after its document change. */
  keystrokes: number[];
  /** Keystrokes whose frame showed the completion list. */
  keystrokesWithCompletionOpen: number;
  /** Keydowns seen (some may not have changed the document). */
  keydowns: number;
  longTasks: number[];
  /** React commits of the parent ('editor' only). */
  renders: number;
}

declare global {
  interface Window {
    bench: {
      mount: (kind: EditorKind) => Promise<{ lines: number; chars: number }>;
      /** Puts the cursor on an empty line between statements, scrolled into view, focused. */
      place: (where: Place) => { line: number };
      start: () => void;
      /** Waits for the last keystroke's frame, then returns what was recorded. */
      stop: () => Promise<TypingRecording>;
      doc: () => { lines: number; chars: number };
    };
    benchReady: boolean;
  }
}

// ---------------------------------------------------------------------------------------------
// The catalog and the document.

const TABLES = 100;
const COLUMNS_PER_TABLE = 50;
const SCRIPT_LINES = 10_000;

const tableName = (t: number) => `table_${String(t).padStart(3, '0')}`;
const columnName = (t: number, c: number) => `column_${t}_${String(c).padStart(2, '0')}`;
const TYPES = ['VARCHAR', 'BIGINT', 'DOUBLE', 'TIMESTAMP', 'BOOLEAN', null];
const EVENTS = [
  'signed_up',
  'logged_in',
  'page_viewed',
  'checkout_started',
  'checkout_completed',
  'invite_sent',
  'project_created',
  'file_uploaded',
  'subscription_renewed',
  'subscription_cancelled',
  ...Array.from({ length: 30 }, (_, i) => `custom_event_${String(i).padStart(2, '0')}`),
];

const schema: SqlCompletionSchema = {
  tables: Array.from({ length: TABLES }, (_, t) => ({
    name: tableName(t),
    description: t % 3 === 0 ? `Mart ${t}: one row per thing, rebuilt nightly` : '',
    columns: Array.from({ length: COLUMNS_PER_TABLE }, (_, c) => ({
      name: columnName(t, c),
      type: TYPES[(t + c) % TYPES.length]!,
    })),
  })),
  events: EVENTS,
  properties: EVENTS.flatMap((event, e) =>
    Array.from({ length: 5 }, (_, p) => ({
      event,
      name: ['plan', 'country', 'browser', 'referrer', `prop_${e}_${p}`][p]!,
      type: p === 4 ? 'number' : 'string',
    })),
  ),
};

/** mulberry32: the same document on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 10,000-line analyst's script: statements (plain selects, CTEs, joins, aggregates, window
 * functions, inserts, case expressions) over the catalog, with line and block comments and string
 * literals of event names and property keys, separated by blank lines (the script ends with one).
 */
function generateScript(lines: number): string {
  const random = rng(20_261_101);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const col = (t: number) => columnName(t, int(COLUMNS_PER_TABLE));
  const out: string[] = [];
  const statement = (): string[] => {
    const t = int(TABLES);
    const u = int(TABLES);
    const a = `${tableName(t)} as a`;
    const event = pick(EVENTS);
    switch (int(7)) {
      case 0:
        return [
          `-- ${pick(['Daily', 'Weekly', 'Monthly'])} ${event} by ${col(t)}`,
          `select a.${col(t)}, count(*) as n, count(distinct a.${col(t)}) as users`,
          `from ${a}`,
          `where a.${col(t)} = '${event}'`,
          `  and a.${col(t)} >= current_date - interval '${1 + int(90)} days'`,
          `group by 1`,
          `order by n desc`,
          `limit ${pick([10, 50, 100, 1000])};`,
        ];
      case 1:
        return [
          `with base as (`,
          `  select a.${col(t)} as id, a.${col(t)} as ts, a.${col(t)} as amount`,
          `  from ${a}`,
          `  where a.${col(t)} in ('${event}', '${pick(EVENTS)}')`,
          `), ranked as (`,
          `  select id, ts, amount, row_number() over (partition by id order by ts desc) as rn`,
          `  from base`,
          `)`,
          `select id, sum(amount) as total, max(ts) as last_seen`,
          `from ranked`,
          `where rn <= ${1 + int(10)}`,
          `group by id;`,
        ];
      case 2:
        return [
          `/* Join ${tableName(t)} to ${tableName(u)}: ${pick(['retention', 'funnel', 'revenue', 'activation'])} */`,
          `select a.${col(t)}, b.${col(u)},`,
          `       avg(b.${col(u)}) as avg_value,`,
          `       percentile_cont(0.95) within group (order by b.${col(u)}) as p95`,
          `from ${a}`,
          `join ${tableName(u)} as b on b.${col(u)} = a.${col(t)}`,
          `left join ${tableName(int(TABLES))} as c on c.column_0_00 = b.${col(u)}`,
          `where a.${col(t)} is not null and b.${col(u)} <> 'unknown'`,
          `group by 1, 2`,
          `having count(*) > ${int(1000)};`,
        ];
      case 3:
        return [
          `select`,
          `  case`,
          `    when a.${col(t)} = '${pick(['plan', 'country', 'browser'])}' then 'tagged'`,
          `    when a.${col(t)} like '%${pick(['pro', 'team', 'free'])}%' then 'paid' -- rough`,
          `    else 'other'`,
          `  end as bucket,`,
          `  count(*) filter (where a.${col(t)} = '${event}') as hits`,
          `from ${a}`,
          `group by bucket;`,
        ];
      case 4:
        return [
          `insert into ${tableName(u)} (${col(u)}, ${col(u)}, ${col(u)})`,
          `select a.${col(t)}, a.${col(t)}, now()`,
          `from ${a}`,
          `where a.${col(t)} between ${int(100)} and ${100 + int(1000)};`,
        ];
      case 5:
        return [
          `-- TODO(${pick(['ana', 'bo', 'chen', 'dara'])}): check the ${event} backfill`,
          `select date_trunc('${pick(['day', 'week', 'month'])}', a.${col(t)}) as period,`,
          `       count(*) as events,`,
          `       lag(count(*)) over (order by date_trunc('day', a.${col(t)})) as previous`,
          `from ${a}`,
          `where a.${col(t)} = '${event}'`,
          `group by 1`,
          `order by 1;`,
        ];
      default:
        return [`select * from ${tableName(t)} where ${col(t)} = ${int(100_000)} limit 100;`];
    }
  };
  while (out.length < lines - 1) {
    out.push(...statement(), '');
  }
  out.length = lines - 1;
  out.push(''); // the script ends with an empty line
  return out.join('\n');
}

const SCRIPT = generateScript(SCRIPT_LINES);

// ---------------------------------------------------------------------------------------------
// Recording.

const recording = {
  on: false,
  frames: [] as number[],
  keystrokes: [] as number[],
  keystrokesWithCompletionOpen: 0,
  keydowns: 0,
  longTasks: [] as number[],
  renders: 0,
};
/** keydown timestamps not yet matched to a document change. */
let pendingKeys: number[] = [];
/** Frames still to be presented for measured keystrokes. */
let framesInFlight = 0;
let view: EditorView | undefined;

addEventListener(
  'keydown',
  (e) => {
    if (!recording.on) return;
    recording.keydowns++;
    pendingKeys.push(e.timeStamp);
  },
  { capture: true },
);

/**
 * Called when the document just changed: from the bare editor's update listener, and for
 * SqlEditor from a MutationObserver on its content (a microtask after the change, same frame).
 */
function documentChanged() {
  if (!recording.on || pendingKeys.length === 0) return;
  const keys = pendingKeys;
  pendingKeys = [];
  framesInFlight++;
  requestAnimationFrame(() => {
    // A message posted from the rAF callback is handled after this frame's rendering steps.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const presented = performance.now();
      for (const t0 of keys) recording.keystrokes.push(presented - t0);
      if (document.querySelector('.cm-tooltip-autocomplete'))
        recording.keystrokesWithCompletionOpen += keys.length;
      framesInFlight--;
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  });
}

let lastFrame: number | undefined;
const frame = (now: number) => {
  if (recording.on && lastFrame !== undefined) recording.frames.push(now - lastFrame);
  lastFrame = now;
  requestAnimationFrame(frame);
};
requestAnimationFrame(frame);

new PerformanceObserver((list) => {
  if (recording.on) for (const e of list.getEntries()) recording.longTasks.push(e.duration);
}).observe({ type: 'longtask' });

// ---------------------------------------------------------------------------------------------
// The workbench-like parent of the real SqlEditor.

interface Tab {
  id: string;
  title: string;
  sql: string;
}
interface Tabs {
  tabs: Tab[];
  active: string;
}
const updateTab = (s: Tabs, id: string, patch: Partial<Tab>): Tabs => ({
  ...s,
  tabs: s.tabs.map((t) => (t.id === id ? { ...t, ...patch } : t)),
});

function Workbench({ onView }: { onView: (view: EditorView) => void }) {
  const editor = useRef<ReactCodeMirrorRef>(null);
  const [state, setState] = useState<Tabs>({
    tabs: [{ id: 'tab-1', title: 'Query 1', sql: SCRIPT }],
    active: 'tab-1',
  });
  // The workbench's own persistence (debounced).
  usePersistTabs('tl.sql.tabs.bench', state, true);
  useEffect(() => {
    recording.renders++;
  });
  // useMutation's result is a new object on every render (TanStack Query v5 spreads it), and the
  // workbench's execute depends on it: so does this, on purpose.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const runMutation = { mutateAsync: async (sql: string) => sql.length };
  const execute = useCallback(
    async (text: string) => void (await runMutation.mutateAsync(text)),
    [runMutation],
  );
  const onRun = useCallback((text: string) => void execute(text), [execute]);
  const format = useCallback(() => {}, []);
  useEffect(() => {
    const found = () => {
      const v = editor.current?.view;
      if (v) onView(v);
      else setTimeout(found, 5);
    };
    found();
  }, [onView]);
  const tab = state.tabs.find((t) => t.id === state.active)!;
  return (
    <SqlEditor
      key={tab.id}
      editorRef={editor}
      value={tab.sql}
      onChange={(sql) => setState((s) => updateTab(s, tab.id, { sql }))}
      onRun={onRun}
      onFormat={format}
      schema={schema}
      error={undefined}
      errorOffset={0}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// The page.

const style = document.createElement('style');
// What the app's Tailwind classes on the editor (h-full, overflow-hidden, text-sm) amount to.
style.textContent = `
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
  #root { height: 100vh; display: flex; flex-direction: column; }
  #root > * { flex: 1; min-height: 0; }
  .h-full { height: 100%; }
  .min-h-0 { min-height: 0; }
  .overflow-hidden { overflow: hidden; }
  .text-sm { font-size: 0.875rem; line-height: 1.25rem; }
  .cm-editor { height: 100%; }
`;
document.head.append(style);
const root = document.createElement('div');
root.id = 'root';
document.body.append(root);

const docInfo = () => ({
  lines: view?.state.doc.lines ?? 0,
  chars: view?.state.doc.length ?? 0,
});

window.bench = {
  mount: (kind) =>
    new Promise((resolve) => {
      if (kind === 'bare') {
        const holder = document.createElement('div');
        holder.className = 'text-sm';
        root.append(holder);
        view = new EditorView({
          doc: SCRIPT,
          extensions: [
            basicSetup,
            EditorView.updateListener.of((u) => {
              if (u.docChanged) documentChanged();
            }),
          ],
          parent: holder,
        });
        resolve(docInfo());
      } else {
        createRoot(root).render(
          <Workbench
            onView={(v) => {
              view = v;
              // SqlEditor tells its parent of a change only once typing pauses, so the page
              // sees the document change where the browser does: CodeMirror writes the new
              // text into its content DOM during the transaction, before the next frame.
              new MutationObserver(documentChanged).observe(v.contentDOM, {
                childList: true,
                subtree: true,
                characterData: true,
              });
              resolve(docInfo());
            }}
          />,
        );
      }
    }),
  place: (where) => {
    if (!view) throw new Error('mount first');
    const doc = view.state.doc;
    let line = where === 'end' ? doc.lines : Math.floor(doc.lines / 2);
    while (line < doc.lines && doc.line(line).length > 0) line++;
    const pos = doc.line(line).from;
    view.focus();
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    return { line };
  },
  start: () => {
    recording.frames = [];
    recording.keystrokes = [];
    recording.keystrokesWithCompletionOpen = 0;
    recording.keydowns = 0;
    recording.longTasks = [];
    recording.renders = 0;
    pendingKeys = [];
    framesInFlight = 0;
    recording.on = true;
  },
  stop: async () => {
    const started = performance.now();
    while (framesInFlight > 0 && performance.now() - started < 5_000)
      await new Promise((r) => setTimeout(r, 10));
    // Two more frames so the interval after the last keystroke's frame is in.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await new Promise((r) => setTimeout(r, 50));
    recording.on = false;
    return {
      frames: recording.frames,
      keystrokes: recording.keystrokes,
      keystrokesWithCompletionOpen: recording.keystrokesWithCompletionOpen,
      keydowns: recording.keydowns,
      longTasks: recording.longTasks,
      renders: recording.renders,
    };
  },
  doc: docInfo,
};
window.benchReady = true;
