// Bundled by bench/sql.ts (esbuild) into a page that Chromium opens: the SQL editor's
// CodeMirror language and completion sources (sqlLanguageExtensions: lang-sql with the schema,
// the engine's ~770 functions, event names and property keys) over a 5,000-column catalog.
//  - window.openList(text): sets the text, requests completion and resolves with the ms until
//    the list is on screen. That includes @codemirror/autocomplete's own 50 ms wait before an
//    explicit request (100 ms when typing opens it): a debounce, not work.
//  - window.typeWithListOpen(text, ch): with the list open for `text`, types `ch` and returns
//    the ms until the list is filtered and laid out again — what each keystroke costs while the
//    list is open (no debounce on this path).
import { EditorView, basicSetup } from 'codemirror';
import { sqlLanguageExtensions, type SqlCompletionSchema } from '../../components/sql/sql-editor';
import {
  closeCompletion,
  completionStatus,
  currentCompletions,
  startCompletion,
} from '@codemirror/autocomplete';

declare global {
  interface Window {
    openList: (text: string) => Promise<number>;
    typeWithListOpen: (text: string, ch: string) => Promise<{ ms: number; options: number }>;
    benchReady: boolean;
  }
  /** The engine's functions (server/sql/sql-schema.ts), put in by the bundler (bench/sql.ts). */
  const BENCH_FUNCTIONS: SqlCompletionSchema['functions'];
}

const schema: SqlCompletionSchema = {
  tables: Array.from({ length: 100 }, (_, t) => ({
    name: `table_${String(t).padStart(3, '0')}`,
    description: `Table ${t}`,
    columns: Array.from({ length: 50 }, (_, c) => ({
      name: `column_${t}_${String(c).padStart(2, '0')}`,
      type: c % 3 === 0 ? 'VARCHAR' : 'BIGINT',
    })),
  })),
  events: Array.from({ length: 40 }, (_, i) => `event_${i}`),
  properties: Array.from({ length: 200 }, (_, i) => ({
    event: `event_${i % 40}`,
    name: `property_${i}`,
    type: 'string',
  })),
  functions: BENCH_FUNCTIONS,
};
// The editor's own language and completion sources (components/sql/sql-editor.tsx).
const view = new EditorView({
  doc: '',
  extensions: [basicSetup, ...sqlLanguageExtensions(schema)],
  parent: document.body,
});

const listShown = () =>
  completionStatus(view.state) === 'active' &&
  currentCompletions(view.state).length > 0 &&
  document.querySelector('.cm-tooltip-autocomplete li') !== null;

const until = (done: () => boolean, timeoutMs = 5_000) =>
  new Promise<void>((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      if (done()) resolve();
      else if (performance.now() - started > timeoutMs) reject(new Error('no completion list'));
      else setTimeout(check, 1);
    };
    check();
  });

window.openList = async (text: string) => {
  closeCompletion(view);
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    selection: { anchor: text.length },
  });
  const started = performance.now();
  startCompletion(view);
  await until(listShown);
  return performance.now() - started;
};

window.typeWithListOpen = async (text: string, ch: string) => {
  await window.openList(text);
  const started = performance.now();
  view.dispatch({
    changes: { from: text.length, insert: ch },
    selection: { anchor: text.length + 1 },
    userEvent: 'input.type',
  });
  // Until the list has its options again (a source asked again answers asynchronously), then
  // force style and layout of the updated list, as the frame that shows it would.
  await until(() => currentCompletions(view.state).length > 0, 2_000).catch(() => undefined);
  document.querySelector('.cm-tooltip-autocomplete')?.getBoundingClientRect();
  const ms = performance.now() - started;
  return { ms, options: currentCompletions(view.state).length };
};
window.benchReady = true;
