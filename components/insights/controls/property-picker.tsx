'use client';
// Picks a property to filter or break down by: a key inside the events' JSON properties (from
// the schema registry, for the events the insight uses), an event column of fact_events or a
// user column of dim_users (the server's allowlists in server/insights/properties.ts).
import * as React from 'react';
import { useQueries } from '@tanstack/react-query';
import { Braces, Check, ChevronsUpDown, Table2, UserRound } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import {
  Command,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from '@/components/ui/command';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import { EVENT_COLUMNS, USER_COLUMNS, type PropertyRef } from '@/server/insights/properties';
import { Popover, PopoverContent, PopoverTrigger } from './popover';

export const SOURCE_LABEL: Record<PropertyRef['source'], string> = {
  event_property: 'Event property',
  event: 'Event column',
  user: 'User property',
};

const SOURCE_ICON = { event_property: Braces, event: Table2, user: UserRound } as const;

export function propertyLabel(ref: PropertyRef): string {
  return ref.source === 'user' ? `user.${ref.name}` : ref.name;
}

export const sameProperty = (a: PropertyRef | undefined, b: PropertyRef | undefined) =>
  !!a && !!b && a.source === b.source && a.name === b.name;

export interface PropertyInfo {
  /** Example values seen (JSON properties only), for value suggestions. */
  examples: string[];
  type?: string;
}

/**
 * JSON property keys of `events` (merged, sorted) with their example values, from
 * data.events.get; events not in the registry are skipped.
 */
export function useEventProperties(events: readonly string[]): Map<string, PropertyInfo> {
  const trpc = useTRPC();
  const names = [...new Set(events.filter(Boolean))];
  const results = useQueries({
    queries: names.map((name) => ({
      ...trpc.data.events.get.queryOptions({ name }),
      retry: false,
    })),
  });
  const signature = results.map((r) => r.dataUpdatedAt).join(',');
  return React.useMemo(() => {
    const out = new Map<string, PropertyInfo>();
    for (const r of results) {
      for (const p of r.data?.properties ?? []) {
        const info = out.get(p.name) ?? { examples: [], type: p.type };
        for (const v of p.examples)
          if (typeof v !== 'object' && !info.examples.includes(String(v)))
            info.examples.push(String(v));
        out.set(p.name, info);
      }
    }
    return new Map([...out.entries()].sort((a, b) => a[0].localeCompare(b[0])));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `signature` tracks every result
  }, [signature]);
}

export function PropertyPicker({
  value,
  onChange,
  events,
  placeholder = 'Select a property',
  className,
  sources,
  'data-testid': testId,
}: {
  value: PropertyRef | undefined;
  onChange: (ref: PropertyRef) => void;
  /** Events whose JSON property keys are offered. */
  events: readonly string[];
  /** Only these kinds of property (e.g. cohorts: user properties apart from event ones). */
  sources?: readonly PropertyRef['source'][];
  placeholder?: string;
  className?: string;
  'data-testid'?: string;
}) {
  const [open, setOpen] = React.useState(false);
  const offers = (source: PropertyRef['source']) => !sources || sources.includes(source);
  const properties = useEventProperties(offers('event_property') ? events : []);
  const Icon = value ? SOURCE_ICON[value.source] : Braces;
  const pick = (ref: PropertyRef) => {
    onChange(ref);
    setOpen(false);
  };
  const item = (ref: PropertyRef, hint?: string) => (
    <CommandItem
      key={`${ref.source}:${ref.name}`}
      value={`${ref.source}:${ref.name}`}
      keywords={[ref.name, SOURCE_LABEL[ref.source]]}
      onSelect={() => pick(ref)}
      data-testid={`property-option-${ref.source}-${ref.name}`}
    >
      <Check
        className={cn('size-3.5', sameProperty(ref, value) ? 'opacity-100' : 'opacity-0')}
        aria-hidden
      />
      <span className="min-w-0 flex-1 truncate font-mono text-xs">{ref.name}</span>
      {hint ? <span className="text-xs text-muted-foreground">{hint}</span> : null}
    </CommandItem>
  );
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          type="button"
          variant="outline"
          size="sm"
          role="combobox"
          aria-expanded={open}
          aria-label={value ? `Property: ${propertyLabel(value)}` : placeholder}
          className={cn('min-w-0 shrink justify-between text-xs', className)}
          data-testid={testId}
        >
          <span className="flex min-w-0 items-center gap-1.5">
            <Icon className="size-3.5 text-muted-foreground" aria-hidden />
            <span className={cn('truncate', value ? 'font-mono' : 'text-muted-foreground')}>
              {value ? propertyLabel(value) : placeholder}
            </span>
          </span>
          <ChevronsUpDown className="size-3.5 opacity-50" aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-80">
        <Command>
          <CommandInput placeholder="Search properties…" data-testid="property-picker-search" />
          <CommandList className="max-h-80">
            <CommandEmpty>No property matches.</CommandEmpty>
            {properties.size > 0 ? (
              <CommandGroup heading="Event properties">
                {[...properties.entries()].map(([name, info]) =>
                  item({ source: 'event_property', name }, info.type),
                )}
              </CommandGroup>
            ) : null}
            {offers('event') ? (
              <CommandGroup heading="Event columns">
                {EVENT_COLUMNS.filter((c) => c !== 'event_name').map((name) =>
                  item({ source: 'event', name }),
                )}
              </CommandGroup>
            ) : null}
            {offers('user') ? (
              <CommandGroup heading="User properties (current)">
                {USER_COLUMNS.map((name) => item({ source: 'user', name }))}
              </CommandGroup>
            ) : null}
          </CommandList>
        </Command>
      </PopoverContent>
    </Popover>
  );
}
