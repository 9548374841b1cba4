// The insight types the page offers, in tab order. A type the server runs gets its UI here
// (one file per type); types still being built show as "coming soon" tabs. The Cohorts tab
// opens the page's Cohorts section (../cohorts/), not an insight kind.
import {
  Activity,
  Magnet,
  MousePointerClick,
  Repeat,
  Route,
  UsersRound,
  type LucideIcon,
} from 'lucide-react';
import { adoptionUI } from './adoption';
import { funnelsUI } from './funnels';
import { lifecycleUI } from './lifecycle';
import { retentionUI } from './retention';
import { stickinessUI } from './stickiness';
import { pathsUI } from './paths';
import { trendsUI } from './trends';
import type { InsightKindKey, InsightKindUI } from './types';

// Each entry is typed by its own kind (trendsUI: InsightKindUI<TrendsQuery, TrendsResult>); the
// page only ever hands a kind its own query and result, so the table is looked up loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKindUI = InsightKindUI<any, any>;

const AVAILABLE: Partial<Record<InsightKindKey, AnyKindUI>> = {
  trends: trendsUI,
  funnels: funnelsUI,
  paths: pathsUI,
  feature_adoption: adoptionUI,
  retention: retentionUI,
  lifecycle: lifecycleUI,
  stickiness: stickinessUI,
};

export interface KindTab {
  key: string;
  title: string;
  description: string;
  icon: LucideIcon;
  ui?: AnyKindUI;
}

const ORDER: Omit<KindTab, 'ui'>[] = [
  trendsUI,
  funnelsUI,
  {
    key: 'retention',
    title: 'Retention',
    description: 'How many users come back in the weeks after their first visit.',
    icon: Repeat,
  },
  {
    key: 'paths',
    title: 'Paths',
    description: 'Follow the routes users take before and after a chosen event.',
    icon: Route,
  },
  {
    key: 'lifecycle',
    title: 'Lifecycle',
    description: 'Split active users into new, returning, resurrecting and dormant.',
    icon: Activity,
  },
  {
    key: 'stickiness',
    title: 'Stickiness',
    description: 'How many days per week or month users perform an event.',
    icon: Magnet,
  },
  {
    key: 'feature_adoption',
    title: 'Feature adoption',
    description: 'Who tried a feature, who kept using it, and how fast it spread.',
    icon: MousePointerClick,
  },
  {
    key: 'cohorts',
    title: 'Cohorts',
    description: 'Groups of users by behaviour or properties, reusable as filters.',
    icon: UsersRound,
  },
].map((k) => ({
  key: 'kind' in k ? k.kind : k.key,
  title: k.title,
  description: k.description,
  icon: k.icon,
}));

export const KIND_TABS: KindTab[] = ORDER.map((t) => ({
  ...t,
  ui: AVAILABLE[t.key as InsightKindKey],
}));

export function kindUI(kind: string): AnyKindUI | undefined {
  return AVAILABLE[kind as InsightKindKey];
}

/** Query schemas by kind, to read `?q=` links. */
export const QUERY_SCHEMAS = Object.fromEntries(
  Object.entries(AVAILABLE).map(([k, ui]) => [k, ui!.schema]),
);
