'use client';
// The Ask conversation: questions in plain English, answers from the offline planner
// (server/ask/) with a chart or number, the table, what was computed, the SQL and the marts it
// read. A question after an answer is a follow-up of it ("now only enterprise", "as a weekly
// trend") until "New conversation". `?q=` asks a question on load (links, reloads restore it).
import * as React from 'react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMutation } from '@tanstack/react-query';
import {
  AlertTriangle,
  CornerDownLeft,
  Database,
  Loader2,
  MessageSquarePlus,
  MessageSquareText,
  SearchX,
  SendHorizontal,
  SquareTerminal,
  Table2,
  WifiOff,
} from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import type { AskAnswer, AskRefusal, AskResult } from '@/server/ask/ask-service';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { Kbd } from '@/components/ui/kbd';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { Textarea } from '@/components/ui/textarea';
import { ResultChart } from '@/components/sql/result-chart';
import { suggestChart } from '@/components/sql/result-chart-model';
import { cn } from '@/lib/utils';

export const EXAMPLE_QUESTIONS = [
  'How many users signed up last month?',
  'Weekly active users by plan since August',
  'Which 5 features were used by the most users in the last 30 days?',
  'What share of users who signed up in September completed onboarding?',
  'Average session duration in minutes by platform',
  'Conversion rate by variant in the annual_plan_default experiment',
] as const;

interface Turn {
  id: number;
  question: string;
  state: 'pending' | 'done' | 'error';
  result?: AskResult;
  error?: string;
}

/** Rows shown in an answer's table (the chart uses them all). */
const TABLE_ROWS = 50;

export function AskChat({ workspaceSlug }: { workspaceSlug: string }) {
  const trpc = useTRPC();
  const ask = useMutation(trpc.ask.ask.mutationOptions());
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [turns, setTurns] = React.useState<Turn[]>([]);
  const [draft, setDraft] = React.useState('');
  const [fresh, setFresh] = React.useState(true);
  const nextId = React.useRef(1);
  const input = React.useRef<HTMLTextAreaElement>(null);
  const bottom = React.useRef<HTMLDivElement>(null);

  // The plan a follow-up builds on: the last answer of this conversation.
  const context = React.useMemo(() => {
    if (fresh) return undefined;
    for (let i = turns.length - 1; i >= 0; i--) {
      const r = turns[i]!.result;
      if (r && !r.refused) return { plan: r.plan };
    }
    return undefined;
  }, [turns, fresh]);

  const submit = React.useCallback(
    async (question: string) => {
      const text = question.trim();
      if (!text || ask.isPending) return;
      const id = nextId.current++;
      setTurns((t) => [...t, { id, question: text, state: 'pending' }]);
      setDraft('');
      setFresh(false);
      const url = new URLSearchParams(params.toString());
      url.set('q', text);
      router.replace(`${pathname}?${url.toString()}`, { scroll: false });
      try {
        const result = await ask.mutateAsync({ question: text, context: context?.plan });
        setTurns((t) => t.map((x) => (x.id === id ? { ...x, state: 'done', result } : x)));
      } catch (error) {
        setTurns((t) =>
          t.map((x) =>
            x.id === id ? { ...x, state: 'error', error: (error as Error).message } : x,
          ),
        );
      }
    },
    [ask, context, params, pathname, router],
  );

  // `?q=` on load: ask it once.
  const asked = React.useRef(false);
  React.useEffect(() => {
    const q = params.get('q');
    if (asked.current || !q) return;
    asked.current = true;
    void submit(q);
  }, [params, submit]);

  React.useEffect(() => {
    bottom.current?.scrollIntoView({ behavior: 'smooth', block: 'end' });
  }, [turns]);

  // "/" focuses the question box (when not typing elsewhere).
  React.useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== '/' || target?.closest('input, textarea, [contenteditable]')) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const newConversation = () => {
    setTurns([]);
    setFresh(true);
    const url = new URLSearchParams(params.toString());
    url.delete('q');
    router.replace(url.size ? `${pathname}?${url.toString()}` : pathname, { scroll: false });
    input.current?.focus();
  };

  return (
    <div className="grid gap-5" data-testid="ask-chat">
      {turns.length === 0 ? (
        <EmptyState onPick={(q) => void submit(q)} />
      ) : (
        <ol className="grid gap-5" aria-label="Conversation">
          {turns.map((turn) => (
            <li key={turn.id} className="grid gap-3" data-testid="ask-turn" data-state={turn.state}>
              <div className="flex justify-end">
                <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-primary px-4 py-2 text-sm text-primary-foreground">
                  {turn.result && !turn.result.refused && turn.result.followUp && (
                    <span className="mr-2 text-xs opacity-75" title="Builds on the previous answer">
                      ↳ follow-up
                    </span>
                  )}
                  {turn.question}
                </div>
              </div>
              {turn.state === 'pending' && <PendingAnswer />}
              {turn.state === 'error' && (
                <Alert variant="destructive" data-testid="ask-error">
                  <AlertTriangle />
                  <AlertTitle>Could not answer</AlertTitle>
                  <AlertDescription>{turn.error}</AlertDescription>
                </Alert>
              )}
              {turn.result?.refused && (
                <Refusal result={turn.result} onPick={(q) => void submit(q)} />
              )}
              {turn.result && !turn.result.refused && (
                <Answer answer={turn.result} workspaceSlug={workspaceSlug} />
              )}
            </li>
          ))}
        </ol>
      )}
      <div ref={bottom} />

      <Card className="sticky bottom-4 gap-3 py-3 shadow-lg">
        <CardContent className="grid gap-2 px-4">
          <Label htmlFor="ask-question" className="sr-only">
            Your question
          </Label>
          <Textarea
            id="ask-question"
            ref={input}
            rows={2}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void submit(draft);
              }
            }}
            maxLength={1000}
            placeholder={
              context
                ? 'Follow up on the last answer (“now only enterprise”, “as a weekly trend”) or ask something new'
                : 'Ask about your product data, e.g. “How many users signed up last week?”'
            }
            className="min-h-14 resize-none border-0 bg-transparent px-1 shadow-none focus-visible:ring-0 dark:bg-transparent"
            data-testid="ask-input"
          />
          <div className="flex flex-wrap items-center justify-between gap-2 border-t pt-2">
            <span className="flex items-center gap-1.5 text-xs text-muted-foreground">
              <WifiOff className="size-3.5" aria-hidden />
              Answered on this server from this workspace&apos;s data; nothing leaves it.
              <span className="hidden sm:inline">
                <Kbd>Enter</Kbd> to ask, <Kbd>Shift</Kbd>+<Kbd>Enter</Kbd> new line, <Kbd>/</Kbd> to
                focus
              </span>
            </span>
            <div className="flex items-center gap-2">
              {turns.length > 0 && (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={newConversation}
                  data-testid="ask-new-conversation"
                >
                  <MessageSquarePlus />
                  New conversation
                </Button>
              )}
              <Button
                size="sm"
                onClick={() => void submit(draft)}
                disabled={!draft.trim() || ask.isPending}
                data-testid="ask-submit"
              >
                {ask.isPending ? <Loader2 className="animate-spin" /> : <SendHorizontal />}
                Ask
              </Button>
            </div>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}

function EmptyState({ onPick }: { onPick: (question: string) => void }) {
  return (
    <section aria-labelledby="ask-examples-heading" className="grid gap-3">
      <h2 id="ask-examples-heading" className="text-sm font-semibold">
        Try a question
      </h2>
      <ul className="grid gap-2 sm:grid-cols-2">
        {EXAMPLE_QUESTIONS.map((question) => (
          <li key={question}>
            <button
              type="button"
              onClick={() => onPick(question)}
              className="flex w-full items-center gap-3 rounded-lg border bg-card px-4 py-3 text-left text-sm transition-colors hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              data-testid="ask-example"
            >
              <MessageSquareText className="size-4 shrink-0 text-muted-foreground" aria-hidden />
              {question}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function PendingAnswer() {
  return (
    <Card className="gap-3 py-4" aria-busy="true" data-testid="ask-pending">
      <CardContent className="grid gap-3 px-4">
        <span className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin" aria-hidden />
          Planning the question and running it on the marts…
        </span>
        <Skeleton className="h-4 w-3/4" />
        <Skeleton className="h-40 w-full" />
      </CardContent>
    </Card>
  );
}

function Refusal({ result, onPick }: { result: AskRefusal; onPick: (question: string) => void }) {
  return (
    <Card className="gap-3 py-4" data-testid="ask-refusal">
      <CardContent className="grid gap-3 px-4">
        <p className="flex items-start gap-2 text-sm">
          <SearchX className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span>
            <span className="font-medium">I can&apos;t answer that from the data.</span>{' '}
            {result.reason}
          </span>
        </p>
        <div className="grid gap-2">
          <span className="text-xs text-muted-foreground">Questions I can answer:</span>
          <div className="flex flex-wrap gap-2">
            {result.suggestions.map((s) => (
              <Button key={s} size="sm" variant="outline" onClick={() => onPick(s)}>
                {s}
              </Button>
            ))}
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? value.toLocaleString('en-US')
      : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

function Answer({ answer, workspaceSlug }: { answer: AskAnswer; workspaceSlug: string }) {
  const [view, setView] = React.useState<'chart' | 'table'>('chart');
  const config = React.useMemo(
    () => suggestChart(answer.columns, answer.rows),
    [answer.columns, answer.rows],
  );
  const chartable = config !== null;
  const shown = chartable ? view : 'table';
  const sqlHref = `/w/${workspaceSlug}/sql?sql=${encodeURIComponent(answer.sql)}`;
  return (
    <Card className="gap-4 py-4" data-testid="ask-answer">
      <CardContent className="grid gap-4 px-4">
        <p className="text-sm leading-relaxed" data-testid="ask-explanation">
          {answer.explanation}
        </p>
        {answer.notes.length > 0 && (
          <ul className="grid gap-1 text-xs text-muted-foreground">
            {answer.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {answer.rows.length === 0 ? (
          <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
            No rows: nothing in the data matches this question for that period.
          </p>
        ) : (
          <>
            {chartable && (
              <div className="flex gap-1" role="tablist" aria-label="Answer view">
                {(['chart', 'table'] as const).map((v) => (
                  <Button
                    key={v}
                    size="sm"
                    variant={shown === v ? 'secondary' : 'ghost'}
                    role="tab"
                    aria-selected={shown === v}
                    onClick={() => setView(v)}
                    data-testid={`ask-view-${v}`}
                  >
                    {v === 'chart' ? 'Chart' : 'Table'}
                  </Button>
                ))}
              </div>
            )}
            {shown === 'chart' && config ? (
              <ResultChart result={answer} config={config} height={260} />
            ) : (
              <AnswerTable answer={answer} />
            )}
          </>
        )}
        <details className="group rounded-md border" data-testid="ask-sql">
          <summary className="flex cursor-pointer items-center gap-2 px-3 py-2 text-xs font-medium text-muted-foreground select-none">
            <SquareTerminal className="size-3.5" aria-hidden />
            SQL
            <span className="font-normal">(compiled from the plan, run read-only)</span>
          </summary>
          <CodeBlock code={answer.sql} className="rounded-none border-0 border-t" />
        </details>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
            <Database className="size-3.5" aria-hidden />
            Sources:
            {answer.sources.map((s) => (
              <Link
                key={s.name}
                href={`/w/${workspaceSlug}/${s.href}`}
                className="rounded border px-1.5 py-0.5 font-mono hover:bg-accent"
                data-testid="ask-source"
              >
                {s.name}
              </Link>
            ))}
            <Badge variant="outline" className="ml-1 font-normal">
              offline planner · {answer.durationMs} ms
            </Badge>
          </div>
          <Button size="sm" variant="outline" asChild>
            <Link href={sqlHref} data-testid="ask-open-sql">
              <CornerDownLeft />
              Open in SQL editor
            </Link>
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function AnswerTable({ answer }: { answer: AskAnswer }) {
  const rows = answer.rows.slice(0, TABLE_ROWS);
  return (
    <div className="grid gap-1">
      <div className="max-h-80 overflow-auto rounded-md border">
        <table className="w-full text-sm" data-testid="ask-table">
          <thead className="sticky top-0 bg-muted/80 backdrop-blur">
            <tr>
              {answer.columns.map((c) => (
                <th key={c.name} className="px-3 py-1.5 text-left font-medium whitespace-nowrap">
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i} className="border-t">
                {row.map((cell, j) => (
                  <td
                    key={j}
                    className={cn(
                      'px-3 py-1 whitespace-nowrap',
                      typeof cell === 'number' || typeof cell === 'bigint'
                        ? 'text-right tabular-nums'
                        : '',
                    )}
                  >
                    {formatCell(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <span className="flex items-center gap-1 text-xs text-muted-foreground">
        <Table2 className="size-3.5" aria-hidden />
        {answer.rows.length.toLocaleString('en-US')} row{answer.rows.length === 1 ? '' : 's'}
        {answer.rows.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} shown)` : ''}
        {answer.truncated ? ' — truncated at the row cap' : ''}
      </span>
    </div>
  );
}
