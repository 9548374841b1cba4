// The SQL editor's tabs: what survives a reload (stored per workspace in localStorage), and the
// pure operations on them. A tab remembers its text, once saved the saved query it edits, the
// values and types of its `{{ parameters }}`, the date range of `{{ filters }}`, and how its
// result is shown (table or chart, and the chart's config).
import { z } from 'zod';
import { ZSqlChartConfig, type SqlChartConfig } from '@/server/sql/sql-chart';
import { PARAM_TYPES, ZDateRange, type DateRange, type ParamType } from '@/server/sql/sql-template';

export interface SqlTab {
  id: string;
  title: string;
  sql: string;
  savedQueryId?: string;
  /** Values typed for the parameters, by name. */
  values?: Record<string, string>;
  /** Types picked for the parameters (the rest: guessed from the name). */
  paramTypes?: Record<string, ParamType>;
  /** The range `{{ filters }}` applies in the editor. */
  range?: DateRange;
  view?: 'table' | 'chart';
  /** The chart the analyst configured; absent: suggested from the result. */
  chart?: SqlChartConfig;
}

/** One stored tab; fields that do not parse are dropped, not the tab. */
const ZStoredTab = z.object({
  id: z.string(),
  title: z.string(),
  sql: z.string(),
  savedQueryId: z.string().optional().catch(undefined),
  values: z.record(z.string(), z.string()).optional().catch(undefined),
  paramTypes: z.record(z.string(), z.enum(PARAM_TYPES)).optional().catch(undefined),
  range: ZDateRange.optional().catch(undefined),
  view: z.enum(['table', 'chart']).optional().catch(undefined),
  chart: ZSqlChartConfig.optional().catch(undefined),
});

export interface SqlTabs {
  tabs: SqlTab[];
  active: string;
}

export const MAX_TABS = 20;

export const storageKey = (workspaceSlug: string) => `tl.sql.tabs.${workspaceSlug}`;

export function newTab(n: number, sql = '', title?: string): SqlTab {
  return { id: `t${Date.now().toString(36)}${n}`, title: title ?? `Query ${n}`, sql };
}

export function initialTabs(): SqlTabs {
  const tab = newTab(
    1,
    'select event_name, count(*) as events\nfrom fact_events\ngroup by 1\norder by 2 desc',
    'Query 1',
  );
  return { tabs: [tab], active: tab.id };
}

/** Reads stored tabs, or undefined when there are none or they are not ours. */
export function parseTabs(text: string | null): SqlTabs | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SqlTabs>;
    if (!Array.isArray(value.tabs) || value.tabs.length === 0) return undefined;
    const tabs = value.tabs
      .flatMap((t: unknown) => {
        const parsed = ZStoredTab.safeParse(t);
        if (!parsed.success) return [];
        return [
          Object.fromEntries(
            Object.entries(parsed.data).filter(([, v]) => v !== undefined),
          ) as unknown as SqlTab,
        ];
      })
      .slice(0, MAX_TABS);
    if (tabs.length === 0) return undefined;
    const active = tabs.some((t) => t.id === value.active) ? value.active! : tabs[0]!.id;
    return { tabs, active };
  } catch {
    return undefined;
  }
}

/** Opens a tab (at most MAX_TABS: the oldest inactive one goes) and makes it active. */
export function openTab(state: SqlTabs, tab: SqlTab): SqlTabs {
  let tabs = [...state.tabs, tab];
  if (tabs.length > MAX_TABS)
    tabs = tabs.filter((t, i) => i !== 0 || t.id === state.active).slice(-MAX_TABS);
  return { tabs, active: tab.id };
}

/** Closes a tab; the last one is replaced by an empty tab, never left at zero. */
export function closeTab(state: SqlTabs, id: string): SqlTabs {
  const index = state.tabs.findIndex((t) => t.id === id);
  if (index < 0) return state;
  const tabs = state.tabs.filter((t) => t.id !== id);
  if (tabs.length === 0) {
    const tab = newTab(1);
    return { tabs: [tab], active: tab.id };
  }
  const active = state.active === id ? tabs[Math.min(index, tabs.length - 1)]!.id : state.active;
  return { tabs, active };
}

export function updateTab(state: SqlTabs, id: string, patch: Partial<Omit<SqlTab, 'id'>>): SqlTabs {
  return { ...state, tabs: state.tabs.map((t) => (t.id === id ? { ...t, ...patch } : t)) };
}

/** The next "Query n" number not in use. */
export function nextTabNumber(state: SqlTabs): number {
  const used = new Set(
    state.tabs
      .map((t) => /^Query (\d+)$/.exec(t.title)?.[1])
      .filter(Boolean)
      .map(Number),
  );
  let n = 1;
  while (used.has(n)) n++;
  return n;
}
