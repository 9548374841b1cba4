'use client';
// The Insights page's Cohorts section: the workspace's cohorts (name, description, size now,
// last update), a cohort's details (its definition in words, size now and size over time) and,
// for analysts and admins, the create / edit form and delete. Viewers read only. Which cohort
// is shown lives in the URL (use-cohort-url.ts).
import * as React from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ArrowLeft, Loader2, Pencil, Plus, Trash2, UsersRound } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert, QueryView } from '@/components/query-view';
import type { SectionRole } from '@/components/sections/types';
import { formatAbsolute, formatRelative } from '@/components/data/format';
import type { TCohort } from '@/server/insights/cohort-service';
import {
  AXIS_TICK,
  colorAt,
  CURSOR_FILL,
  GRID_STROKE,
  TooltipCard,
  type ChartTooltipProps,
} from '../chart-parts';
import { Segmented } from '../controls/segmented';
import { useEventNames } from '../controls/event-picker';
import { addDays, describeBucket, formatBucket, todayUtc } from '../dates';
import { formatCount } from '../format';
import { describeCondition, describeDefinition } from './cohort-definition';
import { CohortForm } from './cohort-form';
import { useCohortUrl, type CohortView } from './use-cohort-url';

export function CohortsSection({ role }: { role: SectionRole }) {
  const { view, go } = useCohortUrl();
  const v: CohortView = view ?? { mode: 'list' };
  const canEdit = role !== 'viewer';
  if (v.mode === 'new')
    return canEdit ? (
      <NewCohort
        onDone={(c) => go({ mode: 'detail', id: c.id })}
        onCancel={() => go({ mode: 'list' })}
      />
    ) : (
      <ReadOnlyNotice onBack={() => go({ mode: 'list' })} />
    );
  if (v.mode === 'edit')
    return canEdit ? (
      <EditCohort
        id={v.id}
        onDone={(c) => go({ mode: 'detail', id: c.id })}
        onCancel={() => go({ mode: 'detail', id: v.id })}
      />
    ) : (
      <ReadOnlyNotice onBack={() => go({ mode: 'detail', id: v.id })} />
    );
  if (v.mode === 'detail')
    return (
      <CohortDetail
        id={v.id}
        canEdit={canEdit}
        onBack={() => go({ mode: 'list' })}
        onEdit={() => go({ mode: 'edit', id: v.id })}
        onDeleted={() => go({ mode: 'list' })}
      />
    );
  return (
    <CohortList
      canEdit={canEdit}
      onOpen={(id) => go({ mode: 'detail', id })}
      onNew={() => go({ mode: 'new' })}
    />
  );
}

function ReadOnlyNotice({ onBack }: { onBack: () => void }) {
  return (
    <EmptyState
      icon={UsersRound}
      title="Only analysts and admins change cohorts"
      description="You can read every cohort of this workspace and use them in insights."
      action={{ label: 'Back to cohorts', onClick: onBack, variant: 'outline' }}
      data-testid="cohort-read-only"
    />
  );
}

function SectionHeader({
  title,
  description,
  onBack,
  actions,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  onBack?: () => void;
  actions?: React.ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="flex min-w-0 items-start gap-2">
        {onBack ? (
          <Button
            variant="ghost"
            size="icon"
            className="size-8 shrink-0"
            onClick={onBack}
            aria-label="Back to cohorts"
            data-testid="cohort-back"
          >
            <ArrowLeft aria-hidden />
          </Button>
        ) : null}
        <div className="grid min-w-0 gap-0.5">
          <h2 className="truncate text-base font-semibold" data-testid="cohort-title">
            {title}
          </h2>
          {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
        </div>
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

function CohortList({
  canEdit,
  onOpen,
  onNew,
}: {
  canEdit: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.cohorts.list.queryOptions());
  return (
    <section className="grid gap-4" data-testid="cohorts" aria-label="Cohorts">
      <SectionHeader
        title="Cohorts"
        description="Groups of users by what they did and who they are. Use them to filter or break down trends and funnels."
        actions={
          canEdit ? (
            <Button size="sm" onClick={onNew} data-testid="cohort-new">
              <Plus aria-hidden />
              New cohort
            </Button>
          ) : null
        }
      />
      <QueryView
        query={list}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            icon={UsersRound}
            title="No cohorts yet"
            description={
              canEdit
                ? 'Define a group of users — e.g. “exported a report 3+ times in the last 30 days” — and reuse it across insights.'
                : 'Cohorts that analysts and admins define in this workspace will be listed here.'
            }
            action={canEdit ? { label: 'New cohort', onClick: onNew, icon: Plus } : undefined}
            data-testid="cohorts-empty"
          />
        }
      >
        {(rows) => (
          <div className="overflow-hidden rounded-xl border bg-card">
            <Table data-testid="cohort-list">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="hidden md:table-cell">Definition</TableHead>
                  <TableHead className="text-right">Users now</TableHead>
                  <TableHead className="text-right">Updated</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((c) => (
                  <TableRow
                    key={c.id}
                    className="cursor-pointer"
                    onClick={() => onOpen(c.id)}
                    data-testid={`cohort-row-${c.id}`}
                  >
                    <TableCell className="max-w-72 align-top">
                      <button
                        type="button"
                        className="cursor-pointer text-left font-medium underline-offset-2 hover:underline"
                        onClick={(e) => {
                          e.stopPropagation();
                          onOpen(c.id);
                        }}
                        data-testid="cohort-open"
                      >
                        {c.name}
                      </button>
                      {c.description ? (
                        <p className="truncate text-xs text-muted-foreground">{c.description}</p>
                      ) : null}
                    </TableCell>
                    <TableCell className="hidden max-w-md align-top text-xs text-muted-foreground md:table-cell">
                      <span className="line-clamp-2 whitespace-normal">
                        {describeDefinition(c.definition)}
                      </span>
                    </TableCell>
                    <TableCell className="text-right align-top tabular-nums">
                      <CohortSize id={c.id} />
                    </TableCell>
                    <TableCell
                      className="text-right align-top text-xs text-muted-foreground"
                      title={formatAbsolute(c.updatedAt)}
                    >
                      {formatRelative(c.updatedAt)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
    </section>
  );
}

function CohortSize({ id }: { id: string }) {
  const trpc = useTRPC();
  const size = useQuery({ ...trpc.cohorts.size.queryOptions({ id }), retry: false });
  if (size.isPending) return <Skeleton className="ml-auto h-4 w-10" />;
  if (size.isError)
    return (
      <span className="text-xs text-muted-foreground" title={size.error.message}>
        —
      </span>
    );
  return <span data-testid="cohort-size">{formatCount(size.data.users)}</span>;
}

function NewCohort({ onDone, onCancel }: { onDone: (c: TCohort) => void; onCancel: () => void }) {
  const events = useEventNames();
  return (
    <section className="grid gap-4" aria-label="New cohort">
      <SectionHeader
        title="New cohort"
        description="Users who match the conditions below, evaluated on the latest data."
        onBack={onCancel}
      />
      {events.isPending ? (
        <Skeleton className="h-80 rounded-xl" />
      ) : (
        <CohortForm onDone={onDone} onCancel={onCancel} />
      )}
    </section>
  );
}

function EditCohort({
  id,
  onDone,
  onCancel,
}: {
  id: string;
  onDone: (c: TCohort) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const cohort = useQuery(trpc.cohorts.get.queryOptions({ id }));
  const events = useEventNames();
  return (
    <section className="grid gap-4" aria-label="Edit cohort">
      <SectionHeader
        title={cohort.data ? `Edit “${cohort.data.name}”` : 'Edit cohort'}
        onBack={onCancel}
      />
      {cohort.isError ? (
        <ErrorAlert message={cohort.error.message} />
      ) : cohort.isPending || events.isPending ? (
        <Skeleton className="h-80 rounded-xl" />
      ) : (
        <CohortForm key={cohort.data.id} cohort={cohort.data} onDone={onDone} onCancel={onCancel} />
      )}
    </section>
  );
}

const RANGES = [
  { value: '30d', label: '30 days', days: 30, interval: 'day' },
  { value: '90d', label: '90 days', days: 90, interval: 'day' },
  { value: '6m', label: '6 months', days: 182, interval: 'week' },
] as const;
type RangeKey = (typeof RANGES)[number]['value'];

function CohortDetail({
  id,
  canEdit,
  onBack,
  onEdit,
  onDeleted,
}: {
  id: string;
  canEdit: boolean;
  onBack: () => void;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const trpc = useTRPC();
  const cohort = useQuery(trpc.cohorts.get.queryOptions({ id }));
  const size = useQuery({ ...trpc.cohorts.size.queryOptions({ id }), retry: false });
  const [confirming, setConfirming] = React.useState(false);
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.cohorts.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.cohorts.list.queryFilter());
        toast.success('Cohort deleted.');
        setConfirming(false);
        onDeleted();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  if (cohort.isError)
    return (
      <section className="grid gap-4" data-testid="cohort-detail" data-loading-state="error">
        <SectionHeader title="Cohort" onBack={onBack} />
        <ErrorAlert message={cohort.error.message} />
      </section>
    );
  if (cohort.isPending)
    return (
      <section className="grid gap-4" data-testid="cohort-detail" data-loading-state="loading">
        <Skeleton className="h-10 w-72" />
        <Skeleton className="h-80 rounded-xl" />
      </section>
    );
  const c = cohort.data;
  return (
    <section
      className="grid gap-4"
      data-testid="cohort-detail"
      data-loading-state={size.isPending ? 'loading' : size.isError ? 'error' : 'ready'}
      aria-label={`Cohort ${c.name}`}
    >
      <SectionHeader
        title={c.name}
        description={c.description || undefined}
        onBack={onBack}
        actions={
          canEdit ? (
            <>
              <Button variant="outline" size="sm" onClick={onEdit} data-testid="cohort-edit">
                <Pencil aria-hidden />
                Edit
              </Button>
              <Button
                variant="outline"
                size="sm"
                className="text-destructive hover:text-destructive"
                onClick={() => setConfirming(true)}
                data-testid="cohort-delete"
              >
                <Trash2 aria-hidden />
                Delete
              </Button>
            </>
          ) : null
        }
      />
      <div className="grid items-start gap-4 lg:grid-cols-[300px_minmax(0,1fr)]">
        <div className="grid gap-4">
          <div className="grid gap-1 rounded-xl border bg-card p-4">
            <span className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              Users now
            </span>
            {size.isPending ? (
              <Skeleton className="h-9 w-24" />
            ) : size.isError ? (
              <p className="text-sm text-destructive" data-testid="cohort-size-error">
                {size.error.message}
              </p>
            ) : (
              <>
                <span className="text-3xl font-semibold tabular-nums" data-testid="cohort-size-now">
                  {formatCount(size.data.users)}
                </span>
                <span className="text-xs text-muted-foreground">
                  as of {size.data.asOf} (the latest day in the marts)
                </span>
              </>
            )}
          </div>
          <div
            className="grid gap-2 rounded-xl border bg-card p-4"
            data-testid="cohort-definition-summary"
          >
            <span className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              Definition
            </span>
            {c.definition.groups.map((g, i) => (
              <React.Fragment key={i}>
                {i > 0 ? (
                  <span className="text-[11px] font-semibold text-muted-foreground uppercase">
                    {c.definition.match === 'all' ? 'and' : 'or'}
                  </span>
                ) : null}
                <ul className="grid gap-1 rounded-md border bg-muted/30 p-2 text-xs">
                  {g.conditions.map((cond, j) => (
                    <li key={j}>
                      {j > 0 ? (
                        <span className="mr-1 font-semibold text-muted-foreground uppercase">
                          {g.match === 'all' ? 'and' : 'or'}
                        </span>
                      ) : null}
                      {describeCondition(cond)}
                    </li>
                  ))}
                </ul>
              </React.Fragment>
            ))}
            <p className="text-xs text-muted-foreground">
              {c.createdBy ? `Created by ${c.createdBy.name} · ` : ''}updated{' '}
              {formatRelative(c.updatedAt)}
            </p>
          </div>
        </div>
        <SizeOverTime id={c.id} />
      </div>
      <Dialog open={confirming} onOpenChange={setConfirming}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete “{c.name}”?</DialogTitle>
            <DialogDescription>
              Insights and dashboard tiles that filter or break down by this cohort will stop
              running until the cohort is removed from them.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: c.id })}
              data-testid="cohort-delete-confirm"
            >
              {remove.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Trash2 />}
              Delete cohort
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </section>
  );
}

function SizeOverTime({ id }: { id: string }) {
  const trpc = useTRPC();
  const [range, setRange] = React.useState<RangeKey>('30d');
  const r = RANGES.find((x) => x.value === range)!;
  const to = todayUtc();
  const input = { id, dateRange: { from: addDays(to, -(r.days - 1)), to }, interval: r.interval };
  const over = useQuery({ ...trpc.cohorts.sizeOverTime.queryOptions(input), retry: false });
  const rows = over.data?.points ?? [];
  const state = over.isPending ? 'loading' : over.isError ? 'error' : 'ready';
  return (
    <div
      className="grid gap-3 rounded-xl border bg-card p-4"
      data-testid="cohort-size-over-time"
      data-loading-state={state}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="grid gap-0.5">
          <h3 className="text-sm font-semibold">Size over time</h3>
          <p className="text-xs text-muted-foreground">
            Members as of the end of each {r.interval}.
          </p>
        </div>
        <Segmented
          label="Range"
          value={range}
          onChange={setRange}
          options={RANGES.map((x) => ({ value: x.value, label: x.label }))}
          testIdPrefix="cohort-range"
        />
      </div>
      {over.isPending ? (
        <Skeleton className="h-[280px] w-full" />
      ) : over.isError ? (
        <ErrorAlert message={over.error.message} />
      ) : (
        <div className="h-[280px] w-full">
          <ResponsiveContainer width="100%" height="100%" minWidth={0}>
            <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <defs>
                <linearGradient id={`cohort-fill-${id}`} x1="0" y1="0" x2="0" y2="1">
                  <stop offset="0%" stopColor={colorAt(0)} stopOpacity={0.3} />
                  <stop offset="100%" stopColor={colorAt(0)} stopOpacity={0.02} />
                </linearGradient>
              </defs>
              <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
              <XAxis
                dataKey="date"
                tickFormatter={(v: string) => formatBucket(v, r.interval)}
                tick={AXIS_TICK}
                axisLine={false}
                tickLine={false}
                minTickGap={24}
              />
              <YAxis
                allowDecimals={false}
                tick={AXIS_TICK}
                axisLine={false}
                tickLine={false}
                width={44}
              />
              <Tooltip
                cursor={CURSOR_FILL}
                isAnimationActive={false}
                content={(p: ChartTooltipProps) => {
                  const row = p.active ? rows.find((x) => x.date === p.label) : undefined;
                  return row ? (
                    <TooltipCard
                      title={describeBucket(row.date, r.interval)}
                      rows={[
                        {
                          key: 'users',
                          label: `Members as of ${row.asOf}`,
                          color: colorAt(0),
                          value: formatCount(row.users),
                        },
                      ]}
                    />
                  ) : null;
                }}
              />
              <Area
                dataKey="users"
                type="monotone"
                stroke={colorAt(0)}
                strokeWidth={2}
                fill={`url(#cohort-fill-${id})`}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
