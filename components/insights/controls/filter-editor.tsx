'use client';
// Property filters as rows "property · operator · value", for a series, a funnel step or the
// whole insight. A value is committed when the box loses focus or on Enter, so the chart does
// not rerun on every key stroke. Cohort filters (whole-insight filters only) show as a chip.
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import { Plus, UsersRound, X } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { cn } from '@/lib/utils';
import type { PropertyFilter, PropertyRef } from '@/server/insights/properties';
import { OPS, takesList, takesNoValue, textToValue, valueToText, withOp } from './filter-values';
import { PropertyPicker, useEventProperties } from './property-picker';
import { useDraft } from './use-draft';

type CohortFilterLike = { cohort: { id: string; negate?: boolean; resolved?: { name: string } } };
const isCohort = (f: PropertyFilter | CohortFilterLike): f is CohortFilterLike => 'cohort' in f;

export function FilterEditor<F extends PropertyFilter | CohortFilterLike>({
  filters,
  onChange,
  events,
  addLabel = 'Add filter',
  testIdPrefix = 'filter',
  compact = false,
  allowCohorts = false,
  sources,
}: {
  filters: readonly F[];
  onChange: (next: F[]) => void;
  /** Events whose JSON property keys are offered. */
  events: readonly string[];
  addLabel?: string;
  testIdPrefix?: string;
  /** Smaller add button (inside a series or step). */
  compact?: boolean;
  /** Offer "in cohort" filters (whole-insight filters of kinds whose schema takes them). */
  allowCohorts?: boolean;
  /** Only these kinds of property (cohort event conditions: no user properties). */
  sources?: readonly PropertyRef['source'][];
}) {
  const [picking, setPicking] = React.useState(false);
  const properties = useEventProperties(events);
  const set = (i: number, f: PropertyFilter) =>
    onChange(filters.map((x, j) => (j === i ? (f as F) : x)));
  const remove = (i: number) => onChange(filters.filter((_, j) => j !== i));
  const add = (property: PropertyRef) => {
    onChange([...filters, { property, op: 'eq' } as F]);
    setPicking(false);
  };
  return (
    <div className="grid grid-cols-1 gap-1.5" data-testid={`${testIdPrefix}s`}>
      {filters.map((f, i) =>
        isCohort(f) ? (
          <div
            key={i}
            className="flex items-center gap-1.5 rounded-md border bg-muted/40 px-2 py-1 text-xs"
          >
            <UsersRound className="size-3.5 text-muted-foreground" aria-hidden />
            <button
              type="button"
              className="cursor-pointer rounded-sm px-1 font-medium hover:bg-accent"
              title="Switch between in / not in"
              onClick={() =>
                onChange(
                  filters.map((x, j) =>
                    j === i ? ({ cohort: { ...f.cohort, negate: !f.cohort.negate } } as F) : x,
                  ),
                )
              }
              data-testid={`${testIdPrefix}-${i}-negate`}
            >
              {f.cohort.negate ? 'Not in' : 'In'}
            </button>
            <span className="flex-1 truncate">
              cohort <CohortName id={f.cohort.id} fallback={f.cohort.resolved?.name} />
            </span>
            <RemoveButton label="Remove cohort filter" onClick={() => remove(i)} />
          </div>
        ) : (
          <FilterRow
            key={i}
            filter={f}
            events={events}
            examples={
              f.property.source === 'event_property'
                ? (properties.get(f.property.name)?.examples ?? [])
                : []
            }
            onChange={(next) => set(i, next)}
            onRemove={() => remove(i)}
            testId={`${testIdPrefix}-${i}`}
            sources={sources}
          />
        ),
      )}
      {picking ? (
        <PropertyPicker
          value={undefined}
          onChange={add}
          events={events}
          placeholder="Filter by…"
          className="w-full"
          sources={sources}
          data-testid={`${testIdPrefix}-new-property`}
        />
      ) : (
        <div className="flex flex-wrap items-center gap-1">
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className={cn('justify-start text-muted-foreground', compact && 'h-7 px-2 text-xs')}
            onClick={() => setPicking(true)}
            data-testid={`${testIdPrefix}-add`}
          >
            <Plus aria-hidden />
            {addLabel}
          </Button>
          {allowCohorts ? (
            <CohortAdd
              onAdd={(id) => onChange([...filters, { cohort: { id, negate: false } } as F])}
              testId={`${testIdPrefix}-add-cohort`}
            />
          ) : null}
        </div>
      )}
    </div>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      className="size-7 shrink-0 text-muted-foreground"
      aria-label={label}
      onClick={onClick}
    >
      <X className="size-3.5" aria-hidden />
    </Button>
  );
}

/** One "property · operator · value" row (also a cohort's user-property condition). */
export function FilterRow({
  filter,
  events,
  examples,
  onChange,
  onRemove,
  testId,
  sources,
  removeLabel = 'Remove filter',
}: {
  filter: PropertyFilter;
  events: readonly string[];
  examples: string[];
  onChange: (f: PropertyFilter) => void;
  onRemove?: () => void;
  testId: string;
  sources?: readonly PropertyRef['source'][];
  removeLabel?: string;
}) {
  const [text, setText] = useDraft(valueToText(filter.value));
  const listId = React.useId();
  const commit = () => {
    const value = textToValue(filter.op, text);
    if (valueToText(value) === valueToText(filter.value)) return;
    onChange(
      value === undefined
        ? { property: filter.property, op: filter.op }
        : { property: filter.property, op: filter.op, value },
    );
  };
  const missing = !takesNoValue(filter.op) && filter.value === undefined;
  return (
    <div
      className="grid grid-cols-1 gap-1 rounded-md border bg-muted/30 p-1.5"
      data-testid={testId}
    >
      <div className="flex items-center gap-1">
        <PropertyPicker
          value={filter.property}
          onChange={(property) => onChange({ ...filter, property })}
          events={events}
          className="flex-1"
          sources={sources}
          data-testid={`${testId}-property`}
        />
        {onRemove ? <RemoveButton label={removeLabel} onClick={onRemove} /> : null}
      </div>
      <div className="flex items-center gap-1">
        <Select
          value={filter.op}
          onValueChange={(op) => onChange(withOp(filter, op as PropertyFilter['op']))}
        >
          <SelectTrigger
            size="sm"
            className="h-8 w-36 shrink-0 text-xs"
            aria-label="Operator"
            data-testid={`${testId}-op`}
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {OPS.map((o) => (
              <SelectItem key={o.value} value={o.value} className="text-xs">
                {o.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {takesNoValue(filter.op) ? null : (
          <>
            <Input
              value={text}
              onChange={(e) => setText(e.target.value)}
              onBlur={commit}
              onKeyDown={(e) => {
                if (e.key === 'Enter') commit();
              }}
              placeholder={takesList(filter.op) ? 'a, b, c' : 'value'}
              aria-label="Value"
              aria-invalid={missing || undefined}
              list={examples.length ? listId : undefined}
              className="h-8 min-w-0 flex-1 text-xs md:text-xs"
              data-testid={`${testId}-value`}
            />
            {examples.length ? (
              <datalist id={listId}>
                {examples.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}

function useCohorts() {
  const trpc = useTRPC();
  return useQuery(trpc.cohorts.list.queryOptions());
}

function CohortName({ id, fallback }: { id: string; fallback?: string }) {
  const cohorts = useCohorts();
  const name = cohorts.data?.find((c) => c.id === id)?.name ?? fallback;
  return (
    <span className="font-medium">{name ?? (cohorts.isPending ? '…' : 'deleted cohort')}</span>
  );
}

/** "In cohort…": a select of the workspace's saved cohorts. */
function CohortAdd({ onAdd, testId }: { onAdd: (id: string) => void; testId: string }) {
  const cohorts = useCohorts();
  if (!cohorts.data?.length) return null;
  return (
    <Select value="" onValueChange={onAdd}>
      <SelectTrigger
        size="sm"
        className="h-8 border-none text-xs text-muted-foreground shadow-none dark:bg-transparent"
        aria-label="Filter by cohort"
        data-testid={testId}
      >
        <UsersRound aria-hidden />
        <SelectValue placeholder="In cohort…" />
      </SelectTrigger>
      <SelectContent>
        {cohorts.data.map((c) => (
          <SelectItem key={c.id} value={c.id} className="text-xs">
            {c.name}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
