'use client';
// Puts a saved (shared) query on a dashboard as a chart tile: pick the dashboard, the tile is
// added below its others, and a link opens the dashboard.
import { useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
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
import { cn } from '@/lib/utils';

export function AddToDashboardDialog({
  open,
  onOpenChange,
  savedQuery,
  workspaceSlug,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  savedQuery: { id: string; name: string } | undefined;
  workspaceSlug: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dashboards = useQuery({ ...trpc.dashboards.list.queryOptions(), enabled: open });
  const [picked, setPicked] = useState<string | undefined>();
  const add = useMutation(trpc.dashboards.addTile.mutationOptions());
  const chosen = picked ?? dashboards.data?.find((d) => d.isHome)?.id ?? dashboards.data?.[0]?.id;

  const submit = async () => {
    if (!savedQuery || !chosen) return;
    try {
      const dashboard = await add.mutateAsync({
        dashboardId: chosen,
        tile: { type: 'query', savedQueryId: savedQuery.id },
      });
      void queryClient.invalidateQueries({ queryKey: trpc.dashboards.pathKey() });
      toast.success(`Added “${savedQuery.name}” to ${dashboard.name}`, {
        action: {
          label: 'Open',
          onClick: () =>
            router.push(
              `/w/${encodeURIComponent(workspaceSlug)}/dashboards/${encodeURIComponent(dashboard.id)}`,
            ),
        },
      });
      onOpenChange(false);
    } catch (error) {
      toast.error((error as Error).message);
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent data-testid="sql-add-to-dashboard-dialog">
        <DialogHeader>
          <DialogTitle>Add “{savedQuery?.name}” to a dashboard</DialogTitle>
          <DialogDescription>
            The tile shows this chart and follows the dashboard’s date range through{' '}
            <code>{'{{ filters }}'}</code> and <code>{'{{ start_date }}'}</code>/
            <code>{'{{ end_date }}'}</code>.
          </DialogDescription>
        </DialogHeader>
        {dashboards.isPending ? (
          <p className="text-sm text-muted-foreground">Loading dashboards…</p>
        ) : dashboards.data?.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            There are no dashboards yet.{' '}
            <Link className="underline" href={`/w/${encodeURIComponent(workspaceSlug)}/dashboards`}>
              Create one
            </Link>{' '}
            first.
          </p>
        ) : (
          <ul className="grid max-h-72 gap-1 overflow-auto" role="listbox" aria-label="Dashboards">
            {(dashboards.data ?? []).map((d) => (
              <li key={d.id}>
                <button
                  type="button"
                  role="option"
                  aria-selected={d.id === chosen}
                  onClick={() => setPicked(d.id)}
                  className={cn(
                    'w-full rounded-md border px-3 py-2 text-left text-sm hover:bg-accent',
                    d.id === chosen && 'border-primary bg-accent',
                  )}
                  data-testid="sql-dashboard-option"
                >
                  <span className="font-medium">{d.name}</span>
                  <span className="ml-2 text-xs text-muted-foreground">
                    {d.tileCount} tiles{d.isHome ? ' · your home' : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <DialogFooter>
          <Button variant="ghost" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            onClick={() => void submit()}
            disabled={!chosen || !savedQuery || add.isPending}
            data-testid="sql-add-to-dashboard-confirm"
          >
            Add tile
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
