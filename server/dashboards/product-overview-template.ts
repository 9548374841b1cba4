// The "Product overview" template: the first dashboard of a workspace, built from the demo
// product's event names (server/ingest/generator/catalog.ts, telemetry-model.md §4).
// - Active users (DAU/WAU/MAU) are unique users with a page_viewed event: every session of the
//   simulated product views pages, while logged_in starts only some sessions, and trends count
//   one event name per series (no "any event").
// - Week-1 retention: users' first signed_up week as the cohort, any event as the return.
import type { z } from 'zod';
import { ZInsightQuery } from '../insights/insight-service';
import type { DashboardFilters } from './dashboard-filters';
import type { ChartType } from './saved-insights';
import type { TileLayout } from './layout';

export const PRODUCT_OVERVIEW = 'product-overview';

type QueryInput = z.input<typeof ZInsightQuery>;

export interface TemplateTile {
  name: string;
  description: string;
  /** null: the kind's default chart. */
  chartType: ChartType | null;
  /** Built for the range the dashboard shows (the dashboard's range replaces it when run). */
  query: (range: { from: string; to: string }) => QueryInput;
  layout: TileLayout;
}

export interface DashboardTemplate {
  id: string;
  name: string;
  description: string;
  filters: DashboardFilters;
  text?: { text: string; layout: TileLayout };
  tiles: TemplateTile[];
}

const activeUsers =
  (interval: 'day' | 'week' | 'month', label: string) => (range: { from: string; to: string }) =>
    ({
      kind: 'trends',
      series: [{ event: 'page_viewed', math: 'unique_users', label }],
      interval,
      dateRange: range,
    }) satisfies QueryInput;

const ONBOARDING_STEPS = [
  ['signed_up', 'Signed up'],
  ['onboarding_completed', 'Completed onboarding'],
  ['project_created', 'Created a project'],
  ['teammate_invited', 'Invited a teammate'],
  ['subscription_started', 'Started a subscription'],
] as const;

export function productOverviewTemplate(): DashboardTemplate {
  const tiles: TemplateTile[] = [
    {
      name: 'Daily active users',
      description: 'Unique users with a page view, per day.',
      chartType: 'line',
      query: activeUsers('day', 'DAU'),
      layout: { x: 0, y: 1, w: 4, h: 4 },
    },
    {
      name: 'Weekly active users',
      description: 'Unique users with a page view, per week (weeks start on Monday).',
      chartType: 'line',
      query: activeUsers('week', 'WAU'),
      layout: { x: 4, y: 1, w: 4, h: 4 },
    },
    {
      name: 'Monthly active users',
      description: 'Unique users with a page view, per calendar month.',
      chartType: 'bar',
      query: activeUsers('month', 'MAU'),
      layout: { x: 8, y: 1, w: 4, h: 4 },
    },
    {
      name: 'Signups',
      description: 'New accounts per day (signed_up).',
      chartType: 'bar',
      query: (range) => ({
        kind: 'trends',
        series: [{ event: 'signed_up', math: 'total', label: 'Signups' }],
        interval: 'day',
        dateRange: range,
      }),
      layout: { x: 0, y: 5, w: 6, h: 5 },
    },
    {
      name: 'Onboarding funnel',
      description: 'From signup to a paid subscription within 14 days.',
      chartType: null,
      query: (range) => ({
        kind: 'funnels',
        steps: ONBOARDING_STEPS.map(([event, label]) => ({ event, label })),
        conversionWindow: { value: 14, unit: 'day' },
        dateRange: range,
      }),
      layout: { x: 0, y: 10, w: 12, h: 5 },
    },
    {
      name: 'Week-1 retention',
      description:
        'Of the users who signed up in a week, how many were active again the weeks after (week 1 is the next week).',
      chartType: null,
      query: (range) => ({
        kind: 'retention',
        startEvent: { event: 'signed_up' },
        returnEvent: { event: null },
        cohortType: 'first_time',
        period: 'week',
        periods: 4,
        dateRange: range,
      }),
      layout: { x: 0, y: 15, w: 6, h: 5 },
    },
    {
      name: 'Top features',
      description: 'feature_used events by feature, the 10 most used.',
      chartType: 'bar',
      query: (range) => ({
        kind: 'trends',
        series: [{ event: 'feature_used', math: 'total', label: 'Feature uses' }],
        interval: 'week',
        dateRange: range,
        breakdown: { property: { source: 'event', name: 'feature_name' }, limit: 10 },
      }),
      layout: { x: 6, y: 5, w: 6, h: 5 },
    },
    {
      name: 'Errors',
      description: 'error_occurred events per day, by error type.',
      chartType: 'line',
      query: (range) => ({
        kind: 'trends',
        series: [{ event: 'error_occurred', math: 'total', label: 'Errors' }],
        interval: 'day',
        dateRange: range,
        breakdown: { property: { source: 'event', name: 'error_type' }, limit: 5 },
      }),
      layout: { x: 6, y: 15, w: 6, h: 5 },
    },
  ];
  return {
    id: PRODUCT_OVERVIEW,
    name: 'Product overview',
    description: 'Active users, signups, onboarding, feature usage and errors at a glance.',
    filters: { dateRange: { kind: 'relative', days: 30 }, filters: [] },
    text: {
      text: 'Active users, signups, onboarding, feature usage and errors. The date range and filters above apply to every tile.',
      layout: { x: 0, y: 0, w: 12, h: 1 },
    },
    tiles,
  };
}

export const TEMPLATES: Record<string, () => DashboardTemplate> = {
  [PRODUCT_OVERVIEW]: productOverviewTemplate,
};
