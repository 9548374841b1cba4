// The dashboard's date range and filters as the viewer sees them now: the saved ones, or an
// unsaved change kept in the URL (`?range=7` or `?from=…&to=…`, `?filters=<json>`) so a link
// shows the same numbers and a viewer can look at another range without edit rights.
import type { DashboardFilters, DashboardDateRange } from '@/server/dashboards/dashboard-filters';
import type { PropertyFilter } from '@/server/insights/properties';

export type { DashboardFilters, DashboardDateRange, PropertyFilter };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The overrides in the URL, or undefined for "as saved". */
export function readOverrides(params: URLSearchParams): Partial<DashboardFilters> {
  const out: Partial<DashboardFilters> = {};
  const range = params.get('range');
  const from = params.get('from');
  const to = params.get('to');
  if (range && /^\d{1,4}$/.test(range) && Number(range) >= 1)
    out.dateRange = { kind: 'relative', days: Number(range) };
  else if (from && to && DAY.test(from) && DAY.test(to) && from <= to)
    out.dateRange = { kind: 'absolute', from, to };
  const filters = params.get('filters');
  if (filters)
    try {
      const parsed: unknown = JSON.parse(filters);
      if (Array.isArray(parsed)) out.filters = parsed as PropertyFilter[];
    } catch {
      // A hand-edited link: ignore the filters, keep the rest.
    }
  return out;
}

export function writeOverrides(
  current: URLSearchParams,
  next: Partial<DashboardFilters>,
): URLSearchParams {
  const p = new URLSearchParams(current.toString());
  for (const k of ['range', 'from', 'to', 'filters']) p.delete(k);
  if (next.dateRange?.kind === 'relative') p.set('range', String(next.dateRange.days));
  else if (next.dateRange?.kind === 'absolute') {
    p.set('from', next.dateRange.from);
    p.set('to', next.dateRange.to);
  }
  if (next.filters) p.set('filters', JSON.stringify(next.filters));
  return p;
}

export function sameRange(a?: DashboardDateRange, b?: DashboardDateRange): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function describeRange(range?: DashboardDateRange): string {
  if (!range) return 'Each tile’s own range';
  if (range.kind === 'relative') return range.days === 1 ? 'Today' : `Last ${range.days} days`;
  return `${range.from} – ${range.to}`;
}

export function describeFilter(f: PropertyFilter): string {
  const name = f.property.name;
  const value = Array.isArray(f.value) ? f.value.join(', ') : String(f.value ?? '');
  const ops: Record<PropertyFilter['op'], string> = {
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
  return `${name} ${ops[f.op]}${f.op === 'is_set' || f.op === 'is_not_set' ? '' : ` ${value}`}`;
}
