'use client';
// The dashboard-wide date range and property filters. Changing them re-runs every insight tile
// with the new values (kept in the URL, not saved); analysts can save them as the dashboard's
// defaults, and anyone can go back to the saved ones.
import * as React from 'react';
import { CalendarRange, Filter, Plus, RotateCcw, Save, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { EVENT_COLUMNS, USER_COLUMNS } from '@/server/insights/properties';
import {
  describeFilter,
  describeRange,
  type DashboardDateRange,
  type PropertyFilter,
} from './dashboard-filters';

const PRESETS = [7, 14, 30, 90, 180, 365];
const PROPERTIES = [
  ...EVENT_COLUMNS.filter((c) => c !== 'event_name').map((name) => ({
    key: `event:${name}`,
    label: `Event · ${name}`,
    ref: { source: 'event' as const, name },
  })),
  ...USER_COLUMNS.map((name) => ({
    key: `user:${name}`,
    label: `User · ${name}`,
    ref: { source: 'user' as const, name },
  })),
];

export function DashboardFilterBar({
  dateRange,
  filters,
  dirty,
  canSave,
  saving,
  onChange,
  onSave,
  onReset,
}: {
  dateRange: DashboardDateRange | undefined;
  filters: PropertyFilter[];
  dirty: boolean;
  canSave: boolean;
  saving: boolean;
  onChange: (next: { dateRange?: DashboardDateRange; filters: PropertyFilter[] }) => void;
  onSave: () => void;
  onReset: () => void;
}) {
  const [custom, setCustom] = React.useState(dateRange?.kind === 'absolute');
  const [adding, setAdding] = React.useState(false);
  const presetValue =
    dateRange?.kind === 'relative' && PRESETS.includes(dateRange.days)
      ? String(dateRange.days)
      : dateRange?.kind === 'absolute' || custom
        ? 'custom'
        : dateRange?.kind === 'relative'
          ? String(dateRange.days)
          : 'own';

  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded-xl border bg-card/60 p-2"
      data-testid="dashboard-filter-bar"
    >
      <CalendarRange className="ml-1 size-4 text-muted-foreground" aria-hidden />
      <Select
        value={presetValue}
        onValueChange={(v) => {
          if (v === 'custom') {
            setCustom(true);
            const today = new Date().toISOString().slice(0, 10);
            const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
            onChange({ dateRange: { kind: 'absolute', from, to: today }, filters });
          } else if (v === 'own') {
            setCustom(false);
            onChange({ dateRange: undefined, filters });
          } else {
            setCustom(false);
            onChange({ dateRange: { kind: 'relative', days: Number(v) }, filters });
          }
        }}
      >
        <SelectTrigger
          className="h-8 w-44"
          aria-label="Date range"
          data-testid="dashboard-date-range"
        >
          <SelectValue placeholder={describeRange(dateRange)} />
        </SelectTrigger>
        <SelectContent>
          {PRESETS.map((d) => (
            <SelectItem key={d} value={String(d)} data-testid={`date-range-${d}`}>
              Last {d} days
            </SelectItem>
          ))}
          {dateRange?.kind === 'relative' && !PRESETS.includes(dateRange.days) ? (
            <SelectItem value={String(dateRange.days)}>Last {dateRange.days} days</SelectItem>
          ) : null}
          <SelectItem value="custom" data-testid="date-range-custom">
            Custom range…
          </SelectItem>
          <SelectItem value="own">Each tile’s own range</SelectItem>
        </SelectContent>
      </Select>
      {dateRange?.kind === 'absolute' ? (
        <div className="flex items-center gap-1">
          <Input
            type="date"
            className="h-8 w-36"
            aria-label="From"
            value={dateRange.from}
            max={dateRange.to}
            onChange={(e) =>
              e.target.value &&
              onChange({ dateRange: { ...dateRange, from: e.target.value }, filters })
            }
            data-testid="date-range-from"
          />
          <span className="text-xs text-muted-foreground">to</span>
          <Input
            type="date"
            className="h-8 w-36"
            aria-label="To"
            value={dateRange.to}
            min={dateRange.from}
            onChange={(e) =>
              e.target.value &&
              onChange({ dateRange: { ...dateRange, to: e.target.value }, filters })
            }
            data-testid="date-range-to"
          />
        </div>
      ) : null}

      <span className="mx-1 h-5 w-px bg-border" aria-hidden />
      <Filter className="size-4 text-muted-foreground" aria-hidden />
      {filters.length === 0 && !adding ? (
        <span className="text-xs text-muted-foreground">No filters</span>
      ) : null}
      {filters.map((f, i) => (
        <Badge
          key={i}
          variant="secondary"
          className="h-7 gap-1 pr-1 font-normal"
          data-testid="dashboard-filter"
        >
          {describeFilter(f)}
          <button
            type="button"
            className="rounded p-0.5 hover:bg-background/60"
            aria-label={`Remove filter ${describeFilter(f)}`}
            onClick={() => onChange({ dateRange, filters: filters.filter((_, j) => j !== i) })}
          >
            <X className="size-3" aria-hidden />
          </button>
        </Badge>
      ))}
      {adding ? (
        <AddFilter
          onCancel={() => setAdding(false)}
          onAdd={(f) => {
            setAdding(false);
            onChange({ dateRange, filters: [...filters, f] });
          }}
        />
      ) : (
        <Button
          variant="ghost"
          size="sm"
          className="h-7 px-2 text-xs"
          onClick={() => setAdding(true)}
          data-testid="dashboard-add-filter"
        >
          <Plus aria-hidden />
          Filter
        </Button>
      )}

      <div className="ml-auto flex items-center gap-1">
        {dirty ? (
          <>
            <span className="text-xs text-muted-foreground">Not saved</span>
            <Button variant="ghost" size="sm" className="h-7 px-2 text-xs" onClick={onReset}>
              <RotateCcw aria-hidden />
              Reset
            </Button>
            {canSave ? (
              <Button
                size="sm"
                className="h-7 px-2 text-xs"
                onClick={onSave}
                disabled={saving}
                data-testid="dashboard-save-filters"
              >
                <Save aria-hidden />
                Save as default
              </Button>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}

function AddFilter({
  onAdd,
  onCancel,
}: {
  onAdd: (f: PropertyFilter) => void;
  onCancel: () => void;
}) {
  const [property, setProperty] = React.useState(PROPERTIES[0]!.key);
  const [value, setValue] = React.useState('');
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const ref = PROPERTIES.find((p) => p.key === property)!.ref;
    const values = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (!values.length) return;
    onAdd(
      values.length === 1
        ? { property: ref, op: 'eq', value: values[0]! }
        : { property: ref, op: 'in', value: values },
    );
  };
  return (
    <form className="flex items-center gap-1" onSubmit={submit} data-testid="dashboard-filter-form">
      <Label className="sr-only" htmlFor="dashboard-filter-property">
        Property
      </Label>
      <Select value={property} onValueChange={setProperty}>
        <SelectTrigger id="dashboard-filter-property" className="h-7 w-48 text-xs">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {PROPERTIES.map((p) => (
            <SelectItem key={p.key} value={p.key}>
              {p.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <span className="text-xs text-muted-foreground">=</span>
      <Input
        autoFocus
        className="h-7 w-36 text-xs"
        placeholder="value, or a, b, c"
        aria-label="Value"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        data-testid="dashboard-filter-value"
      />
      <Button type="submit" size="sm" className="h-7 px-2 text-xs" disabled={!value.trim()}>
        Add
      </Button>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="h-7 px-2 text-xs"
        onClick={onCancel}
      >
        Cancel
      </Button>
    </form>
  );
}
