import { describe, expect, it } from 'vitest';
import {
  closeTab,
  initialTabs,
  MAX_TABS,
  newTab,
  nextTabNumber,
  openTab,
  parseTabs,
  updateTab,
  type SqlTabs,
} from './sql-tabs';

const tabs = (...ids: string[]): SqlTabs => ({
  tabs: ids.map((id, i) => ({ id, title: `Query ${i + 1}`, sql: `select ${i}` })),
  active: ids[0]!,
});

describe('SQL editor tabs', () => {
  it('restores stored tabs and drops what is not a tab', () => {
    const stored = JSON.stringify({
      tabs: [
        { id: 'a', title: 'Query 1', sql: 'select 1', savedQueryId: 's1' },
        { id: 'b', title: 7, sql: 'x' },
        'junk',
      ],
      active: 'missing',
    });
    expect(parseTabs(stored)).toEqual({
      tabs: [{ id: 'a', title: 'Query 1', sql: 'select 1', savedQueryId: 's1' }],
      active: 'a',
    });
    expect(parseTabs(null)).toBeUndefined();
    expect(parseTabs('{not json')).toBeUndefined();
    expect(parseTabs(JSON.stringify({ tabs: [] }))).toBeUndefined();
  });

  it('keeps parameters, range and chart, and drops a field that no longer parses (not the tab)', () => {
    const tab = {
      id: 'a',
      title: 'Q',
      sql: 'select {{ n }}',
      values: { n: '3' },
      paramTypes: { n: 'number' },
      range: { from: '2026-10-01', to: '2026-10-31' },
      view: 'chart',
      chart: { type: 'bar', x: 'day', y: ['events'] },
    };
    expect(parseTabs(JSON.stringify({ tabs: [tab], active: 'a' }))?.tabs[0]).toEqual(tab);
    const broken = { ...tab, paramTypes: { n: 'weird' }, chart: { type: 'pie', y: [] } };
    const { paramTypes: _p, chart: _c, ...rest } = tab;
    expect(parseTabs(JSON.stringify({ tabs: [broken], active: 'a' }))?.tabs[0]).toEqual(rest);
  });

  it('opens tabs up to the limit, dropping the oldest inactive one', () => {
    let state = initialTabs();
    for (let i = 2; i <= MAX_TABS + 3; i++) state = openTab(state, newTab(i));
    expect(state.tabs).toHaveLength(MAX_TABS);
    expect(state.active).toBe(state.tabs.at(-1)!.id);
  });

  it('closes the active tab to its neighbour, and never leaves none', () => {
    const state = { ...tabs('a', 'b', 'c'), active: 'b' };
    expect(closeTab(state, 'b')).toMatchObject({ active: 'c' });
    expect(closeTab({ ...state, active: 'c' }, 'c')).toMatchObject({ active: 'b' });
    expect(closeTab(state, 'a')).toMatchObject({ active: 'b' });
    const last = closeTab(tabs('a'), 'a');
    expect(last.tabs).toHaveLength(1);
    expect(last.tabs[0]!.sql).toBe('');
    expect(closeTab(state, 'zzz')).toBe(state);
  });

  it('updates one tab and numbers new ones from the first free number', () => {
    const state = updateTab(tabs('a', 'b'), 'b', { sql: 'select 42', title: 'Mine' });
    expect(state.tabs[1]).toMatchObject({ id: 'b', sql: 'select 42', title: 'Mine' });
    expect(nextTabNumber(state)).toBe(2);
    expect(nextTabNumber(tabs('a', 'b'))).toBe(3);
  });
});
