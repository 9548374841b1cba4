'use client';
// Create or edit a cohort (analysts): name, description and the definition — groups of
// conditions combined with and/or; a condition is "performed an event at least / at most /
// exactly N times" or "did not perform an event" in a window (the last N days/weeks/months or
// between two days), or a user property filter. Reuses the event picker, property picker and
// filter editor of the insight controls. Validated with the server's own schema before saving.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, Plus, Save, Trash2 } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/utils';
import { z } from 'zod';
import type { TCohort, TCohortFields } from '@/server/insights/cohort-service';
import {
  ZCohortDefinition,
  type CohortCondition,
  type CohortDefinition,
  type CohortWindow,
} from '@/server/insights/cohorts';
import { EventPicker, useEventNames } from '../controls/event-picker';
import { FilterEditor, FilterRow } from '../controls/filter-editor';
import { useDraft } from '../controls/use-draft';
import { describeIssues } from '../query-url';
import {
  DEFAULT_WINDOW,
  defaultDefinition,
  newCondition,
  newGroup,
  withType,
  type CohortGroup,
  type ConditionType,
} from './cohort-definition';

// The server's ZCohortFieldsSchema, rebuilt here: cohort-service.ts is server-only (Prisma).
const ZCohortFields = z.object({
  name: z.string().trim().min(1, 'Give the cohort a name').max(100),
  description: z.string().max(1000).nullish(),
  definition: ZCohortDefinition,
});

const EVENT_SOURCES = ['event', 'event_property'] as const;
const USER_SOURCES = ['user'] as const;

export function CohortForm({
  cohort,
  onDone,
  onCancel,
}: {
  /** The cohort to edit; undefined: a new one. */
  cohort?: TCohort;
  onDone: (saved: TCohort) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const events = useEventNames();
  const firstEvent = events.data?.[0]?.name ?? 'page_viewed';
  const [name, setName] = React.useState(cohort?.name ?? '');
  const [description, setDescription] = React.useState(cohort?.description ?? '');
  const [definition, setDefinition] = React.useState<CohortDefinition>(
    () => cohort?.definition ?? defaultDefinition(firstEvent),
  );
  const [touched, setTouched] = React.useState(false);
  const fields: TCohortFields = { name, description: description || null, definition };
  const parsed = ZCohortFields.safeParse(fields);

  const onSaved = (saved: TCohort) => {
    void queryClient.invalidateQueries(trpc.cohorts.pathFilter());
    // Insights that use the cohort are cached by its definition: rerun them on next view.
    void queryClient.invalidateQueries(trpc.insights.run.pathFilter());
    toast.success(cohort ? 'Cohort saved.' : `Cohort “${saved.name}” created.`);
    onDone(saved);
  };
  const create = useMutation(trpc.cohorts.create.mutationOptions({ onSuccess: onSaved }));
  const update = useMutation(trpc.cohorts.update.mutationOptions({ onSuccess: onSaved }));
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!parsed.success) return;
    if (cohort) update.mutate({ id: cohort.id, ...parsed.data });
    else create.mutate(parsed.data);
  };

  const setGroup = (i: number, g: CohortGroup) =>
    setDefinition((d) => ({ ...d, groups: d.groups.map((x, j) => (j === i ? g : x)) }));
  const removeGroup = (i: number) =>
    setDefinition((d) => ({ ...d, groups: d.groups.filter((_, j) => j !== i) }));

  return (
    <form
      onSubmit={submit}
      className="grid gap-5 rounded-xl border bg-card p-5"
      data-testid="cohort-form"
      aria-label={cohort ? `Edit cohort ${cohort.name}` : 'New cohort'}
    >
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
        <div className="grid content-start gap-1.5">
          <Label htmlFor="cohort-name">Name</Label>
          <Input
            id="cohort-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Power exporters"
            maxLength={100}
            aria-invalid={touched && !name.trim() ? true : undefined}
            data-testid="cohort-name"
          />
        </div>
        <div className="grid content-start gap-1.5">
          <Label htmlFor="cohort-description">Description</Label>
          <Textarea
            id="cohort-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="What the cohort is for (optional)"
            rows={1}
            maxLength={1000}
            className="min-h-9"
            data-testid="cohort-description"
          />
        </div>
      </div>

      <div className="grid gap-3" data-testid="cohort-definition">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">Users who match</span>
          {definition.groups.length > 1 ? (
            <>
              <MatchSelect
                value={definition.match}
                onChange={(match) => setDefinition((d) => ({ ...d, match }))}
                label="How groups combine"
                testId="cohort-match"
              />
              <span className="text-muted-foreground">of these groups</span>
            </>
          ) : (
            <span className="text-muted-foreground">this group</span>
          )}
        </div>
        {definition.groups.map((g, i) => (
          <React.Fragment key={i}>
            {i > 0 ? (
              <div className="flex items-center gap-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
                <span className="h-px flex-1 bg-border" />
                {definition.match === 'all' ? 'and' : 'or'}
                <span className="h-px flex-1 bg-border" />
              </div>
            ) : null}
            <GroupEditor
              group={g}
              index={i}
              firstEvent={firstEvent}
              onChange={(next) => setGroup(i, next)}
              onRemove={definition.groups.length > 1 ? () => removeGroup(i) : undefined}
            />
          </React.Fragment>
        ))}
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="w-fit border-dashed"
          disabled={definition.groups.length >= 10}
          onClick={() =>
            setDefinition((d) => ({ ...d, groups: [...d.groups, newGroup(firstEvent)] }))
          }
          data-testid="cohort-group-add"
        >
          <Plus aria-hidden />
          Add group
        </Button>
      </div>

      {touched && !parsed.success ? (
        <Alert variant="destructive" data-testid="cohort-form-invalid">
          <AlertDescription>{describeCohortIssues(parsed.error.issues)}</AlertDescription>
        </Alert>
      ) : null}
      {error ? (
        <Alert variant="destructive" data-testid="cohort-form-error">
          <AlertDescription>{error.message}</AlertDescription>
        </Alert>
      ) : null}

      <div className="flex flex-wrap items-center justify-end gap-2 border-t pt-4">
        <Button type="button" variant="ghost" onClick={onCancel} data-testid="cohort-cancel">
          Cancel
        </Button>
        <Button type="submit" disabled={saving} data-testid="cohort-save">
          {saving ? <Loader2 className="animate-spin" aria-hidden /> : <Save aria-hidden />}
          {cohort ? 'Save cohort' : 'Create cohort'}
        </Button>
      </div>
    </form>
  );
}

/** zod issues of the form, with the definition's paths read as "Group 1, condition 2". */
function describeCohortIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
) {
  return issues
    .slice(0, 3)
    .map((i) => {
      const p = i.path.map(String);
      if (p[0] === 'name') return `Name: ${i.message}`;
      if (p[0] === 'definition' && p[1] === 'groups' && p[2] !== undefined) {
        const where = [`Group ${Number(p[2]) + 1}`];
        if (p[3] === 'conditions' && p[4] !== undefined)
          where.push(`condition ${Number(p[4]) + 1}`);
        return `${where.join(', ')}: ${i.message}`;
      }
      return describeIssues([i]);
    })
    .join('; ');
}

function MatchSelect({
  value,
  onChange,
  label,
  testId,
  small = false,
}: {
  value: 'all' | 'any';
  onChange: (v: 'all' | 'any') => void;
  label: string;
  testId: string;
  small?: boolean;
}) {
  return (
    <Select value={value} onValueChange={(v) => onChange(v as 'all' | 'any')}>
      <SelectTrigger
        size="sm"
        className={cn('h-8 w-24 text-xs', small && 'h-7')}
        aria-label={label}
        data-testid={testId}
      >
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="all" className="text-xs">
          all (and)
        </SelectItem>
        <SelectItem value="any" className="text-xs">
          any (or)
        </SelectItem>
      </SelectContent>
    </Select>
  );
}

function GroupEditor({
  group,
  index,
  firstEvent,
  onChange,
  onRemove,
}: {
  group: CohortGroup;
  index: number;
  firstEvent: string;
  onChange: (g: CohortGroup) => void;
  onRemove?: () => void;
}) {
  const setCondition = (j: number, c: CohortCondition) =>
    onChange({ ...group, conditions: group.conditions.map((x, k) => (k === j ? c : x)) });
  return (
    <section
      className="grid gap-2 rounded-lg border bg-muted/20 p-3"
      data-testid={`cohort-group-${index}`}
      aria-label={`Group ${index + 1}`}
    >
      <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
        <span className="font-semibold text-foreground">Group {index + 1}</span>
        {group.conditions.length > 1 ? (
          <>
            <span>matches</span>
            <MatchSelect
              value={group.match}
              onChange={(match) => onChange({ ...group, match })}
              label={`How group ${index + 1}'s conditions combine`}
              testId={`cohort-group-${index}-match`}
              small
            />
            <span>of its conditions</span>
          </>
        ) : null}
        {onRemove ? (
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className="ml-auto h-7 px-2 text-xs text-muted-foreground"
            onClick={onRemove}
            aria-label={`Remove group ${index + 1}`}
          >
            <Trash2 aria-hidden />
            Remove group
          </Button>
        ) : null}
      </div>
      <ol className="grid gap-2">
        {group.conditions.map((c, j) => (
          <li key={j} className="grid gap-2">
            {j > 0 ? (
              <span className="text-[11px] font-semibold tracking-wide text-muted-foreground uppercase">
                {group.match === 'all' ? 'and' : 'or'}
              </span>
            ) : null}
            <ConditionEditor
              condition={c}
              firstEvent={firstEvent}
              testId={`cohort-group-${index}-condition-${j}`}
              onChange={(next) => setCondition(j, next)}
              onRemove={
                group.conditions.length > 1
                  ? () =>
                      onChange({
                        ...group,
                        conditions: group.conditions.filter((_, k) => k !== j),
                      })
                  : undefined
              }
            />
          </li>
        ))}
      </ol>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="h-7 w-fit px-2 text-xs text-muted-foreground"
        disabled={group.conditions.length >= 20}
        onClick={() =>
          onChange({
            ...group,
            conditions: [...group.conditions, newCondition('performed', firstEvent)],
          })
        }
        data-testid={`cohort-group-${index}-add`}
      >
        <Plus aria-hidden />
        Add condition
      </Button>
    </section>
  );
}

const TYPE_LABEL: Record<ConditionType, string> = {
  performed: 'Performed event',
  not_performed: 'Did not perform event',
  property: 'User property',
};

function ConditionEditor({
  condition: c,
  firstEvent,
  testId,
  onChange,
  onRemove,
}: {
  condition: CohortCondition;
  firstEvent: string;
  testId: string;
  onChange: (c: CohortCondition) => void;
  onRemove?: () => void;
}) {
  return (
    <div className="grid gap-2 rounded-md border bg-card p-2.5" data-testid={testId}>
      <div className="flex flex-wrap items-center gap-1.5">
        <Select
          value={c.type}
          onValueChange={(t) => onChange(withType(c, t as ConditionType, firstEvent))}
        >
          <SelectTrigger
            size="sm"
            className="h-8 w-48 text-xs"
            aria-label="Condition type"
            data-testid={`${testId}-type`}
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(Object.keys(TYPE_LABEL) as ConditionType[]).map((t) => (
              <SelectItem key={t} value={t} className="text-xs">
                {TYPE_LABEL[t]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {c.type !== 'property' ? (
          <EventPicker
            value={c.event}
            onChange={(event) => onChange({ ...c, event })}
            className="max-w-64 min-w-40 flex-1"
            data-testid={`${testId}-event`}
          />
        ) : null}
        {c.type === 'performed' ? (
          <>
            <Select
              value={c.operator}
              onValueChange={(operator) =>
                onChange({ ...c, operator: operator as typeof c.operator })
              }
            >
              <SelectTrigger
                size="sm"
                className="h-8 w-24 text-xs"
                aria-label="How often"
                data-testid={`${testId}-operator`}
              >
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="at_least" className="text-xs">
                  at least
                </SelectItem>
                <SelectItem value="at_most" className="text-xs">
                  at most
                </SelectItem>
                <SelectItem value="exactly" className="text-xs">
                  exactly
                </SelectItem>
              </SelectContent>
            </Select>
            <NumberInput
              value={c.count}
              min={0}
              onChange={(count) => onChange({ ...c, count })}
              label="Times"
              testId={`${testId}-count`}
            />
            <span className="text-xs text-muted-foreground">
              {c.count === 1 ? 'time' : 'times'}
            </span>
          </>
        ) : null}
        {c.type !== 'property' ? (
          <WindowEditor
            value={c.window}
            onChange={(window) => onChange({ ...c, window })}
            testId={`${testId}-window`}
          />
        ) : null}
        {onRemove ? (
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="ml-auto size-7 text-muted-foreground"
            aria-label="Remove condition"
            onClick={onRemove}
          >
            <Trash2 className="size-3.5" aria-hidden />
          </Button>
        ) : null}
      </div>
      {c.type === 'property' ? (
        <FilterRow
          filter={c.filter}
          events={[]}
          examples={[]}
          sources={USER_SOURCES}
          onChange={(filter) => onChange({ ...c, filter })}
          testId={`${testId}-property`}
        />
      ) : (
        <FilterEditor
          filters={c.filters}
          onChange={(filters) => onChange({ ...c, filters })}
          events={[c.event]}
          sources={EVENT_SOURCES}
          addLabel="Where…"
          compact
          testIdPrefix={`${testId}-filter`}
        />
      )}
    </div>
  );
}

function NumberInput({
  value,
  min,
  max,
  onChange,
  label,
  testId,
}: {
  value: number;
  min: number;
  max?: number;
  onChange: (n: number) => void;
  label: string;
  testId: string;
}) {
  const [text, setText] = useDraft(String(value));
  const commit = (raw: string) => {
    const n = Math.round(Number(raw));
    if (raw.trim() !== '' && Number.isFinite(n) && n >= min && (max === undefined || n <= max))
      onChange(n);
  };
  return (
    <Input
      type="number"
      min={min}
      max={max}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        commit(e.target.value);
      }}
      onBlur={() => setText(String(value))}
      aria-label={label}
      className="h-8 w-20 text-xs md:text-xs"
      data-testid={testId}
    />
  );
}

/** In the last N days/weeks/months, or between two days (inclusive). */
function WindowEditor({
  value,
  onChange,
  testId,
}: {
  value: CohortWindow;
  onChange: (w: CohortWindow) => void;
  testId: string;
}) {
  const between = 'from' in value;
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid={testId}>
      <Select
        value={between ? 'between' : 'last'}
        onValueChange={(mode) => {
          if (mode === 'last') onChange(DEFAULT_WINDOW);
          else {
            const to = new Date().toISOString().slice(0, 10);
            const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
            onChange({ from, to });
          }
        }}
      >
        <SelectTrigger
          size="sm"
          className="h-8 w-28 text-xs"
          aria-label="Window"
          data-testid={`${testId}-mode`}
        >
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="last" className="text-xs">
            in the last
          </SelectItem>
          <SelectItem value="between" className="text-xs">
            between
          </SelectItem>
        </SelectContent>
      </Select>
      {'from' in value ? (
        <>
          <Input
            type="date"
            value={value.from}
            onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })}
            aria-label="From day"
            className="h-8 w-36 text-xs md:text-xs"
            data-testid={`${testId}-from`}
          />
          <span className="text-xs text-muted-foreground">and</span>
          <Input
            type="date"
            value={value.to}
            onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })}
            aria-label="To day"
            className="h-8 w-36 text-xs md:text-xs"
            data-testid={`${testId}-to`}
          />
        </>
      ) : (
        <>
          <NumberInput
            value={value.last}
            min={1}
            max={3650}
            onChange={(last) => onChange({ ...value, last })}
            label="How many"
            testId={`${testId}-last`}
          />
          <Select
            value={value.unit}
            onValueChange={(unit) => onChange({ ...value, unit: unit as typeof value.unit })}
          >
            <SelectTrigger
              size="sm"
              className="h-8 w-24 text-xs"
              aria-label="Window unit"
              data-testid={`${testId}-unit`}
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="day" className="text-xs">
                days
              </SelectItem>
              <SelectItem value="week" className="text-xs">
                weeks
              </SelectItem>
              <SelectItem value="month" className="text-xs">
                months
              </SelectItem>
            </SelectContent>
          </Select>
        </>
      )}
    </div>
  );
}
