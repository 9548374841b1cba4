'use client';
// One event of the schema registry in a side panel: its description and every property key
// seen in `properties`, with type, examples, volume, first/last seen and a flag when the type
// changed. Admins edit descriptions in place; the panel is opened by `?event=<name>`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { QueryView } from '@/components/query-view';
import { EmptyState } from '@/components/empty-state';
import { Badge } from '@/components/ui/badge';
import { Sheet, SheetContent, SheetDescription, SheetTitle } from '@/components/ui/sheet';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
import { EditableDescription } from './editable-description';
import { formatAbsolute, formatCount, formatExample, formatRelative } from './format';

export function TimeAgo({ value }: { value: Date }) {
  return (
    <time
      dateTime={new Date(value).toISOString()}
      title={formatAbsolute(value)}
      suppressHydrationWarning
    >
      {formatRelative(value)}
    </time>
  );
}

export function TypeChangeBadge({ seenTypes, testId }: { seenTypes?: string[]; testId: string }) {
  const badge = (
    <Badge
      variant="outline"
      className="border-amber-500/40 bg-amber-500/10 text-amber-700 dark:text-amber-400"
      data-testid={testId}
      title={seenTypes ? undefined : 'A property of this event was seen with more than one type'}
    >
      <TriangleAlert aria-hidden /> Type changed
    </Badge>
  );
  if (!seenTypes) return badge;
  return (
    <Tooltip>
      <TooltipTrigger asChild>{badge}</TooltipTrigger>
      <TooltipContent>
        Seen as {seenTypes.join(', ')}. Queries that expect one type may skip or miscount values.
      </TooltipContent>
    </Tooltip>
  );
}

export function EventDetailSheet({
  name,
  canEdit,
  onClose,
}: {
  name: string | null;
  canEdit: boolean;
  onClose: () => void;
}) {
  return (
    <Sheet open={name !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <SheetContent
        side="right"
        className="w-[min(60rem,100vw)] max-w-none overflow-y-auto"
        data-testid="event-detail"
        // Escape in a description editor cancels the edit, not the panel.
        onEscapeKeyDown={(e) => {
          if (e.target instanceof Element && e.target.closest('[data-editing]')) e.preventDefault();
        }}
      >
        {name !== null ? <EventDetail name={name} canEdit={canEdit} /> : null}
      </SheetContent>
    </Sheet>
  );
}

function EventDetail({ name, canEdit }: { name: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const event = useQuery(trpc.data.events.get.queryOptions({ name }));
  // Descriptions show in the list and the panel: refresh both after a save.
  const refresh = () => queryClient.invalidateQueries(trpc.data.events.pathFilter());
  const onError = (e: { message: string }) => toast.error(e.message);
  const describeEvent = useMutation(
    trpc.data.events.updateDescription.mutationOptions({
      onSuccess: () => {
        toast.success('Description saved');
        void refresh();
      },
      onError,
    }),
  );
  const describeProperty = useMutation(
    trpc.data.properties.updateDescription.mutationOptions({
      onSuccess: () => {
        toast.success('Description saved');
        void refresh();
      },
      onError,
    }),
  );

  return (
    <div className="grid gap-6 p-6">
      <div className="grid gap-2 pr-8">
        <SheetTitle className="font-mono text-lg break-all">{name}</SheetTitle>
        <SheetDescription asChild>
          <div>
            {event.data ? (
              <span>
                {formatCount(event.data.volume)} events · first seen{' '}
                <TimeAgo value={event.data.firstSeen} /> · last seen{' '}
                <TimeAgo value={event.data.lastSeen} />
              </span>
            ) : (
              <span>Event details</span>
            )}
          </div>
        </SheetDescription>
      </div>
      <QueryView query={event}>
        {(data) => (
          <>
            <EditableDescription
              value={data.description}
              canEdit={canEdit}
              label={`event ${data.name}`}
              testId="event-description"
              onSave={(description) => describeEvent.mutateAsync({ name: data.name, description })}
            />
            <div className="grid gap-2">
              <h3 className="text-sm font-semibold">Properties</h3>
              {data.properties.length === 0 ? (
                <EmptyState
                  compact
                  title="No properties"
                  description="This event has been sent without properties so far."
                  data-testid="properties-empty"
                />
              ) : (
                <div className="rounded-lg border">
                  <Table data-testid="properties-table">
                    <TableHeader>
                      <TableRow>
                        <TableHead>Property</TableHead>
                        <TableHead>Type</TableHead>
                        <TableHead>Examples</TableHead>
                        <TableHead className="text-right">Volume</TableHead>
                        <TableHead>First seen</TableHead>
                        <TableHead>Last seen</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {data.properties.map((p) => (
                        <TableRow
                          key={p.name}
                          data-testid={`property-row-${p.name}`}
                          className="align-top"
                        >
                          <TableCell className="max-w-64 whitespace-normal">
                            <div className="font-mono text-sm break-all">{p.name}</div>
                            <EditableDescription
                              className="mt-1"
                              value={p.description}
                              canEdit={canEdit}
                              label={`property ${p.name}`}
                              testId={`property-description-${p.name}`}
                              onSave={(description) =>
                                describeProperty.mutateAsync({
                                  eventName: data.name,
                                  name: p.name,
                                  description,
                                })
                              }
                            />
                          </TableCell>
                          <TableCell>
                            <div className="flex flex-col items-start gap-1">
                              <Badge variant="secondary" className="font-mono">
                                {p.type}
                              </Badge>
                              {p.flagged ? (
                                <TypeChangeBadge
                                  seenTypes={p.seenTypes}
                                  testId={`property-type-change-${p.name}`}
                                />
                              ) : null}
                            </div>
                          </TableCell>
                          <TableCell className="max-w-72 whitespace-normal">
                            {p.examples.length === 0 ? (
                              <span className="text-muted-foreground">—</span>
                            ) : (
                              <div className="flex flex-wrap gap-1">
                                {p.examples.map((x, i) => (
                                  <code
                                    key={i}
                                    className="max-w-full truncate rounded bg-muted px-1.5 py-0.5 text-xs"
                                    title={formatExample(x)}
                                  >
                                    {formatExample(x)}
                                  </code>
                                ))}
                              </div>
                            )}
                          </TableCell>
                          <TableCell className="text-right tabular-nums">
                            {formatCount(p.volume)}
                          </TableCell>
                          <TableCell className="text-muted-foreground">
                            <TimeAgo value={p.firstSeen} />
                          </TableCell>
                          <TableCell className="text-muted-foreground">
                            <TimeAgo value={p.lastSeen} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              )}
            </div>
          </>
        )}
      </QueryView>
    </div>
  );
}
