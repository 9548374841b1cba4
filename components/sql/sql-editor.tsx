'use client';
// The SQL text editor: CodeMirror 6 with the SQL language (PostgreSQL flavour, the closest to
// DuckDB's), completion of the workspace's tables and columns (lang-sql's), the engine's functions
// and of event names and property keys inside string literals, the error of the last run
// underlined where the engine pointed, and the editor's keys: Mod-Enter runs (the selection if
// there is one), Shift-Mod-Enter runs every statement (script mode), Shift-Alt-F formats,
// Mod-/ toggles comments, Mod-F finds and replaces.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTheme } from 'next-themes';
import CodeMirror, {
  EditorView,
  keymap,
  Prec,
  type ReactCodeMirrorRef,
} from '@uiw/react-codemirror';
import { PostgreSQL, sql as sqlLanguage } from '@codemirror/lang-sql';
import {
  autocompletion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { syntaxTree } from '@codemirror/language';
import type { EditorState, Extension } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';

export interface SqlCompletionSchema {
  tables: { name: string; description: string; columns: { name: string; type: string | null }[] }[];
  events: string[];
  properties: { event: string; name: string; type: string }[];
  functions?: { name: string; kind: string; parameters: string; description: string }[];
}

export interface EditorError {
  message: string;
  /** 0-based offset into the text that ran. */
  position?: number;
}

/**
 * The workspace's own completions, one source: event names and property keys inside a string
 * literal ('sig… → 'signed_up'), the engine's functions where an expression may start. One
 * source that answers with a result (`validFor`) wherever a word is typed, even an empty one
 * after `alias.`: a source that answers null is asked again on every keystroke, and while it is
 * the open list has no options (measured in bench/pages/sql-autocomplete.ts).
 */
function workspaceCompletions(schema: SqlCompletionSchema) {
  const literals = [
    ...schema.events.map((label) => ({ label, type: 'constant', detail: 'event' })),
    ...[...new Set(schema.properties.map((p) => p.name))].map((label) => ({
      label,
      type: 'property',
      detail: 'property key',
    })),
  ];
  const functions = (schema.functions ?? []).map((f) => ({
    label: f.name,
    type: 'function',
    detail: `${f.kind === 'aggregate' ? 'aggregate ' : ''}(${f.parameters})`,
    info: f.description || undefined,
    // Below the tables and columns whose names start the same.
    boost: -1,
  }));
  return (context: CompletionContext): CompletionResult | null => {
    const node = syntaxTree(context.state).resolveInner(context.pos, -1);
    if (node.name === 'String') {
      const from = node.from + 1;
      if (context.pos < from) return null;
      return { from, options: literals, validFor: /^[\w.$-]*$/ };
    }
    if (/Comment/.test(node.name)) return null;
    const word = context.matchBefore(/\w*/);
    const from = word?.from ?? context.pos;
    if (from === context.pos && !context.explicit) return null;
    // After `alias.` a column comes (lang-sql's); nothing of ours.
    const options = context.state.sliceDoc(from - 1, from) === '.' ? [] : functions;
    return { from, options, validFor: /^\w*$/ };
  };
}

/** The error underlined at its position (the word there), or the first line without one. */
function diagnosticsOf(
  state: EditorState,
  error: EditorError | undefined,
  errorOffset: number,
): Diagnostic[] {
  if (!error) return [];
  const length = state.doc.length;
  const from = Math.min(length, (error.position ?? 0) + errorOffset);
  const word = state.wordAt(from);
  const to =
    error.position === undefined
      ? state.doc.lineAt(from).to
      : (word?.to ?? Math.min(length, from + 1));
  return [
    {
      from: word?.from ?? from,
      to: Math.max(to, from),
      severity: 'error',
      message: error.message,
    },
  ];
}

/** How long typing must pause before the parent hears of the change. */
export const CHANGE_DELAY_MS = 250;

/** The editor adds autocompletion itself, configured (below). */
const BASIC_SETUP = {
  foldGutter: false,
  highlightActiveLineGutter: true,
  autocompletion: false,
} as const;

/**
 * The SQL language with the workspace's completions: lang-sql's keywords, tables and columns;
 * the engine's functions; event names and property keys inside string literals. Used by the
 * editor and by the autocomplete bench (bench/pages/sql-autocomplete.ts), so it measures this.
 */
export function sqlLanguageExtensions(schema: SqlCompletionSchema | undefined): Extension[] {
  const tables = Object.fromEntries(
    (schema?.tables ?? []).map((t) => [
      t.name,
      t.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type ?? '' })),
    ]),
  );
  const language = sqlLanguage({
    dialect: PostgreSQL,
    schema: tables,
    tables: (schema?.tables ?? []).map((t) => ({
      label: t.name,
      type: 'type',
      detail: 'table',
      info: t.description || undefined,
    })),
  });
  if (!schema) return [language];
  return [language, language.language.data.of({ autocomplete: workspaceCompletions(schema) })];
}

export function SqlEditor({
  value,
  onChange,
  onRun,
  onRunScript,
  onFormat,
  schema,
  error,
  errorOffset = 0,
  editorRef,
}: {
  /**
   * The text when the editor mounts. The editor owns its text after that (mount it per tab,
   * with a key): changes come out through `onChange`, and go in on the view (editorRef).
   */
  value: string;
  /** The text, a moment after typing stops (and when the editor unmounts or loses focus). */
  onChange: (value: string) => void;
  /** Runs the selection, or everything when nothing is selected. */
  onRun: (sql: string, offset: number) => void;
  /** Runs every statement of the text in turn (script mode, Shift+Mod+Enter). */
  onRunScript?: () => void;
  onFormat: () => void;
  schema: SqlCompletionSchema | undefined;
  error: EditorError | undefined;
  /** Where the text that ran starts in the editor (a selection's start). */
  errorOffset?: number;
  editorRef?: React.Ref<ReactCodeMirrorRef>;
}) {
  const { resolvedTheme } = useTheme();
  // @uiw/react-codemirror reconfigures the whole editor whenever `extensions`, `basicSetup` or
  // `onChange` changes identity — on a 10,000-line script that cost most of a frame per
  // keystroke (bench/sql-typing.ts). So the callbacks are read through refs and the extensions
  // depend on the schema and the error only.
  const callbacks = useRef({ onChange, onRun, onRunScript, onFormat });
  useEffect(() => {
    callbacks.current = { onChange, onRun, onRunScript, onFormat };
  });
  // The parent hears of a change only once typing pauses: re-rendering the workbench on every
  // keystroke was most of what a keystroke cost on a long script. Nothing is lost: a pending
  // change is delivered on blur and on unmount (a tab switch).
  // The text is read from the state only then: @uiw/react-codemirror's onChange would build the
  // whole document as a string on every keystroke (garbage that a long script pays for in GC).
  const pending = useRef<{ state: EditorState; timer: ReturnType<typeof setTimeout> } | undefined>(
    undefined,
  );
  const flush = useCallback(() => {
    const change = pending.current;
    if (!change) return;
    clearTimeout(change.timer);
    pending.current = undefined;
    callbacks.current.onChange(change.state.doc.toString());
  }, []);
  const schedule = useCallback(
    (state: EditorState) => {
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { state, timer: setTimeout(flush, CHANGE_DELAY_MS) };
    },
    [flush],
  );
  useEffect(() => flush, [flush]);
  // The first text only: later `value`s are not pushed into the editor (see the prop).
  const [initialValue] = useState(value);
  const extensions = useMemo(() => {
    const run = (view: EditorView) => {
      const range = view.state.selection.main;
      const text = range.empty
        ? view.state.doc.toString()
        : view.state.sliceDoc(range.from, range.to);
      callbacks.current.onRun(text, range.empty ? 0 : range.from);
      return true;
    };
    return [
      ...sqlLanguageExtensions(schema),
      // The list redraws its rendered options whenever typing filters it: 25 rather than 100
      // took the frame that opens or narrows it on a long script back under a vsync
      // (bench/sql-typing.ts). No line wrapping for the same reason: wrapped lines made every
      // keystroke re-measure line heights, and SQL editors scroll long lines sideways anyway.
      autocompletion({ maxRenderedOptions: 25 }),
      // The listener runs on transactions, not during render.
      // eslint-disable-next-line react-hooks/refs
      EditorView.updateListener.of((update) => {
        if (update.docChanged) schedule(update.state);
      }),
      Prec.highest(
        // keymap.of stores the handlers; they read the refs on a key press, not during render.
        // eslint-disable-next-line react-hooks/refs
        keymap.of([
          { key: 'Mod-Enter', run, preventDefault: true },
          {
            key: 'Shift-Mod-Enter',
            run: () => {
              callbacks.current.onRunScript?.();
              return true;
            },
            preventDefault: true,
          },
          {
            key: 'Shift-Alt-f',
            run: () => {
              callbacks.current.onFormat();
              return true;
            },
            preventDefault: true,
          },
        ]),
      ),
    ];
  }, [schema, schedule]);

  // The last run's error as a diagnostic, set once when it changes (CodeMirror then moves it
  // with the text as the analyst edits); no linter pass on every keystroke.
  const view = useRef<EditorView | null>(null);
  const showError = useCallback(
    (target: EditorView) =>
      target.dispatch(
        setDiagnostics(target.state, diagnosticsOf(target.state, error, errorOffset)),
      ),
    [error, errorOffset],
  );
  useEffect(() => {
    if (view.current) showError(view.current);
  }, [showError]);
  const onCreateEditor = useCallback(
    (created: EditorView) => {
      view.current = created;
      showError(created);
    },
    [showError],
  );

  return (
    <CodeMirror
      ref={editorRef}
      value={initialValue}
      onBlur={flush}
      height="100%"
      className="h-full min-h-0 overflow-hidden text-sm [&_.cm-editor]:h-full [&_.cm-editor]:outline-none"
      theme={resolvedTheme === 'dark' ? oneDark : 'light'}
      extensions={extensions}
      onCreateEditor={onCreateEditor}
      basicSetup={BASIC_SETUP}
      data-testid="sql-editor"
      aria-label="SQL editor"
    />
  );
}
