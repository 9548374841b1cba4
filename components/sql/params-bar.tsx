'use client';
// The inputs of a query's template tags, under the toolbar: one typed input per `{{ name }}`
// parameter (text, number or date; the type guessed from the name until the analyst picks one)
// and a date range for `{{ filters }}` (empty: all dates, the hook is TRUE). Hidden when the
// query has no tags. The values live in the tab, so they survive a reload.
import { Braces, CalendarRange } from 'lucide-react';
import { Input } from '@/components/ui/input';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import {
  guessParamType,
  PARAM_TYPES,
  templateTags,
  type DateRange,
  type ParamDeclaration,
  type ParamType,
} from '@/server/sql/sql-template';
import type { SqlTab } from './sql-tabs';

/** The tags of a text, or none while it does not parse as a template. */
export function tagsOf(sql: string) {
  try {
    const tags = templateTags(sql);
    const params = [...new Set(tags.filter((t) => t.kind === 'param').map((t) => t.name))];
    return { params, filters: tags.some((t) => t.kind === 'filters') };
  } catch {
    return { params: [], filters: false };
  }
}

/** The parameters as a run or a saved query declares them: type, and the value as default. */
export function declarationsOf(tab: SqlTab, params: readonly string[]): ParamDeclaration[] {
  return params.map((name) => ({
    name,
    type: tab.paramTypes?.[name] ?? guessParamType(name),
    default: tab.values?.[name] ?? null,
  }));
}

/** The tab's `{{ filters }}` range when both days are set and in order. */
export function rangeOf(tab: SqlTab): DateRange | undefined {
  const r = tab.range;
  return r && r.from && r.to && r.from <= r.to ? r : undefined;
}

export function ParamsBar({
  tab,
  tags: { params, filters },
  onChange,
}: {
  tab: SqlTab;
  /** tagsOf(tab.sql), computed once by the caller. */
  tags: ReturnType<typeof tagsOf>;
  onChange: (patch: Partial<Pick<SqlTab, 'values' | 'paramTypes' | 'range'>>) => void;
}) {
  if (params.length === 0 && !filters) return null;
  const setRange = (patch: Partial<DateRange>) => {
    // Kept while half filled in; a run uses it once both days are there (rangeOf).
    onChange({ range: { from: tab.range?.from ?? '', to: tab.range?.to ?? '', ...patch } });
  };
  return (
    <div
      className="flex flex-wrap items-end gap-3 border-b bg-muted/30 px-3 py-2"
      data-testid="sql-params"
    >
      {params.map((name) => {
        const type: ParamType = tab.paramTypes?.[name] ?? guessParamType(name);
        return (
          <div key={name} className="grid gap-1" data-testid="sql-param" data-param={name}>
            <span className="flex items-center gap-1 font-mono text-[11px] text-muted-foreground">
              <Braces className="size-3" aria-hidden />
              {name}
            </span>
            <div className="flex items-center gap-1">
              <Input
                type={type === 'date' ? 'date' : type === 'number' ? 'number' : 'text'}
                value={tab.values?.[name] ?? ''}
                onChange={(e) => onChange({ values: { ...tab.values, [name]: e.target.value } })}
                className="h-8 w-40 text-xs"
                aria-label={`Value of ${name}`}
                data-testid={`sql-param-value-${name}`}
              />
              <Select
                value={type}
                onValueChange={(v) =>
                  onChange({ paramTypes: { ...tab.paramTypes, [name]: v as ParamType } })
                }
              >
                <SelectTrigger
                  className="h-8 w-24 text-xs"
                  aria-label={`Type of ${name}`}
                  data-testid={`sql-param-type-${name}`}
                >
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {PARAM_TYPES.map((t) => (
                    <SelectItem key={t} value={t}>
                      {t}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          </div>
        );
      })}
      {filters ? (
        <div className="grid gap-1" data-testid="sql-filters-range">
          <span className="flex items-center gap-1 text-[11px] text-muted-foreground">
            <CalendarRange className="size-3" aria-hidden />
            {'{{ filters }}'} date range{' '}
            {rangeOf(tab) ? null : <span className="italic">(empty: all dates)</span>}
          </span>
          <div className="flex items-center gap-1 text-xs">
            <Input
              type="date"
              value={tab.range?.from ?? ''}
              onChange={(e) => setRange({ from: e.target.value })}
              className="h-8 w-36 text-xs"
              aria-label="Filters range from"
            />
            <span className="text-muted-foreground">to</span>
            <Input
              type="date"
              value={tab.range?.to ?? ''}
              onChange={(e) => setRange({ to: e.target.value })}
              className="h-8 w-36 text-xs"
              aria-label="Filters range to"
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}
