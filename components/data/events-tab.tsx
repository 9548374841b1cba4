'use client';
// Data → Events: the event names the schema registry has seen, searchable and sortable, and the
// selected event's properties in a side panel. The selection lives in the URL (?event=<name>)
// so a link or a reload reopens it.
import { useEffect, useState } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Activity, KeyRound, Search } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { QueryView } from '@/components/query-view';
import { EmptyState } from '@/components/empty-state';
import { Input } from '@/components/ui/input';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import type { SectionProps } from '@/components/sections/types';
import { EventDetailSheet, TimeAgo, TypeChangeBadge } from './event-detail-sheet';
import { INITIAL_EVENTS_INPUT, type EventSort } from './events-query';
import { formatCount } from './format';

const SORT_LABEL: Record<EventSort, string> = {
  volume: 'Most events',
  lastSeen: 'Last seen',
  name: 'Name',
};
// While nothing has arrived yet, look again now and then: the first flush lands within seconds.
const WAITING_REFETCH_MS = 5_000;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function EventsTab({ workspaceSlug, role }: SectionProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const selected = params.get('event');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<EventSort>(INITIAL_EVENTS_INPUT.sort);
  const term = useDebounced(search.trim(), 250);
  const events = useQuery(
    trpc.data.events.list.queryOptions(
      { search: term, sort },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (q) =>
          term === '' && q.state.data?.length === 0 ? WAITING_REFETCH_MS : false,
      },
    ),
  );

  const select = (name: string | null) => {
    const next = new URLSearchParams(params.toString());
    next.set('tab', 'events');
    if (name === null) next.delete('event');
    else next.set('event', name);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const adminHref = `/w/${encodeURIComponent(workspaceSlug)}/admin?tab=keys`;
  const nothingYet = (
    <EmptyState
      icon={Activity}
      title="No events received yet"
      description={
        <>
          Events appear here when your app sends them to{' '}
          <code className="text-foreground">POST /api/v1/batch</code>. This list refreshes by
          itself.
        </>
      }
      action={
        role === 'admin'
          ? {
              label: 'Admin → Ingestion keys',
              href: adminHref,
              icon: KeyRound,
              variant: 'outline',
            }
          : undefined
      }
      data-testid="events-empty"
    >
      {role === 'admin' ? null : (
        <p className="text-xs">A workspace admin can create the ingestion key your app needs.</p>
      )}
    </EmptyState>
  );

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative max-w-sm min-w-56 flex-1">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Search events"
            aria-label="Search events by name"
            className="pl-8"
            maxLength={200}
            data-testid="events-search"
          />
        </div>
        <Select value={sort} onValueChange={(v) => setSort(v as EventSort)}>
          <SelectTrigger className="w-40" aria-label="Sort events" data-testid="events-sort">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(Object.keys(SORT_LABEL) as EventSort[]).map((s) => (
              <SelectItem key={s} value={s}>
                {SORT_LABEL[s]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <QueryView
        query={events}
        isEmpty={(rows) => rows.length === 0}
        empty={
          term === '' ? (
            nothingYet
          ) : (
            <EmptyState
              compact
              icon={Search}
              title={`No events match "${term}"`}
              description="Search looks for the text anywhere in the event name."
              data-testid="events-no-match"
            />
          )
        }
      >
        {(rows) => (
          <div className="rounded-lg border">
            <Table
              data-testid="events-table"
              data-loading-state={events.isFetching ? 'loading' : 'idle'}
            >
              <TableHeader>
                <TableRow>
                  <TableHead>Event</TableHead>
                  <TableHead className="text-right">Volume</TableHead>
                  <TableHead>Last seen</TableHead>
                  <TableHead className="text-right">Properties</TableHead>
                  <TableHead />
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((e) => (
                  <TableRow
                    key={e.name}
                    data-testid={`event-row-${e.name}`}
                    data-state={e.name === selected ? 'selected' : undefined}
                    className="cursor-pointer"
                    onClick={() => select(e.name)}
                  >
                    <TableCell className="max-w-md whitespace-normal">
                      <button
                        type="button"
                        className="cursor-pointer text-left font-mono text-sm font-medium break-all hover:underline focus-visible:underline focus-visible:outline-none"
                        onClick={(ev) => {
                          ev.stopPropagation();
                          select(e.name);
                        }}
                      >
                        {e.name}
                      </button>
                      {e.description ? (
                        <p className="line-clamp-1 text-xs text-muted-foreground">
                          {e.description}
                        </p>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(e.volume)}
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      <TimeAgo value={e.lastSeen} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCount(e.propertyCount)}
                    </TableCell>
                    <TableCell className="w-36">
                      {e.hasTypeChange ? (
                        <TypeChangeBadge testId={`event-type-change-${e.name}`} />
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
      <EventDetailSheet name={selected} canEdit={role === 'admin'} onClose={() => select(null)} />
    </div>
  );
}
