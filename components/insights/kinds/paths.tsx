'use client';
// Paths: the journeys users take after a start event, before an end event, or from their first
// event in the range. Editor: anchor, steps, minimum users, excluded events, repeats, filters.
import * as React from 'react';
import { Route, Table2, Workflow, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { ZPathsQuery, type PathsQuery, type PathsResult } from '@/server/insights/paths';
import { DateRangePicker } from '../controls/date-range-picker';
import { EventPicker } from '../controls/event-picker';
import { FilterEditor } from '../controls/filter-editor';
import { EditorSection, Switch } from '../controls/section';
import { Segmented } from '../controls/segmented';
import { useDraft } from '../controls/use-draft';
import { lastDays } from '../dates';
import { formatCount, formatPercent } from '../format';
import { PathsSankey } from './paths-sankey';
import type { ChartProps, EditorProps, InsightKindUI } from './types';

type Anchor = 'start' | 'end' | 'none';
const anchorOf = (q: PathsQuery): Anchor => (q.start ? 'start' : q.end ? 'end' : 'none');

function PathsEditor({ query, onChange }: EditorProps<PathsQuery>) {
  const anchor = anchorOf(query);
  const anchorStep = query.start ?? query.end;
  const [minText, setMinText] = useDraft(String(query.minUsers));
  const setAnchor = (a: Anchor) => {
    const step = anchorStep ?? { event: '', filters: [] };
    onChange({
      ...query,
      start: a === 'start' ? step : undefined,
      end: a === 'end' ? step : undefined,
    });
  };
  const commitMin = () => {
    const n = Math.round(Number(minText));
    if (Number.isFinite(n) && n >= 1) onChange({ ...query, minUsers: n });
    else setMinText(String(query.minUsers));
  };
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection title="Anchor">
        <Segmented
          label="Paths anchored at"
          value={anchor}
          onChange={setAnchor}
          options={[
            { value: 'start', label: 'Starting at' },
            { value: 'end', label: 'Ending at' },
            { value: 'none', label: 'First events' },
          ]}
          testIdPrefix="paths-anchor"
        />
        {anchorStep ? (
          <>
            <EventPicker
              value={anchorStep.event || undefined}
              onChange={(event) =>
                onChange({ ...query, [anchor]: { ...anchorStep, event } } as PathsQuery)
              }
              data-testid="paths-anchor-event"
            />
            <FilterEditor
              filters={anchorStep.filters}
              onChange={(filters) =>
                onChange({ ...query, [anchor]: { ...anchorStep, filters } } as PathsQuery)
              }
              events={[anchorStep.event]}
              compact
              testIdPrefix="paths-anchor-filter"
            />
          </>
        ) : (
          <p className="text-xs text-muted-foreground">Each user’s first events in the range.</p>
        )}
      </EditorSection>
      <EditorSection title="Steps and pruning">
        <div className="flex items-center gap-2 text-xs">
          <span className="w-24 text-muted-foreground">Steps</span>
          <Select
            value={String(query.depth)}
            onValueChange={(v) => onChange({ ...query, depth: Number(v) })}
          >
            <SelectTrigger size="sm" className="h-8 w-20 text-xs" aria-label="Steps per path">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {Array.from({ length: 9 }, (_, i) => i + 2).map((n) => (
                <SelectItem key={n} value={String(n)} className="text-xs">
                  {n}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex items-center gap-2 text-xs">
          <span className="w-24 text-muted-foreground">Min. users</span>
          <Input
            type="number"
            min={1}
            value={minText}
            onChange={(e) => setMinText(e.target.value)}
            onBlur={commitMin}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitMin();
            }}
            aria-label="Minimum users per link"
            className="h-8 w-24 text-xs md:text-xs"
          />
        </div>
        <Switch
          checked={query.collapseRepeats}
          onCheckedChange={(collapseRepeats) => onChange({ ...query, collapseRepeats })}
          label="Collapse repeated events"
        />
      </EditorSection>
      <EditorSection title="Exclude events">
        {query.exclude.length ? (
          <div className="flex flex-wrap gap-1">
            {query.exclude.map((e) => (
              <Badge key={e} variant="secondary" className="gap-1 font-mono text-[11px]">
                {e}
                <button
                  type="button"
                  aria-label={`Stop excluding ${e}`}
                  className="cursor-pointer"
                  onClick={() =>
                    onChange({ ...query, exclude: query.exclude.filter((x) => x !== e) })
                  }
                >
                  <X className="size-3" aria-hidden />
                </button>
              </Badge>
            ))}
          </div>
        ) : null}
        <EventPicker
          value={undefined}
          placeholder="Exclude an event…"
          onChange={(e) =>
            query.exclude.includes(e)
              ? undefined
              : onChange({ ...query, exclude: [...query.exclude, e] })
          }
        />
      </EditorSection>
      <EditorSection title="Filters">
        <FilterEditor
          filters={query.filters}
          onChange={(filters) => onChange({ ...query, filters })}
          allowCohorts
          events={anchorStep ? [anchorStep.event] : []}
          testIdPrefix="filter"
        />
      </EditorSection>
    </div>
  );
}

function PathsChart({
  query,
  result,
  chartType,
  height = 320,
}: ChartProps<PathsQuery, PathsResult>) {
  if (chartType === 'table')
    return (
      <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="paths-table">
        <Table>
          <TableHeader className="sticky top-0 bg-card">
            <TableRow>
              <TableHead>Step</TableHead>
              <TableHead>Event</TableHead>
              <TableHead className="text-right">Users</TableHead>
              <TableHead className="text-right">Share of step</TableHead>
              <TableHead className="text-right">
                {query.end ? 'Started here' : 'Dropped here'}
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {[...result.nodes]
              .sort((a, b) => a.step - b.step || b.users - a.users)
              .map((n) => {
                const total = result.steps.find((s) => s.step === n.step)?.users || 1;
                return (
                  <TableRow key={n.id}>
                    <TableCell className="tabular-nums">{n.step}</TableCell>
                    <TableCell className="font-mono text-xs">{n.event}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(n.users)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatPercent(n.users / total)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(n.dropped)}
                    </TableCell>
                  </TableRow>
                );
              })}
          </TableBody>
        </Table>
      </div>
    );
  return (
    <div className="grid grid-cols-1 gap-2">
      <p className="text-xs text-muted-foreground">
        {formatCount(result.users)} users ·{' '}
        {result.steps.map((s) => `step ${s.step}: ${formatCount(s.users)}`).join(' · ')}
      </p>
      <PathsSankey query={query} result={result} height={height} />
    </div>
  );
}

export const pathsUI: InsightKindUI<PathsQuery, PathsResult> = {
  kind: 'paths',
  title: 'Paths',
  description: 'Follow the routes users take before and after a chosen event.',
  icon: Route,
  schema: ZPathsQuery,
  defaultQuery: (events, today) =>
    ZPathsQuery.parse({
      kind: 'paths',
      start: { event: events[0] ?? 'page_viewed' },
      depth: 5,
      dateRange: lastDays(30, today),
    }),
  chartTypes: [
    { value: 'sankey', label: 'Sankey', icon: Workflow },
    { value: 'table', label: 'Table', icon: Table2 },
  ],
  defaultChartType: 'sankey',
  describe: (q) =>
    q.start
      ? `Paths after ${q.start.event}`
      : q.end
        ? `Paths before ${q.end.event}`
        : 'First paths',
  events: (q) => [q.start?.event, q.end?.event].filter((e): e is string => !!e),
  isEmpty: (r) => r.users === 0,
  csv: (_q, r) => ({
    header: ['source_step', 'source_event', 'target_step', 'target_event', 'users'],
    rows: r.links.map((l) => {
      const [ss, se] = splitId(l.source);
      const [ts, te] = splitId(l.target);
      return [ss, se, ts, te, l.users];
    }),
  }),
  Editor: PathsEditor,
  Toolbar: ({ query, onChange }) => (
    <DateRangePicker
      value={query.dateRange}
      onChange={(dateRange) => onChange({ ...query, dateRange })}
    />
  ),
  Chart: PathsChart,
};

function splitId(id: string): [number, string] {
  const i = id.indexOf(':');
  return [Number(id.slice(0, i)), id.slice(i + 1)];
}
