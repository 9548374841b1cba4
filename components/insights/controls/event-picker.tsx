'use client';
// Picks an event name from the workspace's schema registry (data.events.list, most frequent
// first), searchable. Shows the name even when it is not (or no longer) in the registry, so a
// shared link with an unknown event still reads clearly (the run then says what is wrong).
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import { Check, ChevronsUpDown, Zap } from 'lucide-react';
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
import { formatCompact } from '../format';
import { Popover, PopoverContent, PopoverTrigger } from './popover';

/** Event names by volume (shared by every picker on the page through the query cache). */
export function useEventNames() {
  const trpc = useTRPC();
  return useQuery(trpc.data.events.list.queryOptions({ search: '', sort: 'volume', limit: 500 }));
}

export const ANY_EVENT_LABEL = 'Any event';

export function EventPicker({
  value,
  onChange,
  placeholder = 'Select an event',
  className,
  allowAny = false,
  onAny,
  'data-testid': testId,
}: {
  /** null: "any event" (with allowAny). */
  value: string | null | undefined;
  onChange: (event: string) => void;
  placeholder?: string;
  className?: string;
  /** Offer "Any event" first (user-activity insights); picking it calls onAny. */
  allowAny?: boolean;
  onAny?: () => void;
  'data-testid'?: string;
}) {
  const [open, setOpen] = React.useState(false);
  const events = useEventNames();
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          type="button"
          variant="outline"
          size="sm"
          role="combobox"
          aria-expanded={open}
          aria-label={value ? `Event: ${value}` : placeholder}
          className={cn('min-w-0 shrink justify-between font-mono text-xs', className)}
          data-testid={testId}
          data-value={value ?? ''}
        >
          <span className="flex min-w-0 items-center gap-1.5">
            <Zap className="size-3.5 text-muted-foreground" aria-hidden />
            <span className={cn('truncate', !value && 'font-sans text-muted-foreground')}>
              {value === null && allowAny ? ANY_EVENT_LABEL : value || placeholder}
            </span>
          </span>
          <ChevronsUpDown className="size-3.5 opacity-50" aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-80">
        <Command>
          <CommandInput placeholder="Search events…" data-testid="event-picker-search" />
          <CommandList>
            <CommandEmpty>
              {events.isPending
                ? 'Loading events…'
                : events.isError
                  ? events.error.message
                  : 'No event matches.'}
            </CommandEmpty>
            {allowAny ? (
              <CommandGroup>
                <CommandItem
                  value="__any__"
                  keywords={['any', 'all']}
                  onSelect={() => {
                    onAny?.();
                    setOpen(false);
                  }}
                  data-testid="event-option-any"
                >
                  <Check
                    className={cn('size-3.5', value === null ? 'opacity-100' : 'opacity-0')}
                    aria-hidden
                  />
                  <span className="flex-1 text-xs font-medium">{ANY_EVENT_LABEL}</span>
                </CommandItem>
              </CommandGroup>
            ) : null}
            <CommandGroup heading="Events">
              {(events.data ?? []).map((e) => (
                <CommandItem
                  key={e.name}
                  value={e.name}
                  onSelect={() => {
                    onChange(e.name);
                    setOpen(false);
                  }}
                  data-testid={`event-option-${e.name}`}
                >
                  <Check
                    className={cn('size-3.5', e.name === value ? 'opacity-100' : 'opacity-0')}
                    aria-hidden
                  />
                  <span className="min-w-0 flex-1 truncate font-mono text-xs">{e.name}</span>
                  <span className="text-xs text-muted-foreground tabular-nums">
                    {formatCompact(e.volume)}
                  </span>
                </CommandItem>
              ))}
            </CommandGroup>
          </CommandList>
        </Command>
      </PopoverContent>
    </Popover>
  );
}
