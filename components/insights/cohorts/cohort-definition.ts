// Cohort definitions as the editor builds and the list reads them: a first definition, new
// conditions of each type, switching a condition's type, and one-line descriptions
// ("did signed_up at least 2 times in the last 30 days"). Pure, so unit-tested.
import type { CohortCondition, CohortDefinition, CohortWindow } from '@/server/insights/cohorts';
import type { PropertyFilter } from '@/server/insights/properties';
import { valueToText } from '../controls/filter-values';

export type ConditionType = CohortCondition['type'];
export type CohortGroup = CohortDefinition['groups'][number];

export const DEFAULT_WINDOW: CohortWindow = { last: 30, unit: 'day' };

export function newCondition(type: ConditionType, event: string): CohortCondition {
  switch (type) {
    case 'performed':
      return {
        type,
        event,
        filters: [],
        operator: 'at_least',
        count: 1,
        window: DEFAULT_WINDOW,
      };
    case 'not_performed':
      return { type, event, filters: [], window: DEFAULT_WINDOW };
    case 'property':
      return { type, filter: { property: { source: 'user', name: 'plan' }, op: 'is_set' } };
  }
}

/** The same condition as another type, keeping its event and window where both have one. */
export function withType(c: CohortCondition, type: ConditionType, fallbackEvent: string) {
  if (c.type === type) return c;
  const next = newCondition(type, c.type === 'property' ? fallbackEvent : c.event);
  if (c.type !== 'property' && next.type !== 'property')
    return { ...next, filters: c.filters, window: c.window };
  return next;
}

export function newGroup(event: string): CohortGroup {
  return { match: 'all', conditions: [newCondition('performed', event)] };
}

export function defaultDefinition(event: string): CohortDefinition {
  return { match: 'all', groups: [newGroup(event)] };
}

const OPERATOR: Record<'at_least' | 'at_most' | 'exactly', string> = {
  at_least: 'at least',
  at_most: 'at most',
  exactly: 'exactly',
};

const OP_TEXT: Record<PropertyFilter['op'], string> = {
  eq: '=',
  neq: '≠',
  in: 'in',
  not_in: 'not in',
  contains: 'contains',
  gt: '>',
  lt: '<',
  is_set: 'is set',
  is_not_set: 'is not set',
};

export function describeWindow(w: CohortWindow): string {
  if ('from' in w) return `between ${w.from} and ${w.to}`;
  return w.last === 1 ? `in the last ${w.unit}` : `in the last ${w.last} ${w.unit}s`;
}

export function describeFilter(f: PropertyFilter): string {
  const name = f.property.source === 'user' ? `user.${f.property.name}` : f.property.name;
  const value = f.value === undefined ? '' : ` ${valueToText(f.value)}`;
  return `${name} ${OP_TEXT[f.op]}${value}`;
}

export function describeCondition(c: CohortCondition): string {
  const where = (filters: PropertyFilter[]) =>
    filters.length ? ` where ${filters.map(describeFilter).join(' and ')}` : '';
  switch (c.type) {
    case 'performed':
      return `did ${c.event}${where(c.filters)} ${OPERATOR[c.operator]} ${c.count} ${
        c.count === 1 ? 'time' : 'times'
      } ${describeWindow(c.window)}`;
    case 'not_performed':
      return `did not do ${c.event}${where(c.filters)} ${describeWindow(c.window)}`;
    case 'property':
      return describeFilter(c.filter);
  }
}

/** The whole definition in one line: groups in parentheses when there are several. */
export function describeDefinition(def: CohortDefinition): string {
  const group = (g: CohortGroup) =>
    g.conditions.map(describeCondition).join(g.match === 'all' ? ' and ' : ' or ');
  if (def.groups.length === 1) return group(def.groups[0]!);
  return def.groups
    .map((g) => (g.conditions.length > 1 ? `(${group(g)})` : group(g)))
    .join(def.match === 'all' ? ' and ' : ' or ');
}
