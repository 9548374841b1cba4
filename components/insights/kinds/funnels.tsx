'use client';
// Funnels: ordered steps with per-step filters; order (sequential, strict, any), conversion
// window, exclusion steps, filters for every step, breakdown by the first step's property or a
// cohort. Three views (the query's `view`, so the URL keeps it): steps, time to convert (a
// histogram between two steps) and conversion over time (per day/week/month).
import * as React from 'react';
import {
  ArrowDown,
  ArrowUp,
  Ban,
  ChartColumnBig,
  Filter,
  Plus,
  Table2,
  Trash2,
} from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { ZFunnelsQuery, type FunnelsQuery, type FunnelsResult } from '@/server/insights/funnels';
import { BreakdownPicker } from '../controls/breakdown-picker';
import { DateRangePicker } from '../controls/date-range-picker';
import { EventPicker } from '../controls/event-picker';
import { FilterEditor } from '../controls/filter-editor';
import { EditorSection } from '../controls/section';
import { useDraft } from '../controls/use-draft';
import { Segmented } from '../controls/segmented';
import { lastDays } from '../dates';
import { FunnelsChart } from './funnels-chart';
import {
  funnelIsEmpty,
  funnelsViewCsv,
  normalizeFunnelQuery,
  timeToConvertSteps,
} from './funnels-data';
import type { EditorProps, InsightKindUI } from './types';

type Step = FunnelsQuery['steps'][number];
type Exclusion = FunnelsQuery['exclusions'][number];
const MAX_STEPS = 20;

const ORDER_HINT: Record<FunnelsQuery['order'], string> = {
  sequential: 'Steps in this order; other events may happen in between.',
  strict: 'Each step must be the user’s very next event after the previous step.',
  any: 'Steps in any order within the window.',
};

function StepCard({
  step,
  index,
  count,
  onChange,
  onRemove,
  onMove,
}: {
  step: Step;
  index: number;
  count: number;
  onChange: (s: Step) => void;
  onRemove: () => void;
  onMove: (delta: -1 | 1) => void;
}) {
  return (
    <li
      className="grid grid-cols-1 gap-1.5 rounded-lg border bg-card p-2"
      data-testid={`step-${index}`}
    >
      <div className="flex items-center gap-1">
        <span className="flex size-6 shrink-0 items-center justify-center rounded-md bg-primary/10 text-[11px] font-bold text-primary">
          {index + 1}
        </span>
        <EventPicker
          value={step.event}
          onChange={(event) => onChange({ ...step, event })}
          className="flex-1"
          data-testid={`step-${index}-event`}
        />
        <div className="flex shrink-0">
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="size-7 text-muted-foreground"
            aria-label={`Move step ${index + 1} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            <ArrowUp className="size-3.5" aria-hidden />
          </Button>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="size-7 text-muted-foreground"
            aria-label={`Move step ${index + 1} down`}
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            <ArrowDown className="size-3.5" aria-hidden />
          </Button>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="size-7 text-muted-foreground"
            aria-label={`Remove step ${index + 1}`}
            disabled={count <= 2}
            onClick={onRemove}
          >
            <Trash2 className="size-3.5" aria-hidden />
          </Button>
        </div>
      </div>
      <FilterEditor
        filters={step.filters}
        onChange={(filters) => onChange({ ...step, filters })}
        events={[step.event]}
        compact
        testIdPrefix={`step-${index}-filter`}
      />
    </li>
  );
}

/** Exclusions refer to steps by index: keep them pointing at the same steps after a change. */
function remapExclusions(
  exclusions: Exclusion[],
  map: (step: number) => number | undefined,
  steps: number,
): Exclusion[] {
  return exclusions.flatMap((x) => {
    const fromStep = map(x.fromStep);
    const toStep = map(x.toStep);
    if (fromStep === undefined || toStep === undefined || fromStep >= toStep || toStep >= steps)
      return [];
    return [{ ...x, fromStep, toStep }];
  });
}

function ExclusionRow({
  exclusion,
  index,
  steps,
  onChange,
  onRemove,
}: {
  exclusion: Exclusion;
  index: number;
  steps: number;
  onChange: (x: Exclusion) => void;
  onRemove: () => void;
}) {
  const stepSelect = (
    value: number,
    set: (n: number) => void,
    label: string,
    min: number,
    max: number,
  ) => (
    <Select value={String(value)} onValueChange={(v) => set(Number(v))}>
      <SelectTrigger size="sm" className="h-7 w-16 text-xs" aria-label={label}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {Array.from({ length: steps }, (_, k) => k)
          .filter((k) => k >= min && k <= max)
          .map((k) => (
            <SelectItem key={k} value={String(k)} className="text-xs">
              {k + 1}
            </SelectItem>
          ))}
      </SelectContent>
    </Select>
  );
  return (
    <div
      className="grid grid-cols-1 gap-1.5 rounded-lg border border-dashed p-2"
      data-testid={`exclusion-${index}`}
    >
      <div className="flex items-center gap-1">
        <Ban className="size-4 shrink-0 text-destructive" aria-hidden />
        <EventPicker
          value={exclusion.event}
          onChange={(event) => onChange({ ...exclusion, event })}
          className="flex-1"
          data-testid={`exclusion-${index}-event`}
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-7 shrink-0 text-muted-foreground"
          aria-label={`Remove exclusion ${index + 1}`}
          onClick={onRemove}
        >
          <Trash2 className="size-3.5" aria-hidden />
        </Button>
      </div>
      <div className="flex items-center gap-1.5 text-xs text-muted-foreground">
        between step
        {stepSelect(
          exclusion.fromStep,
          (fromStep) => onChange({ ...exclusion, fromStep }),
          'From step',
          0,
          exclusion.toStep - 1,
        )}
        and step
        {stepSelect(
          exclusion.toStep,
          (toStep) => onChange({ ...exclusion, toStep }),
          'To step',
          exclusion.fromStep + 1,
          steps - 1,
        )}
      </div>
    </div>
  );
}

function WindowControl({ query, onChange }: EditorProps<FunnelsQuery>) {
  const [text, setText] = useDraft(String(query.conversionWindow.value));
  const commit = () => {
    const value = Math.round(Number(text));
    if (Number.isFinite(value) && value >= 1 && value !== query.conversionWindow.value)
      onChange({ ...query, conversionWindow: { ...query.conversionWindow, value } });
    else setText(String(query.conversionWindow.value));
  };
  return (
    <div className="flex items-center gap-1.5">
      <Input
        type="number"
        min={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        aria-label="Conversion window"
        className="h-8 w-20 text-xs md:text-xs"
        data-testid="funnel-window-value"
      />
      <Select
        value={query.conversionWindow.unit}
        onValueChange={(unit) =>
          onChange({
            ...query,
            conversionWindow: {
              ...query.conversionWindow,
              unit: unit as FunnelsQuery['conversionWindow']['unit'],
            },
          })
        }
      >
        <SelectTrigger
          size="sm"
          className="h-8 flex-1 text-xs"
          aria-label="Conversion window unit"
          data-testid="funnel-window-unit"
        >
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {(['minute', 'hour', 'day', 'week'] as const).map((u) => (
            <SelectItem key={u} value={u} className="text-xs">
              {u}s
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

function FunnelsEditor({ query, onChange: change }: EditorProps<FunnelsQuery>) {
  const onChange = (next: FunnelsQuery) => change(normalizeFunnelQuery(next));
  const events = query.steps.map((s) => s.event);
  const n = query.steps.length;
  const move = (i: number, delta: -1 | 1) => {
    const j = i + delta;
    const steps = [...query.steps];
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
    onChange({
      ...query,
      steps,
      exclusions: remapExclusions(query.exclusions, (k) => (k === i ? j : k === j ? i : k), n),
    });
  };
  const remove = (i: number) =>
    onChange({
      ...query,
      steps: query.steps.filter((_, j) => j !== i),
      exclusions: remapExclusions(
        query.exclusions,
        (k) => (k === i ? undefined : k > i ? k - 1 : k),
        n - 1,
      ),
    });
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection title="Steps" testId="funnel-steps-editor">
        <ol className="grid grid-cols-1 gap-1.5">
          {query.steps.map((s, i) => (
            <StepCard
              key={i}
              step={s}
              index={i}
              count={n}
              onChange={(next) =>
                onChange({ ...query, steps: query.steps.map((x, j) => (j === i ? next : x)) })
              }
              onRemove={() => remove(i)}
              onMove={(d) => move(i, d)}
            />
          ))}
        </ol>
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-start border-dashed"
          disabled={n >= MAX_STEPS}
          onClick={() =>
            onChange({
              ...query,
              steps: [...query.steps, { event: query.steps.at(-1)!.event, filters: [] }],
            })
          }
          data-testid="step-add"
        >
          <Plus aria-hidden />
          Add step
        </Button>
      </EditorSection>

      <EditorSection title="Order and window" hint={ORDER_HINT[query.order]}>
        <Select
          value={query.order}
          onValueChange={(order) =>
            onChange({
              ...query,
              order: order as FunnelsQuery['order'],
              // Exclusions need ordered steps (the server's rule).
              exclusions: order === 'any' ? [] : query.exclusions,
            })
          }
        >
          <SelectTrigger
            size="sm"
            className="h-8 w-full text-xs"
            aria-label="Step order"
            data-testid="funnel-order"
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="sequential" className="text-xs">
              Sequential order
            </SelectItem>
            <SelectItem value="strict" className="text-xs">
              Strict order
            </SelectItem>
            <SelectItem value="any" className="text-xs">
              Any order
            </SelectItem>
          </SelectContent>
        </Select>
        <div className="grid grid-cols-1 gap-1">
          <span className="text-xs text-muted-foreground">Conversion window</span>
          <WindowControl query={query} onChange={onChange} />
        </div>
      </EditorSection>

      <EditorSection
        title="Exclusions"
        hint={
          query.order === 'any'
            ? 'Exclusions need a sequential or strict order.'
            : query.exclusions.length
              ? 'Users who did the event between those steps do not convert past them.'
              : undefined
        }
        action={
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className="h-7 px-2 text-xs"
            disabled={query.order === 'any' || query.exclusions.length >= 10}
            onClick={() =>
              onChange({
                ...query,
                exclusions: [
                  ...query.exclusions,
                  { event: query.steps[0]!.event, filters: [], fromStep: 0, toStep: n - 1 },
                ],
              })
            }
            data-testid="exclusion-add"
          >
            <Plus aria-hidden />
            Add
          </Button>
        }
      >
        {query.exclusions.map((x, i) => (
          <ExclusionRow
            key={i}
            exclusion={x}
            index={i}
            steps={n}
            onChange={(next) =>
              onChange({
                ...query,
                exclusions: query.exclusions.map((e, j) => (j === i ? next : e)),
              })
            }
            onRemove={() =>
              onChange({ ...query, exclusions: query.exclusions.filter((_, j) => j !== i) })
            }
          />
        ))}
      </EditorSection>

      <EditorSection
        title="Filters"
        hint={query.filters.length ? 'Apply to every step.' : undefined}
      >
        <FilterEditor
          filters={query.filters}
          onChange={(filters) => onChange({ ...query, filters })}
          allowCohorts
          events={events}
          testIdPrefix="filter"
        />
      </EditorSection>

      <EditorSection
        title="Breakdown"
        testId="funnel-breakdown"
        hint={
          query.view !== 'steps'
            ? 'Breakdowns apply to the Steps view: switch to Steps above the chart to break the funnel down.'
            : query.breakdown && 'property' in query.breakdown
              ? 'Read from each user’s first step event.'
              : undefined
        }
      >
        {query.view === 'steps' ? (
          <BreakdownPicker
            value={query.breakdown}
            onChange={(breakdown) => onChange({ ...query, breakdown })}
            events={events.slice(0, 1)}
            allowCohorts
          />
        ) : null}
      </EditorSection>
    </div>
  );
}

const VIEWS: { value: FunnelsQuery['view']; label: string }[] = [
  { value: 'steps', label: 'Steps' },
  { value: 'time_to_convert', label: 'Time to convert' },
  { value: 'trends', label: 'Conversion over time' },
];
const BINS = [5, 10, 20, 30, 60];

function FunnelsToolbar({ query, onChange: change }: EditorProps<FunnelsQuery>) {
  const onChange = (next: FunnelsQuery) => change(normalizeFunnelQuery(next));
  const n = query.steps.length;
  const { fromStep, toStep } = timeToConvertSteps(query);
  const stepSelect = (
    value: number,
    set: (k: number) => void,
    label: string,
    allowed: (k: number) => boolean,
    testId: string,
  ) => (
    <Select value={String(value)} onValueChange={(v) => set(Number(v))}>
      <SelectTrigger
        size="sm"
        className="h-8 max-w-44 text-xs"
        aria-label={label}
        data-testid={testId}
      >
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {query.steps.map((s, k) => (
          <SelectItem key={k} value={String(k)} disabled={!allowed(k)} className="text-xs">
            {k + 1}. {s.label ?? s.event}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
  return (
    <>
      <DateRangePicker
        value={query.dateRange}
        onChange={(dateRange) => onChange({ ...query, dateRange })}
      />
      <Select
        value={query.view}
        onValueChange={(view) => {
          const next = { ...query, view: view as FunnelsQuery['view'] };
          // Time to convert needs ordered steps: switching to it makes an 'any' funnel sequential.
          if (view === 'time_to_convert' && query.order === 'any') next.order = 'sequential';
          onChange(next);
        }}
      >
        <SelectTrigger
          size="sm"
          className="h-8 text-xs"
          aria-label="Funnel view"
          data-testid="funnel-view"
        >
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {VIEWS.map((v) => (
            <SelectItem
              key={v.value}
              value={v.value}
              className="text-xs"
              data-testid={`funnel-view-${v.value}`}
            >
              {v.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {query.view === 'time_to_convert' ? (
        <div className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
          from
          {stepSelect(
            fromStep,
            (k) => onChange({ ...query, timeToConvert: { ...query.timeToConvert, fromStep: k } }),
            'Time to convert from step',
            (k) => k < toStep,
            'funnel-ttc-from',
          )}
          to
          {stepSelect(
            toStep,
            (k) =>
              onChange({
                ...query,
                timeToConvert: { ...query.timeToConvert, toStep: k === n - 1 ? undefined : k },
              }),
            'Time to convert to step',
            (k) => k > fromStep,
            'funnel-ttc-to',
          )}
          <Select
            value={String(query.timeToConvert.bins)}
            onValueChange={(v) =>
              onChange({ ...query, timeToConvert: { ...query.timeToConvert, bins: Number(v) } })
            }
          >
            <SelectTrigger
              size="sm"
              className="h-8 text-xs"
              aria-label="Histogram bins"
              data-testid="funnel-ttc-bins"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {[...new Set([...BINS, query.timeToConvert.bins])]
                .sort((a, b) => a - b)
                .map((b) => (
                  <SelectItem key={b} value={String(b)} className="text-xs">
                    {b} bins
                  </SelectItem>
                ))}
            </SelectContent>
          </Select>
        </div>
      ) : null}
      {query.view === 'trends' ? (
        <Select
          value={query.trendsInterval}
          onValueChange={(v) =>
            onChange({ ...query, trendsInterval: v as FunnelsQuery['trendsInterval'] })
          }
        >
          <SelectTrigger
            size="sm"
            className="h-8 w-28 text-xs"
            aria-label="Interval"
            data-testid="funnel-trends-interval"
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="day" className="text-xs">
              Daily
            </SelectItem>
            <SelectItem value="week" className="text-xs">
              Weekly
            </SelectItem>
            <SelectItem value="month" className="text-xs">
              Monthly
            </SelectItem>
          </SelectContent>
        </Select>
      ) : null}
    </>
  );
}

const VIEW_SUFFIX: Record<FunnelsQuery['view'], string> = {
  steps: '',
  time_to_convert: ' · time to convert',
  trends: ' · conversion over time',
};

export const funnelsUI: InsightKindUI<FunnelsQuery, FunnelsResult> = {
  kind: 'funnels',
  title: 'Funnels',
  description: 'See how many users complete a sequence of steps, and where they drop off.',
  icon: Filter,
  schema: ZFunnelsQuery,
  defaultQuery: (events, today) =>
    ZFunnelsQuery.parse({
      kind: 'funnels',
      steps: [
        { event: events[0] ?? 'page_viewed' },
        { event: events[1] ?? events[0] ?? 'page_viewed' },
      ],
      dateRange: lastDays(30, today),
    }),
  // The view (steps, time to convert, over time) is part of the query; the chart type says
  // whether it is drawn or listed.
  chartTypes: [
    { value: 'funnel', label: 'Chart', icon: ChartColumnBig },
    { value: 'table', label: 'Table', icon: Table2 },
  ],
  defaultChartType: 'funnel',
  describe: (q) =>
    q.steps.map((s) => s.label ?? s.event).join(' → ') +
    (q.breakdown && 'property' in q.breakdown ? ` by ${q.breakdown.property.name}` : '') +
    (q.breakdown && 'cohort' in q.breakdown ? ' by cohort' : '') +
    VIEW_SUFFIX[q.view],
  events: (q) => [...q.steps, ...q.exclusions].map((s) => s.event),
  isEmpty: funnelIsEmpty,
  csv: funnelsViewCsv,
  Editor: FunnelsEditor,
  Toolbar: FunnelsToolbar,
  Chart: FunnelsChart,
  ChartOptionsControl: ({ query, chartType, options, onChange }) =>
    chartType === 'funnel' && query.view === 'steps' ? (
      <Segmented
        label="Conversion relative to"
        value={options.relativeTo ?? 'first'}
        onChange={(relativeTo) => onChange({ ...options, relativeTo })}
        options={[
          { value: 'first', label: 'Of first step' },
          { value: 'previous', label: 'Of previous step' },
        ]}
        testIdPrefix="funnel-relative"
      />
    ) : null,
};
