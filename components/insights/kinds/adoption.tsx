'use client';
// Feature adoption: features × user segments as a heat map of the share of users who used each
// feature (or, of those, who kept using it in two or more weeks).
import * as React from 'react';
import { Grid3x3, MousePointerClick, Repeat } from 'lucide-react';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { cn } from '@/lib/utils';
import {
  ZFeatureAdoptionQuery,
  type FeatureAdoptionQuery,
  type FeatureAdoptionResult,
} from '@/server/insights/adoption';
import { USER_COLUMNS } from '@/server/insights/properties';
import { DateRangePicker } from '../controls/date-range-picker';
import { FilterEditor } from '../controls/filter-editor';
import { EditorSection } from '../controls/section';
import { useDraft } from '../controls/use-draft';
import { Input } from '@/components/ui/input';
import { lastDays } from '../dates';
import { breakdownLabel, formatCount, formatPercent } from '../format';
import type { ChartProps, EditorProps, InsightKindUI } from './types';

function AdoptionEditor({ query, onChange }: EditorProps<FeatureAdoptionQuery>) {
  const [features, setFeatures] = useDraft(query.features.join(', '));
  const commit = () => {
    const list = features
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.join(',') !== query.features.join(',')) onChange({ ...query, features: list });
  };
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection title="Segment users by">
        <Select
          value={query.segment}
          onValueChange={(v) =>
            onChange({ ...query, segment: v as FeatureAdoptionQuery['segment'] })
          }
        >
          <SelectTrigger size="sm" className="h-8 w-full font-mono text-xs" aria-label="Segment">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {USER_COLUMNS.map((c) => (
              <SelectItem key={c} value={c} className="font-mono text-xs">
                user.{c}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </EditorSection>
      <EditorSection
        title="Out of"
        hint={
          query.denominator === 'active_users'
            ? 'Users of the segment with at least one event in the range.'
            : 'Every user of the segment seen before the range ends.'
        }
      >
        <Select
          value={query.denominator}
          onValueChange={(v) =>
            onChange({ ...query, denominator: v as FeatureAdoptionQuery['denominator'] })
          }
        >
          <SelectTrigger size="sm" className="h-8 w-full text-xs" aria-label="Denominator">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="active_users" className="text-xs">
              Active users
            </SelectItem>
            <SelectItem value="segment_users" className="text-xs">
              All users of the segment
            </SelectItem>
          </SelectContent>
        </Select>
      </EditorSection>
      <EditorSection title="Features" hint="Comma-separated feature names; empty shows all.">
        <Input
          value={features}
          onChange={(e) => setFeatures(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
          placeholder="All features"
          className="h-8 text-xs md:text-xs"
          aria-label="Features"
        />
      </EditorSection>
      <EditorSection title="Filters" hint="User properties or cohorts: they choose the users.">
        <FilterEditor
          filters={query.filters}
          onChange={(filters) => onChange({ ...query, filters })}
          allowCohorts
          events={[]}
          testIdPrefix="filter"
        />
      </EditorSection>
    </div>
  );
}

function AdoptionHeatmap({
  query,
  result,
  chartType,
}: ChartProps<FeatureAdoptionQuery, FeatureAdoptionResult>) {
  const kept = chartType === 'kept';
  const value = (c: FeatureAdoptionResult['features'][number]['total']) =>
    kept ? c.keptRate : c.rate;
  return (
    <div className="max-h-[520px] overflow-auto rounded-md border" data-testid="adoption-heatmap">
      <table className="w-full border-collapse text-xs">
        <thead className="sticky top-0 z-10 bg-card">
          <tr>
            <th className="border-b px-3 py-2 text-left font-medium">Feature</th>
            <th className="border-b px-3 py-2 text-right font-medium">All</th>
            {result.segments.map((s) => (
              <th
                key={s.segment}
                className="border-b px-3 py-2 text-right font-medium whitespace-nowrap"
              >
                <span className="block">{breakdownLabel(s.segment)}</span>
                <span className="block font-normal text-muted-foreground">
                  {formatCount(s.users)} users
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.features.map((f) => (
            <tr key={f.feature}>
              <td className="border-b px-3 py-1.5">
                <span className="font-mono">{f.feature}</span>
                {f.category ? (
                  <span className="ml-1.5 text-muted-foreground">{f.category}</span>
                ) : null}
              </td>
              {[f.total, ...f.cells].map((c, i) => {
                const v = value(c);
                return (
                  <td
                    key={i}
                    className={cn(
                      'border-b px-3 py-1.5 text-right tabular-nums',
                      i === 0 && 'font-medium',
                    )}
                    style={{
                      background: `color-mix(in oklch, var(--chart-1) ${Math.round(v * 85)}%, transparent)`,
                      color: v > 0.55 ? 'white' : undefined,
                    }}
                    title={`${formatCount(kept ? c.kept : c.adopters)} of ${formatCount(kept ? c.adopters : c.users)} users`}
                  >
                    {formatPercent(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="px-3 py-2 text-xs text-muted-foreground">
        {kept
          ? 'Of the users who used the feature, the share who used it in two or more weeks.'
          : `Share of ${query.denominator === 'active_users' ? 'active users' : 'users'} in each segment who used the feature.`}
      </p>
    </div>
  );
}

export const adoptionUI: InsightKindUI<FeatureAdoptionQuery, FeatureAdoptionResult> = {
  kind: 'feature_adoption',
  title: 'Feature adoption',
  description: 'Who tried a feature, who kept using it, across user segments.',
  icon: MousePointerClick,
  schema: ZFeatureAdoptionQuery,
  defaultQuery: (_events, today) =>
    ZFeatureAdoptionQuery.parse({ kind: 'feature_adoption', dateRange: lastDays(30, today) }),
  chartTypes: [
    { value: 'heatmap', label: 'Adopted', icon: Grid3x3 },
    { value: 'kept', label: 'Kept using', icon: Repeat },
  ],
  defaultChartType: 'heatmap',
  describe: (q) => `Feature adoption by ${q.segment}`,
  events: () => [],
  isEmpty: (r) => r.features.length === 0,
  csv: (_q, r) => ({
    header: ['feature', 'segment', 'users', 'adopters', 'rate', 'kept', 'kept_rate'],
    rows: r.features.flatMap((f) =>
      [
        ['all', f.total] as const,
        ...r.segments.map((s, i) => [s.segment, f.cells[i]!] as const),
      ].map(([segment, c]) => [
        f.feature,
        segment,
        c.users,
        c.adopters,
        c.rate,
        c.kept,
        c.keptRate,
      ]),
    ),
  }),
  Editor: AdoptionEditor,
  Toolbar: ({ query, onChange }) => (
    <DateRangePicker
      value={query.dateRange}
      onChange={(dateRange) => onChange({ ...query, dateRange })}
    />
  ),
  Chart: AdoptionHeatmap,
};
