'use client';
// Breakdown by one property: its top N values (by volume) each get a series, the rest fold into
// "Other" and unset values show as "(not set)".
import { X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import type { PropertyRef } from '@/server/insights/properties';
import { PropertyPicker } from './property-picker';

const LIMITS = [3, 5, 10, 20, 50];

export interface BreakdownValue {
  property: PropertyRef;
  limit: number;
}

/** Breakdowns the editor can show; a cohort breakdown set elsewhere is shown read-only. */
type BreakdownLike =
  BreakdownValue | { cohort: { id: string; resolved?: { name: string } }; limit: number };

export function BreakdownPicker({
  value,
  onChange,
  events,
}: {
  value: BreakdownLike | undefined;
  onChange: (next: BreakdownValue | undefined) => void;
  events: readonly string[];
}) {
  const property = value && 'property' in value ? value.property : undefined;
  return (
    <div className="grid grid-cols-1 gap-1.5" data-testid="breakdown">
      <div className="flex items-center gap-1">
        <PropertyPicker
          value={property}
          onChange={(p) => onChange({ property: p, limit: value?.limit ?? 10 })}
          events={events}
          placeholder={
            value && 'cohort' in value
              ? `Cohort ${value.cohort.resolved?.name ?? value.cohort.id}`
              : 'Add breakdown'
          }
          className="flex-1"
          data-testid="breakdown-property"
        />
        {value ? (
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="size-8 text-muted-foreground"
            aria-label="Remove breakdown"
            onClick={() => onChange(undefined)}
            data-testid="breakdown-remove"
          >
            <X className="size-3.5" aria-hidden />
          </Button>
        ) : null}
      </div>
      {property ? (
        <div className="flex items-center gap-2 text-xs text-muted-foreground">
          <span>Top</span>
          <Select
            value={String(value!.limit)}
            onValueChange={(v) => onChange({ property, limit: Number(v) })}
          >
            <SelectTrigger
              size="sm"
              className="h-7 w-16 text-xs"
              aria-label="Breakdown values shown"
              data-testid="breakdown-limit"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {LIMITS.map((n) => (
                <SelectItem key={n} value={String(n)} className="text-xs">
                  {n}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <span>values, the rest as “Other”</span>
        </div>
      ) : null}
    </div>
  );
}
