// What the Insights page needs from each insight type, one file per type in this folder
// (trends.tsx, funnels.tsx, …) registered in ./index.ts. The server's ZInsightQuery union is the
// source of truth: the registry is typed so that a kind the server runs and the UI does not
// know is a compile error. A kind brings its query schema (to read URLs), a default query, its
// editor (the controls), its chart (drawn from the chart-ready result) and its CSV table.
import type { LucideIcon } from 'lucide-react';
import type { z } from 'zod';
import type { InsightQuery, InsightResult } from '@/server/insights/insight-service';
import type { CsvTable } from '../csv';

export type InsightKindKey = InsightQuery['kind'];
export type QueryOf<K extends InsightKindKey> = Extract<InsightQuery, { kind: K }>;

/** A way to draw a kind's result (line, bar, steps…). */
export interface ChartTypeOption {
  value: string;
  label: string;
  icon: LucideIcon;
}

/** Display options that are not part of the server query (kept in the URL next to it). */
export interface ChartOptions {
  /** Funnels: conversion relative to the first step (default) or the previous one. */
  relativeTo?: 'first' | 'previous';
}

export interface ChartProps<Q, R> {
  query: Q;
  result: R;
  chartType: string;
  options?: ChartOptions;
  /** Plot height in pixels (the card's body); tiles pass a smaller one. */
  height?: number;
  /** Offer drill-downs (funnels: click a step to list its users); the Insights page only. */
  drillDown?: boolean;
}

export interface EditorProps<Q> {
  query: Q;
  onChange: (next: Q) => void;
}

export interface InsightKindUI<Q extends InsightQuery = InsightQuery, R = InsightResult> {
  kind: Q['kind'];
  title: string;
  /** One line, shown on the type picker. */
  description: string;
  icon: LucideIcon;
  /** The server's zod schema of the query (validates URLs and edits before they run). */
  schema: z.ZodType<Q, unknown>;
  /** A sensible first query given the workspace's most common events (by volume). */
  defaultQuery(events: readonly string[], today: string): Q;
  chartTypes: readonly ChartTypeOption[];
  defaultChartType: string;
  /** A short automatic name, e.g. "signed_up → subscription_started". */
  describe(query: Q): string;
  /** The event names the query uses (their JSON property keys are offered in pickers). */
  events(query: Q): string[];
  isEmpty(result: R): boolean;
  csv(query: Q, result: R, options?: ChartOptions): CsvTable;
  /** The side panel's controls (series, steps, filters, breakdown…). */
  Editor: React.ComponentType<EditorProps<Q>>;
  /** Controls above the chart (date range, interval, compare…). */
  Toolbar: React.ComponentType<EditorProps<Q>>;
  Chart: React.ComponentType<ChartProps<Q, R>>;
  /** Controls for display options next to the chart type (e.g. funnels: relative to…). */
  ChartOptionsControl?: React.ComponentType<{
    query: Q;
    chartType: string;
    options: ChartOptions;
    onChange: (next: ChartOptions) => void;
  }>;
}
