'use client';
// The Ask conversation: questions in plain English, answers from the offline planner
// (server/ask/) with a chart or number, the table, what was computed, the SQL and the marts it
// read. A question after an answer is a follow-up of it ("now only enterprise", "as a weekly
// trend") until "New conversation". Every question is kept in the asker's history (ask.history);
// answers take a thumbs up or down with a correction, open as an insight or in the SQL editor, or
// go on a dashboard. On the Ask page the URL holds the conversation (`?c=`) and `?q=` asks a
// question on load; the drawer (every page, AskDrawer) keeps its state to itself.
import * as React from 'react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import {
  AlertTriangle,
  ChartLine,
  CornerDownLeft,
  Database,
  History,
  LayoutDashboard,
  Loader2,
  MessageSquarePlus,
  MessageSquareText,
  Pin,
  SearchX,
  SendHorizontal,
  Sparkles,
  SquareTerminal,
  Table2,
  ThumbsDown,
  ThumbsUp,
  Trash2,
  WifiOff,
} from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import type { RelatedItem } from '@/server/ask/ask-retrieval';
import type { AskAnswer, AskRefusal, AskResult } from '@/server/ask/ask-service';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { Kbd } from '@/components/ui/kbd';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { Textarea } from '@/components/ui/textarea';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
import { withQuery } from '@/components/insights/query-url';
import { ResultChart } from '@/components/sql/result-chart';
import { suggestChart } from '@/components/sql/result-chart-model';
import type { SectionRole } from '@/components/sections/types';
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
  /** Where the answer is in the asker's history (feedback goes to it). */
  messageId?: string;
  rating?: 'up' | 'down' | null;
  /** The answer to a correction the asker gave (not a question of the conversation). */
  correctionOf?: string;
}

/** The conversation parameter of the Ask page. */
export const CONVERSATION_PARAM = 'c';

/** Rows shown in an answer's table (the chart uses them all). */
const TABLE_ROWS = 50;

export function AskChat({
  workspaceSlug,
  role,
  mode = 'page',
  initialConversationId,
  onConversationChange,
}: {
  workspaceSlug: string;
  role: SectionRole;
  /** `page`: the Ask page (state in the URL); `drawer`: the panel on every page. */
  mode?: 'page' | 'drawer';
  /** The drawer: the conversation to show when it opens again. */
  initialConversationId?: string;
  onConversationChange?: (id: string | undefined) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ask = useMutation(trpc.ask.ask.mutationOptions());
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [turns, setTurns] = React.useState<Turn[]>([]);
  const [draft, setDraft] = React.useState('');
  const [fresh, setFresh] = React.useState(true);
  const [conversationId, setConversationId] = React.useState<string | undefined>();
  const [showHistory, setShowHistory] = React.useState(false);
  const nextId = React.useRef(1);
  const input = React.useRef<HTMLTextAreaElement>(null);
  const bottom = React.useRef<HTMLDivElement>(null);
  const inPage = mode === 'page';
  const changeConversation = React.useCallback(
    (id: string | undefined) => {
      setConversationId(id);
      onConversationChange?.(id);
    },
    [onConversationChange],
  );

  // The plan a follow-up builds on: the last answer of this conversation.
  const context = React.useMemo(() => {
    if (fresh) return undefined;
    for (let i = turns.length - 1; i >= 0; i--) {
      const t = turns[i]!;
      if (t.result && !t.result.refused && !t.correctionOf) return { plan: t.result.plan };
    }
    return undefined;
  }, [turns, fresh]);

  const setUrl = React.useCallback(
    (edit: (url: URLSearchParams) => void) => {
      if (!inPage) return;
      const url = new URLSearchParams(params.toString());
      edit(url);
      router.replace(url.size ? `${pathname}?${url.toString()}` : pathname, { scroll: false });
    },
    [inPage, params, pathname, router],
  );

  const submit = React.useCallback(
    async (question: string) => {
      const text = question.trim();
      if (!text || ask.isPending) return;
      const id = nextId.current++;
      setTurns((t) => [...t, { id, question: text, state: 'pending' }]);
      setDraft('');
      setFresh(false);
      setShowHistory(false);
      try {
        const result = await ask.mutateAsync({
          question: text,
          context: context?.plan,
          conversationId,
        });
        changeConversation(result.conversationId);
        setUrl((url) => {
          url.set(CONVERSATION_PARAM, result.conversationId);
          url.delete('q');
        });
        setTurns((t) =>
          t.map((x) =>
            x.id === id
              ? { ...x, state: 'done', result, messageId: result.messageId, rating: null }
              : x,
          ),
        );
        void queryClient.invalidateQueries({ queryKey: trpc.ask.conversations.queryKey() });
      } catch (error) {
        setTurns((t) =>
          t.map((x) =>
            x.id === id ? { ...x, state: 'error', error: (error as Error).message } : x,
          ),
        );
      }
    },
    [ask, changeConversation, context, conversationId, queryClient, setUrl, trpc],
  );

  const openConversation = React.useCallback(
    async (id: string) => {
      setShowHistory(false);
      try {
        const view = await queryClient.fetchQuery(trpc.ask.conversation.queryOptions({ id }));
        setTurns(
          view.messages.map((m) => ({
            id: nextId.current++,
            question: m.question,
            state: 'done',
            result: m.result,
            messageId: m.id,
            rating: m.rating,
          })),
        );
        changeConversation(view.id);
        setFresh(false);
        setUrl((url) => {
          url.set(CONVERSATION_PARAM, view.id);
          url.delete('q');
        });
      } catch (error) {
        toast.error((error as Error).message);
        setUrl((url) => url.delete(CONVERSATION_PARAM));
      }
    },
    [changeConversation, queryClient, setUrl, trpc],
  );

  // On load: `?c=` reopens a conversation, `?q=` asks a question once (the page); the drawer
  // reopens its last conversation.
  const loaded = React.useRef(false);
  React.useEffect(() => {
    if (loaded.current) return;
    loaded.current = true;
    if (!inPage) {
      if (initialConversationId) void openConversation(initialConversationId);
      return;
    }
    const c = params.get(CONVERSATION_PARAM);
    const q = params.get('q');
    if (c) void openConversation(c);
    else if (q) void submit(q);
  }, [inPage, initialConversationId, params, openConversation, submit]);

  React.useEffect(() => {
    bottom.current?.scrollIntoView({ behavior: 'smooth', block: 'end' });
  }, [turns]);

  // "/" focuses the question box (when not typing elsewhere) on the page.
  React.useEffect(() => {
    if (!inPage) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== '/' || target?.closest('input, textarea, [contenteditable]')) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [inPage]);

  const newConversation = () => {
    setTurns([]);
    setFresh(true);
    changeConversation(undefined);
    setShowHistory(false);
    setUrl((url) => {
      url.delete('q');
      url.delete(CONVERSATION_PARAM);
    });
    input.current?.focus();
  };

  const onRated = (turnId: number, rating: 'up' | 'down', corrected?: AskAnswer) => {
    setTurns((t) => {
      const next = t.map((x) => (x.id === turnId ? { ...x, rating } : x));
      if (!corrected) return next;
      const at = next.findIndex((x) => x.id === turnId);
      const turn: Turn = {
        id: nextId.current++,
        question: corrected.question,
        state: 'done',
        result: corrected,
        correctionOf: next[at]?.question,
      };
      return [...next.slice(0, at + 1), turn, ...next.slice(at + 1)];
    });
  };

  return (
    <div className="grid gap-5" data-testid="ask-chat" data-mode={mode}>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <span className="mr-auto">
          <RetrievalBadge />
        </span>
        <Button
          size="sm"
          variant={showHistory ? 'secondary' : 'ghost'}
          onClick={() => setShowHistory((v) => !v)}
          aria-expanded={showHistory}
          data-testid="ask-history-toggle"
        >
          <History />
          History
        </Button>
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
      </div>
      {showHistory && (
        <HistoryList
          current={conversationId}
          onOpen={(id) => void openConversation(id)}
          onDeleted={(id) => {
            if (id === conversationId) newConversation();
          }}
        />
      )}
      {turns.length === 0 ? (
        !showHistory && <EmptyState onPick={(q) => void submit(q)} compact={!inPage} />
      ) : (
        <ol className="grid gap-5" aria-label="Conversation">
          {turns.map((turn) => (
            <li key={turn.id} className="grid gap-3" data-testid="ask-turn" data-state={turn.state}>
              <div className="flex justify-end">
                <div
                  className={cn(
                    'max-w-[85%] rounded-2xl rounded-br-sm px-4 py-2 text-sm',
                    turn.correctionOf
                      ? 'border border-dashed bg-muted text-foreground'
                      : 'bg-primary text-primary-foreground',
                  )}
                >
                  {turn.result && !turn.result.refused && turn.result.followUp && (
                    <span className="mr-2 text-xs opacity-75" title="Builds on the previous answer">
                      ↳ follow-up
                    </span>
                  )}
                  {turn.correctionOf && (
                    <span className="mr-2 text-xs text-muted-foreground">Your correction:</span>
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
                <Answer
                  answer={turn.result}
                  workspaceSlug={workspaceSlug}
                  role={role}
                  feedback={
                    turn.messageId
                      ? {
                          messageId: turn.messageId,
                          rating: turn.rating ?? null,
                          onRated: (rating, corrected) => onRated(turn.id, rating, corrected),
                        }
                      : undefined
                  }
                />
              )}
            </li>
          ))}
        </ol>
      )}
      <div ref={bottom} />

      <Card className="sticky bottom-4 gap-3 py-3 shadow-lg">
        <CardContent className="grid gap-2 px-4">
          <Label htmlFor={`ask-question-${mode}`} className="sr-only">
            Your question
          </Label>
          <Textarea
            id={`ask-question-${mode}`}
            ref={input}
            rows={2}
            autoFocus={!inPage}
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
              {inPage && (
                <span className="hidden sm:inline">
                  <Kbd>Enter</Kbd> to ask, <Kbd>Shift</Kbd>+<Kbd>Enter</Kbd> new line, <Kbd>/</Kbd>{' '}
                  to focus
                </span>
              )}
            </span>
            <div className="flex items-center gap-2">
              {!inPage && conversationId && (
                <Button size="sm" variant="ghost" asChild>
                  <Link
                    href={`/w/${workspaceSlug}/ask?${CONVERSATION_PARAM}=${encodeURIComponent(conversationId)}`}
                    data-testid="ask-open-page"
                  >
                    Open on the Ask page
                  </Link>
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

function HistoryList({
  current,
  onOpen,
  onDeleted,
}: {
  current: string | undefined;
  onOpen: (id: string) => void;
  onDeleted: (id: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.ask.conversations.queryOptions());
  const remove = useMutation(
    trpc.ask.deleteConversation.mutationOptions({
      onSuccess: (_r, { id }) => {
        onDeleted(id);
        void queryClient.invalidateQueries({ queryKey: trpc.ask.conversations.queryKey() });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <section
      aria-labelledby="ask-history-heading"
      className="grid gap-2 rounded-lg border bg-card p-3"
      data-testid="ask-history"
    >
      <h2 id="ask-history-heading" className="text-sm font-semibold">
        Your conversations
      </h2>
      {list.isPending ? (
        <div className="grid gap-2" aria-busy="true">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : list.isError ? (
        <p className="text-sm text-destructive">{list.error.message}</p>
      ) : list.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No conversations yet. Ask a question; it is kept here, for you only.
        </p>
      ) : (
        <ul className="grid max-h-80 gap-1 overflow-auto">
          {list.data.map((c) => (
            <li key={c.id} className="group flex items-center gap-1">
              <button
                type="button"
                onClick={() => onOpen(c.id)}
                className={cn(
                  'flex min-w-0 flex-1 items-center justify-between gap-3 rounded-md px-2 py-1.5 text-left text-sm hover:bg-accent',
                  c.id === current && 'bg-accent',
                )}
                data-testid="ask-history-item"
              >
                <span className="truncate">{c.title}</span>
                <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
                  {c.messageCount} · {new Date(c.updatedAt).toLocaleDateString()}
                </span>
              </button>
              <Button
                size="icon"
                variant="ghost"
                className="size-7 opacity-60 group-hover:opacity-100"
                aria-label={`Delete “${c.title}”`}
                onClick={() => remove.mutate({ id: c.id })}
                disabled={remove.isPending}
              >
                <Trash2 />
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EmptyState({ onPick, compact }: { onPick: (question: string) => void; compact: boolean }) {
  return (
    <section aria-labelledby="ask-examples-heading" className="grid gap-3">
      <h2 id="ask-examples-heading" className="text-sm font-semibold">
        Try a question
      </h2>
      <ul className={cn('grid gap-2', !compact && 'sm:grid-cols-2')}>
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

/** The first words of a refusal say which kind it is: missing data is not a misread question. */
const REFUSAL_HEADLINE: Record<NonNullable<AskRefusal['cause']>, string> = {
  no_data: 'I can’t answer that from the data.',
  not_a_question: 'That is not a question about the data.',
  unread: 'I could not read that question.',
  too_complex: 'I understood the question, but cannot compute it as one answer yet.',
};

function Refusal({ result, onPick }: { result: AskRefusal; onPick: (question: string) => void }) {
  return (
    <Card className="gap-3 py-4" data-testid="ask-refusal">
      <CardContent className="grid gap-3 px-4">
        <p className="flex items-start gap-2 text-sm">
          <SearchX className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span>
            <span className="font-medium">{REFUSAL_HEADLINE[result.cause ?? 'no_data']}</span>{' '}
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

interface FeedbackProps {
  messageId: string;
  rating: 'up' | 'down' | null;
  onRated: (rating: 'up' | 'down', corrected?: AskAnswer) => void;
}

function Answer({
  answer,
  workspaceSlug,
  role,
  feedback,
}: {
  answer: AskAnswer;
  workspaceSlug: string;
  role: SectionRole;
  feedback: FeedbackProps | undefined;
}) {
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
          <ul className="grid gap-1 text-xs text-muted-foreground" data-testid="ask-notes">
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
            {answer.planner === 'llm' ? `language model ${answer.model ?? ''}` : 'offline planner'}{' '}
            · {answer.durationMs} ms
          </Badge>
        </div>
        <RelatedItems question={answer.question} workspaceSlug={workspaceSlug} />
        <div className="flex flex-wrap items-center justify-between gap-2 border-t pt-3">
          {feedback ? <FeedbackControls feedback={feedback} /> : <span />}
          <div className="flex flex-wrap items-center gap-2">
            <OpenAsInsight answer={answer} workspaceSlug={workspaceSlug} />
            <Button size="sm" variant="outline" asChild>
              <Link href={sqlHref} data-testid="ask-open-sql">
                <CornerDownLeft />
                Open in SQL editor
              </Link>
            </Button>
            {role !== 'viewer' && <PinToDashboard answer={answer} workspaceSlug={workspaceSlug} />}
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

/** Saved items near the question, fetched after the answer (which never waits for them). */
function RelatedItems({ question, workspaceSlug }: { question: string; workspaceSlug: string }) {
  const trpc = useTRPC();
  const related = useQuery({
    ...trpc.ask.related.queryOptions({ question }),
    staleTime: 60_000,
  });
  if (!related.data?.length) return null;
  return (
    <div
      className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground"
      data-testid="ask-related"
    >
      <Sparkles className="size-3.5" aria-hidden />
      Related in this workspace:
      {related.data.map((r) => (
        <RelatedLink key={`${r.kind}:${r.id}`} item={r} workspaceSlug={workspaceSlug} />
      ))}
    </div>
  );
}

/** A saved insight (opened with its query) or a shared saved query (opened in the editor). */
function RelatedLink({ item, workspaceSlug }: { item: RelatedItem; workspaceSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const className = 'rounded border px-1.5 py-0.5 hover:bg-accent';
  if (item.kind === 'query')
    return (
      <Link
        href={`/w/${workspaceSlug}/sql?saved=${encodeURIComponent(item.id)}`}
        className={className}
        title="Saved SQL query"
      >
        {item.title}
      </Link>
    );
  const open = async () => {
    try {
      const saved = await queryClient.fetchQuery(
        trpc.savedInsights.get.queryOptions({ id: item.id }),
      );
      const params = withQuery('', saved.query, saved.chartType ?? undefined);
      params.set('insight', saved.id);
      router.push(`/w/${workspaceSlug}/insights?${params.toString()}`);
    } catch (error) {
      toast.error((error as Error).message);
    }
  };
  return (
    <button type="button" onClick={() => void open()} className={className} title="Saved insight">
      {item.title}
    </button>
  );
}

function RetrievalBadge() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.ask.status.queryOptions(), staleTime: 30_000 });
  const r = status.data?.retrieval;
  const llm = status.data?.llm;
  if (!r) return null;
  const label =
    r.state === 'failed'
      ? 'retrieval unavailable'
      : !r.embedder || r.state === 'indexing' || r.state === 'idle'
        ? 'retrieval: indexing the catalog…'
        : r.embedder.kind === 'model'
          ? `retrieval: ${r.embedder.id.split('@')[0]} · ${r.documents ?? 0} documents`
          : `retrieval: hashed n-grams (fallback, matches spelling only) · ${r.documents ?? 0} documents`;
  return (
    <Badge
      variant="outline"
      className="font-normal"
      title={
        r.state === 'failed'
          ? r.error
          : `Vector store: ${r.backend}${r.embedder ? `; embedder ${r.embedder.id} (${r.embedder.dimensions} dimensions)` : ''}`
      }
      data-testid="ask-retrieval"
      data-embedder={r.embedder?.kind ?? 'none'}
    >
      {label}
      {llm &&
        (llm.error
          ? ' · language model unavailable'
          : ` · language model ${llm.id ?? 'configured (loads on first use)'}`)}
    </Badge>
  );
}

function OpenAsInsight({ answer, workspaceSlug }: { answer: AskAnswer; workspaceSlug: string }) {
  if (!('query' in answer.insight))
    return (
      <Tooltip>
        <TooltipTrigger asChild>
          {/* A disabled button gets no pointer events; the span carries the tooltip. */}
          <span tabIndex={0} data-testid="ask-open-insight-unavailable">
            <Button size="sm" variant="outline" disabled>
              <ChartLine />
              Open as insight
            </Button>
          </span>
        </TooltipTrigger>
        <TooltipContent className="max-w-xs">{answer.insight.reason}</TooltipContent>
      </Tooltip>
    );
  const href = `/w/${workspaceSlug}/insights?${withQuery('', answer.insight.query, answer.insight.chartType).toString()}`;
  return (
    <Button size="sm" variant="outline" asChild>
      <Link href={href} data-testid="ask-open-insight">
        <ChartLine />
        Open as insight
      </Link>
    </Button>
  );
}

/** Adds the answer to a dashboard: as an insight tile when it is one, else as a saved query. */
function PinToDashboard({ answer, workspaceSlug }: { answer: AskAnswer; workspaceSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dashboards = useQuery(trpc.dashboards.list.queryOptions());
  const addTile = useMutation(trpc.dashboards.addTile.mutationOptions());
  const saveQuery = useMutation(trpc.sql.saved.create.mutationOptions());
  const pending = addTile.isPending || saveQuery.isPending;
  const name = answer.question.length > 200 ? `${answer.question.slice(0, 199)}…` : answer.question;

  const pin = async (dashboard: { id: string; name: string }) => {
    try {
      if ('query' in answer.insight) {
        await addTile.mutateAsync({
          dashboardId: dashboard.id,
          tile: {
            type: 'new_insight',
            insight: {
              name,
              description: answer.explanation.slice(0, 2000),
              query: answer.insight.query,
              chartType: answer.insight.chartType,
            },
          },
        });
      } else {
        const saved = await saveQuery.mutateAsync({
          name,
          description: answer.explanation.slice(0, 2000),
          folder: 'Ask',
          sql: answer.sql,
          shared: true,
          chart: suggestChart(answer.columns, answer.rows),
        });
        await addTile.mutateAsync({
          dashboardId: dashboard.id,
          tile: { type: 'query', savedQueryId: saved.id },
        });
      }
      void queryClient.invalidateQueries(trpc.dashboards.pathFilter());
      toast.success(`Pinned to “${dashboard.name}”.`, {
        action: {
          label: 'Open',
          onClick: () =>
            router.push(
              `/w/${encodeURIComponent(workspaceSlug)}/dashboards/${encodeURIComponent(dashboard.id)}`,
            ),
        },
      });
    } catch (error) {
      toast.error((error as Error).message);
    }
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button size="sm" variant="outline" disabled={pending} data-testid="ask-pin">
          {pending ? <Loader2 className="animate-spin" /> : <Pin />}
          Pin to dashboard
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">
          {'query' in answer.insight
            ? 'Adds it as an insight tile (it follows the dashboard’s dates) to'
            : 'Saves the SQL as a shared query and adds its chart to'}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {dashboards.isPending ? (
          <DropdownMenuItem disabled>Loading dashboards…</DropdownMenuItem>
        ) : (dashboards.data ?? []).length === 0 ? (
          <DropdownMenuItem asChild>
            <Link href={`/w/${encodeURIComponent(workspaceSlug)}/dashboards`}>
              Create a dashboard first
            </Link>
          </DropdownMenuItem>
        ) : (
          (dashboards.data ?? []).map((d) => (
            <DropdownMenuItem
              key={d.id}
              onSelect={() => void pin(d)}
              data-testid="ask-pin-dashboard"
            >
              <LayoutDashboard aria-hidden />
              <span className="truncate">{d.name}</span>
            </DropdownMenuItem>
          ))
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function FeedbackControls({ feedback }: { feedback: FeedbackProps }) {
  const trpc = useTRPC();
  const send = useMutation(trpc.ask.feedback.mutationOptions());
  const [correcting, setCorrecting] = React.useState(false);
  const [correction, setCorrection] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);

  const rate = async (rating: 'up' | 'down', text?: string) => {
    setError(null);
    try {
      const { corrected } = await send.mutateAsync({
        messageId: feedback.messageId,
        rating,
        ...(text ? { correction: text } : {}),
      });
      feedback.onRated(rating, corrected);
      setCorrecting(false);
      setCorrection('');
      toast.success(
        corrected
          ? 'Thanks. Questions read this way are answered as your correction from now on.'
          : rating === 'up'
            ? 'Thanks for the feedback.'
            : 'Thanks. Add a correction next time to teach Ask what you meant.',
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="grid gap-2" data-testid="ask-feedback">
      <div className="flex items-center gap-1 text-xs text-muted-foreground">
        <span className="mr-1">Right answer?</span>
        <Button
          size="icon"
          variant={feedback.rating === 'up' ? 'secondary' : 'ghost'}
          className="size-7"
          aria-label="Good answer"
          aria-pressed={feedback.rating === 'up'}
          disabled={send.isPending}
          onClick={() => void rate('up')}
          data-testid="ask-thumbs-up"
        >
          <ThumbsUp />
        </Button>
        <Button
          size="icon"
          variant={feedback.rating === 'down' || correcting ? 'secondary' : 'ghost'}
          className="size-7"
          aria-label="Wrong answer"
          aria-pressed={feedback.rating === 'down'}
          aria-expanded={correcting}
          disabled={send.isPending}
          onClick={() => setCorrecting((v) => !v)}
          data-testid="ask-thumbs-down"
        >
          <ThumbsDown />
        </Button>
      </div>
      {correcting && (
        <form
          className="grid gap-2 rounded-md border bg-muted/40 p-2"
          onSubmit={(e) => {
            e.preventDefault();
            void rate('down', correction.trim() || undefined);
          }}
          data-testid="ask-correction-form"
        >
          <Label htmlFor={`correction-${feedback.messageId}`} className="text-xs">
            What did you mean? Rephrase the question the way it should be read (optional):
          </Label>
          <Input
            id={`correction-${feedback.messageId}`}
            value={correction}
            onChange={(e) => setCorrection(e.target.value)}
            maxLength={1000}
            autoFocus
            placeholder="e.g. How many users exported reports last month?"
            data-testid="ask-correction-input"
          />
          {error && (
            <p className="text-xs text-destructive" role="alert" data-testid="ask-correction-error">
              {error}
            </p>
          )}
          <div className="flex gap-2">
            <Button
              size="sm"
              type="submit"
              disabled={send.isPending}
              data-testid="ask-correction-submit"
            >
              {send.isPending && <Loader2 className="animate-spin" />}
              {correction.trim() ? 'Send correction' : 'Just thumbs down'}
            </Button>
            <Button size="sm" type="button" variant="ghost" onClick={() => setCorrecting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </div>
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
