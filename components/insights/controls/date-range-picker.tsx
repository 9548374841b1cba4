'use client';
// Date range of an insight: presets relative to today (UTC) and a custom range of days. The
// query stores days, so the picked preset is recognised again only while it still matches.
import * as React from 'react';
import { CalendarDays, ChevronDown } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/utils';
import { DATE_PRESETS, formatRange, lastDays, presetOf, todayUtc, type DayRange } from '../dates';
import { Popover, PopoverContent, PopoverTrigger } from './popover';

export function DateRangePicker({
  value,
  onChange,
}: {
  value: DayRange;
  onChange: (range: DayRange) => void;
}) {
  const [open, setOpenState] = React.useState(false);
  const [draft, setDraft] = React.useState(value);
  const setOpen = (next: boolean) => {
    if (next) setDraft(value);
    setOpenState(next);
  };
  const today = todayUtc();
  const preset = presetOf(value, today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(draft.from) && /^\d{4}-\d{2}-\d{2}$/.test(draft.to);
  const ordered = valid && draft.from <= draft.to;
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          type="button"
          variant="outline"
          size="sm"
          data-testid="date-range"
          aria-label={`Date range: ${formatRange(value)}`}
        >
          <CalendarDays aria-hidden />
          {preset ? DATE_PRESETS.find((p) => p.key === preset)!.label : formatRange(value)}
          <ChevronDown className="opacity-50" aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="flex w-auto p-0" align="start">
        <div className="grid w-40 content-start gap-0.5 border-r p-1.5">
          {DATE_PRESETS.map((p) => (
            <button
              key={p.key}
              type="button"
              className={cn(
                'cursor-pointer rounded-sm px-2 py-1.5 text-left text-sm hover:bg-accent',
                preset === p.key && 'bg-accent font-medium',
              )}
              onClick={() => {
                onChange(lastDays(p.days, today));
                setOpen(false);
              }}
              data-testid={`date-preset-${p.key}`}
            >
              {p.label}
            </button>
          ))}
        </div>
        <form
          className="grid w-56 content-start gap-3 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!ordered) return;
            onChange(draft);
            setOpen(false);
          }}
        >
          <p className="text-xs font-medium text-muted-foreground">Custom range (UTC days)</p>
          <div className="grid grid-cols-1 gap-1">
            <Label htmlFor="insight-from" className="text-xs">
              From
            </Label>
            <Input
              id="insight-from"
              type="date"
              value={draft.from}
              max={today}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              className="h-8 text-xs md:text-xs"
            />
          </div>
          <div className="grid grid-cols-1 gap-1">
            <Label htmlFor="insight-to" className="text-xs">
              To
            </Label>
            <Input
              id="insight-to"
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              className="h-8 text-xs md:text-xs"
            />
          </div>
          {valid && !ordered ? (
            <p className="text-xs text-destructive">“From” must be on or before “To”.</p>
          ) : null}
          <Button type="submit" size="sm" disabled={!ordered}>
            Apply
          </Button>
        </form>
      </PopoverContent>
    </Popover>
  );
}
