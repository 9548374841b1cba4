'use client';
// Breakdown by one property: its top N values (by volume) each get a series, the rest fold into
// "Other" and unset values show as "(not set)". Kinds whose schema takes it (trends, funnels) also
// offer a breakdown by a saved cohort: its members against everyone else.
import { useQuery } from '@tanstack/react-query';
import { UsersRound, X } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import type { PropertyRef } from '@/server/insights/properties';
import { PropertyPicker } from './property-picker';

const LIMITS = [3, 5, 10, 20, 50];

export interface BreakdownValue {
  property: PropertyRef;
  limit: number;
}

export interface CohortBreakdownValue {
  cohort: { id: string; resolved?: { name: string } };
  limit: number;
}

/** Breakdowns the editor can show; without allowCohorts a cohort breakdown is shown read-only. */
type BreakdownLike = BreakdownValue | CohortBreakdownValue;

export function BreakdownPicker<B extends BreakdownLike = BreakdownValue>({
  value,
  onChange,
  events,
  allowCohorts = false,
}: {
  value: B | undefined;
  onChange: (next: B | undefined) => void;
  events: readonly string[];
  /** Offer "by cohort" (kinds whose schema takes `{ cohort: { id } }`: trends, funnels). */
  allowCohorts?: boolean;
}) {
  const property = value && 'property' in value ? value.property : undefined;
  const cohort = value && 'cohort' in value ? value.cohort : undefined;
  const emit = (next: BreakdownLike | undefined) => onChange(next as B | undefined);
  return (
    <div className="grid grid-cols-1 gap-1.5" data-testid="breakdown">
      <div className="flex items-center gap-1">
        {cohort && allowCohorts ? (
          <div
            className="flex h-8 min-w-0 flex-1 items-center gap-1.5 rounded-md border bg-muted/40 px-2 text-xs"
            data-testid="breakdown-cohort-chip"
          >
            <UsersRound className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
            <span className="truncate">
              Cohort <CohortLabel id={cohort.id} fallback={cohort.resolved?.name} />
            </span>
          </div>
        ) : (
          <PropertyPicker
            value={property}
            onChange={(p) => emit({ property: p, limit: value?.limit ?? 10 })}
            events={events}
            placeholder={cohort ? `Cohort ${cohort.resolved?.name ?? cohort.id}` : 'Add breakdown'}
            className="flex-1"
            data-testid="breakdown-property"
          />
        )}
        {value ? (
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="size-8 text-muted-foreground"
            aria-label="Remove breakdown"
            onClick={() => emit(undefined)}
            data-testid="breakdown-remove"
          >
            <X className="size-3.5" aria-hidden />
          </Button>
        ) : null}
      </div>
      {property ? (
        <div className="flex items-center gap-2 text-xs text-muted-foreground">
          <span>Top</span>
          <Select
            value={String(value!.limit)}
            onValueChange={(v) => emit({ property, limit: Number(v) })}
          >
            <SelectTrigger
              size="sm"
              className="h-7 w-16 text-xs"
              aria-label="Breakdown values shown"
              data-testid="breakdown-limit"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {LIMITS.map((n) => (
                <SelectItem key={n} value={String(n)} className="text-xs">
                  {n}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <span>values, the rest as “Other”</span>
        </div>
      ) : null}
      {allowCohorts && !value ? (
        <CohortBreakdownSelect onPick={(id) => emit({ cohort: { id }, limit: 10 })} />
      ) : null}
      {cohort && allowCohorts ? (
        <p className="text-xs text-muted-foreground">
          The cohort’s members against everyone else (“(not set)”).
        </p>
      ) : null}
    </div>
  );
}

function useCohortList() {
  const trpc = useTRPC();
  return useQuery(trpc.cohorts.list.queryOptions());
}

function CohortLabel({ id, fallback }: { id: string; fallback?: string }) {
  const cohorts = useCohortList();
  const name = cohorts.data?.find((c) => c.id === id)?.name ?? fallback;
  return (
    <span className="font-medium">{name ?? (cohorts.isPending ? '…' : 'deleted cohort')}</span>
  );
}

/** "By cohort…": the workspace's saved cohorts (nothing when there are none). */
function CohortBreakdownSelect({ onPick }: { onPick: (id: string) => void }) {
  const cohorts = useCohortList();
  if (!cohorts.data?.length) return null;
  return (
    <Select value="" onValueChange={onPick}>
      <SelectTrigger
        size="sm"
        className="h-8 w-fit border-none px-2 text-xs text-muted-foreground shadow-none dark:bg-transparent"
        aria-label="Break down by cohort"
        data-testid="breakdown-add-cohort"
      >
        <UsersRound aria-hidden />
        <SelectValue placeholder="By cohort…" />
      </SelectTrigger>
      <SelectContent>
        {cohorts.data.map((c) => (
          <SelectItem
            key={c.id}
            value={c.id}
            className="text-xs"
            data-testid={`breakdown-cohort-option-${c.id}`}
          >
            {c.name}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
