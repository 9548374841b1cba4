'use client';
// Add a tile: a saved insight of the workspace, or a text note (plain text, line breaks kept).
import * as React from 'react';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import { kindUI } from '@/components/insights/kinds';
import { cn } from '@/lib/utils';

export type NewTileInput = { type: 'insight'; insightId: string } | { type: 'text'; text: string };

export function AddTileDialog({
  open,
  onOpenChange,
  workspaceSlug,
  pending,
  onAdd,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  workspaceSlug: string;
  pending: boolean;
  onAdd: (tile: NewTileInput) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg" data-testid="add-tile-dialog">
        {/* Mounted on open, so each opening starts empty. */}
        <AddTileForm
          workspaceSlug={workspaceSlug}
          pending={pending}
          onAdd={onAdd}
          onCancel={() => onOpenChange(false)}
        />
      </DialogContent>
    </Dialog>
  );
}

function AddTileForm({
  workspaceSlug,
  pending,
  onAdd,
  onCancel,
}: {
  workspaceSlug: string;
  pending: boolean;
  onAdd: (tile: NewTileInput) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const saved = useQuery(trpc.savedInsights.list.queryOptions());
  const [tab, setTab] = React.useState<'insight' | 'text'>('insight');
  const [insightId, setInsightId] = React.useState<string | null>(null);
  const [text, setText] = React.useState('');
  const ready = tab === 'insight' ? Boolean(insightId) : text.trim().length > 0;

  return (
    <>
      <DialogHeader>
        <DialogTitle>Add a tile</DialogTitle>
        <DialogDescription>
          It goes below the other tiles; drag it where you want it.
        </DialogDescription>
      </DialogHeader>
      <Tabs value={tab} onValueChange={(v) => setTab(v as 'insight' | 'text')}>
        <TabsList>
          <TabsTrigger value="insight">Saved insight</TabsTrigger>
          <TabsTrigger value="text" data-testid="add-tile-text-tab">
            Text
          </TabsTrigger>
        </TabsList>
        <TabsContent value="insight" className="pt-2">
          {saved.isPending ? (
            <p className="py-6 text-center text-sm text-muted-foreground">Loading…</p>
          ) : saved.isError ? (
            <p className="py-6 text-center text-sm text-destructive">{saved.error.message}</p>
          ) : saved.data.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted-foreground">
              No saved insights yet.{' '}
              <Link
                className="font-medium text-primary hover:underline"
                href={`/w/${encodeURIComponent(workspaceSlug)}/insights`}
              >
                Build one in Insights
              </Link>{' '}
              and save it.
            </p>
          ) : (
            <ul
              className="grid max-h-72 gap-1 overflow-auto"
              role="listbox"
              aria-label="Saved insights"
            >
              {saved.data.map((s) => {
                const Icon = kindUI(s.query.kind)?.icon;
                return (
                  <li key={s.id}>
                    <button
                      type="button"
                      role="option"
                      aria-selected={insightId === s.id}
                      onClick={() => setInsightId(s.id)}
                      className={cn(
                        'flex w-full items-start gap-2 rounded-md border border-transparent px-2 py-1.5 text-left text-sm hover:bg-accent',
                        insightId === s.id && 'border-primary/50 bg-accent',
                      )}
                      data-testid="add-tile-insight"
                    >
                      {Icon ? (
                        <Icon className="mt-0.5 size-4 text-muted-foreground" aria-hidden />
                      ) : null}
                      <span className="grid min-w-0">
                        <span className="truncate font-medium">{s.name}</span>
                        {s.description ? (
                          <span className="truncate text-xs text-muted-foreground">
                            {s.description}
                          </span>
                        ) : null}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </TabsContent>
        <TabsContent value="text" className="pt-2">
          <Textarea
            rows={5}
            placeholder="A note for readers: what this dashboard is for, what changed last week…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={5000}
            aria-label="Text"
            data-testid="add-tile-text"
          />
        </TabsContent>
      </Tabs>
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          disabled={!ready || pending}
          onClick={() =>
            onAdd(
              tab === 'insight'
                ? { type: 'insight', insightId: insightId! }
                : { type: 'text', text: text.trim() },
            )
          }
          data-testid="add-tile-submit"
        >
          Add tile
        </Button>
      </DialogFooter>
    </>
  );
}
