'use client';
// The users behind a funnel step (insights.funnelUsers): who dropped off before the step, or who
// reached it, at most 100 with the total, with their current plan, country, company size and
// sign-up day. Opened by clicking a step's bar or card on the Insights page.
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import { AlertTriangle, UsersRound } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import { Sheet, SheetContent, SheetDescription, SheetTitle } from '@/components/ui/sheet';
import { Skeleton } from '@/components/ui/skeleton';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import type { FunnelsQuery } from '@/server/insights/funnels';
import { Segmented } from '../controls/segmented';
import { formatCount } from '../format';

export const FUNNEL_USERS_LIMIT = 100;

export type FunnelOutcome = 'converted' | 'dropped';

export function FunnelUsersSheet({
  query,
  step,
  outcome,
  onOutcomeChange,
  onClose,
}: {
  query: FunnelsQuery;
  /** The step whose users are listed; null: closed. */
  step: number | null;
  outcome: FunnelOutcome;
  onOutcomeChange: (o: FunnelOutcome) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const open = step !== null;
  const k = step ?? 0;
  // Step 1 has no "before": everyone there entered the funnel.
  const effective: FunnelOutcome = k === 0 ? 'converted' : outcome;
  const users = useQuery({
    ...trpc.insights.funnelUsers.queryOptions(
      {
        query: { ...query, view: 'steps', breakdown: undefined },
        step: k,
        outcome: effective,
        limit: FUNNEL_USERS_LIMIT,
      },
      { enabled: open },
    ),
    retry: false,
  });
  const name = (i: number) => query.steps[i]?.label ?? query.steps[i]?.event ?? `Step ${i + 1}`;
  const state = users.isPending
    ? 'loading'
    : users.isError
      ? 'error'
      : users.data.total
        ? 'ready'
        : 'empty';
  return (
    <Sheet open={open} onOpenChange={(o) => (o ? undefined : onClose())}>
      <SheetContent
        side="right"
        className="w-[min(560px,100vw)] max-w-[100vw] gap-0 sm:max-w-[560px]"
        data-testid="funnel-users"
        data-loading-state={state}
      >
        <div className="grid gap-1 border-b p-4 pr-10">
          <SheetTitle className="text-base">
            Step {k + 1} · <span className="font-mono text-sm">{name(k)}</span>
          </SheetTitle>
          <SheetDescription className="text-xs">
            {k === 0
              ? 'Users who entered the funnel in the date range.'
              : effective === 'dropped'
                ? `Users who reached step ${k} (${name(k - 1)}) but not this step.`
                : 'Users who reached this step within the conversion window.'}
          </SheetDescription>
          <div className="flex flex-wrap items-center justify-between gap-2 pt-2">
            {k > 0 ? (
              <Segmented
                label="Which users"
                value={outcome}
                onChange={onOutcomeChange}
                options={[
                  { value: 'dropped', label: 'Dropped off' },
                  { value: 'converted', label: 'Converted' },
                ]}
                testIdPrefix="funnel-users-outcome"
              />
            ) : (
              <span />
            )}
            {users.data ? (
              <span className="text-sm tabular-nums" data-testid="funnel-users-total">
                <span className="font-semibold">{formatCount(users.data.total)}</span>{' '}
                <span className="text-muted-foreground">
                  {users.data.total === 1 ? 'user' : 'users'}
                  {users.data.total > users.data.users.length
                    ? ` · first ${formatCount(users.data.users.length)} shown`
                    : ''}
                </span>
              </span>
            ) : null}
          </div>
        </div>
        <div className="min-h-0 flex-1 overflow-auto">
          {users.isPending ? (
            <div className="grid gap-2 p-4" aria-label="Loading users">
              {Array.from({ length: 8 }, (_, i) => (
                <Skeleton key={i} className="h-7 w-full" />
              ))}
            </div>
          ) : users.isError ? (
            <div
              className="flex flex-col items-center gap-2 px-6 py-16 text-center"
              data-testid="funnel-users-error"
            >
              <AlertTriangle className="size-6 text-destructive" aria-hidden />
              <p className="text-sm font-medium">The users could not be listed</p>
              <p className="text-sm text-muted-foreground">{users.error.message}</p>
              <Button variant="outline" size="sm" onClick={() => void users.refetch()}>
                Try again
              </Button>
            </div>
          ) : users.data.users.length === 0 ? (
            <div
              className="flex flex-col items-center gap-2 px-6 py-16 text-center"
              data-testid="funnel-users-empty"
            >
              <UsersRound className="size-6 text-muted-foreground" aria-hidden />
              <p className="text-sm font-medium">
                {effective === 'dropped' ? 'Nobody dropped off here' : 'Nobody reached this step'}
              </p>
            </div>
          ) : (
            <Table>
              <TableHeader className="sticky top-0 z-10 bg-background">
                <TableRow>
                  <TableHead>User</TableHead>
                  <TableHead>Plan</TableHead>
                  <TableHead>Country</TableHead>
                  <TableHead>Company size</TableHead>
                  <TableHead>Signed up</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {users.data.users.map((u) => (
                  <TableRow key={u.userId} data-testid="funnel-user">
                    <TableCell className="max-w-40 truncate font-mono text-xs" title={u.userId}>
                      {u.userId}
                    </TableCell>
                    <TableCell className="text-xs">{u.plan ?? '—'}</TableCell>
                    <TableCell className="text-xs">{u.country ?? '—'}</TableCell>
                    <TableCell className="text-xs">{u.companySize ?? '—'}</TableCell>
                    <TableCell className="text-xs tabular-nums">{u.signupDate ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </div>
      </SheetContent>
    </Sheet>
  );
}
