'use client';
// A dashboard: title and actions, the dashboard-wide date range and filters, and the tile grid.
// Viewers read, change the range and filters for themselves (URL only) and pin it as their
// home; analysts and admins also arrange, add and remove tiles, rename, duplicate and delete.
import * as React from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Copy,
  Home,
  LayoutDashboard,
  MoreHorizontal,
  Pencil,
  Plus,
  RefreshCw,
  Trash2,
} from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { Textarea } from '@/components/ui/textarea';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/query-view';
import type { SectionRole } from '@/components/sections/types';
import type { TDashboardResponse } from '@/server/api/routers/dashboards';
import { AddTileDialog, type NewTileInput } from './add-tile-dialog';
import { DashboardFilterBar } from './dashboard-filter-bar';
import {
  readOverrides,
  sameRange,
  writeOverrides,
  type DashboardFilters,
} from './dashboard-filters';
import { DashboardGrid, type LayoutItemInput } from './dashboard-grid';

export function DashboardView({
  workspaceSlug,
  role,
  dashboardId,
}: {
  workspaceSlug: string;
  role: SectionRole;
  dashboardId: string;
}) {
  const trpc = useTRPC();
  const dashboard = useQuery(trpc.dashboards.get.queryOptions({ id: dashboardId }));
  if (dashboard.isPending) return <DashboardSkeleton />;
  if (dashboard.isError)
    return <ErrorAlert message={dashboard.error.message} className="mx-auto max-w-xl" />;
  return <LoadedDashboard workspaceSlug={workspaceSlug} role={role} dashboard={dashboard.data} />;
}

function LoadedDashboard({
  workspaceSlug,
  role,
  dashboard,
}: {
  workspaceSlug: string;
  role: SectionRole;
  dashboard: TDashboardResponse;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const editable = role !== 'viewer';
  const base = `/w/${encodeURIComponent(workspaceSlug)}`;
  const [addOpen, setAddOpen] = React.useState(false);
  const [editOpen, setEditOpen] = React.useState(false);
  const [deleteOpen, setDeleteOpen] = React.useState(false);

  // What the tiles run with: the URL's unsaved change, else the saved filters.
  const overrides = React.useMemo(
    () => readOverrides(new URLSearchParams(search.toString())),
    [search],
  );
  const hasRangeOverride = search.has('range') || (search.has('from') && search.has('to'));
  const effective: DashboardFilters = {
    dateRange: hasRangeOverride ? overrides.dateRange : dashboard.filters.dateRange,
    filters: overrides.filters ?? dashboard.filters.filters,
  };
  const dirty =
    (hasRangeOverride && !sameRange(overrides.dateRange, dashboard.filters.dateRange)) ||
    (overrides.filters !== undefined &&
      JSON.stringify(overrides.filters) !== JSON.stringify(dashboard.filters.filters));
  // Tiles always send both, so the server applies exactly what the bar shows.
  const runFilters: Partial<DashboardFilters> = dirty
    ? {
        ...(effective.dateRange ? { dateRange: effective.dateRange } : {}),
        filters: effective.filters,
      }
    : {};

  const setFilters = (next: {
    dateRange?: DashboardFilters['dateRange'];
    filters: DashboardFilters['filters'];
  }) => {
    const params = writeOverrides(new URLSearchParams(search.toString()), next);
    router.replace(`${pathname}${params.size ? `?${params.toString()}` : ''}`, { scroll: false });
  };
  const resetFilters = () => {
    const params = writeOverrides(new URLSearchParams(search.toString()), {});
    router.replace(`${pathname}${params.size ? `?${params.toString()}` : ''}`, { scroll: false });
  };

  const getKey = trpc.dashboards.get.queryKey({ id: dashboard.id });
  const onSaved = (d: TDashboardResponse) => {
    queryClient.setQueryData(getKey, d);
    void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.dashboards.home.queryKey() });
  };
  const onError = (e: { message: string }) => toast.error(e.message);

  const update = useMutation(
    trpc.dashboards.update.mutationOptions({ onSuccess: onSaved, onError }),
  );
  const layout = useMutation(
    trpc.dashboards.updateLayout.mutationOptions({
      onSuccess: onSaved,
      onError: (e) => {
        toast.error(e.message);
        void queryClient.invalidateQueries({ queryKey: getKey });
      },
    }),
  );
  const addTile = useMutation(
    trpc.dashboards.addTile.mutationOptions({
      onSuccess: (d) => {
        onSaved(d);
        setAddOpen(false);
        toast.success('Tile added at the bottom.');
      },
      onError,
    }),
  );
  const removeTile = useMutation(
    trpc.dashboards.removeTile.mutationOptions({ onSuccess: onSaved, onError }),
  );
  const duplicate = useMutation(
    trpc.dashboards.duplicate.mutationOptions({
      onSuccess: (d) => {
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        toast.success(`Created “${d.name}”.`);
        router.push(`${base}/dashboards/${d.id}`);
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.dashboards.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.home.queryKey() });
        toast.success(`Deleted “${dashboard.name}”.`);
        router.push(`${base}/dashboards`);
      },
      onError,
    }),
  );
  const pin = useMutation(
    trpc.dashboards.pin.mutationOptions({
      onSuccess: (r) => {
        void queryClient.invalidateQueries({
          queryKey: trpc.dashboards.get.queryKey({ id: dashboard.id }),
        });
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.home.queryKey() });
        toast.success(r.homeDashboardId ? 'Pinned as your home dashboard.' : 'Unpinned.');
      },
      onError,
    }),
  );

  const refreshAll = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.dashboards.runTile.pathKey() });
  const insightTiles = dashboard.tiles.filter((t) => t.type === 'insight').length;

  return (
    <div className="grid gap-4" data-testid="dashboard" data-dashboard-id={dashboard.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid min-w-0 gap-1">
          <div className="flex items-center gap-2">
            <h1
              className="truncate text-2xl font-semibold tracking-tight"
              data-testid="dashboard-name"
            >
              {dashboard.name}
            </h1>
            {dashboard.isHome ? (
              <Badge variant="secondary" className="gap-1" data-testid="dashboard-home-badge">
                <Home className="size-3" aria-hidden />
                Home
              </Badge>
            ) : null}
          </div>
          {dashboard.description ? (
            <p className="text-sm text-muted-foreground">{dashboard.description}</p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-2" data-testid="dashboard-actions">
          <Button variant="outline" size="sm" onClick={refreshAll} disabled={!insightTiles}>
            <RefreshCw aria-hidden />
            Refresh
          </Button>
          {!dashboard.isHome ? (
            <Button
              variant="outline"
              size="sm"
              onClick={() => pin.mutate({ dashboardId: dashboard.id })}
              disabled={pin.isPending}
              data-testid="dashboard-pin"
            >
              <Home aria-hidden />
              Pin as home
            </Button>
          ) : null}
          {editable ? (
            <>
              <Button size="sm" onClick={() => setAddOpen(true)} data-testid="dashboard-add-tile">
                <Plus aria-hidden />
                Add tile
              </Button>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button
                    variant="outline"
                    size="icon"
                    className="size-8"
                    aria-label="More actions"
                    data-testid="dashboard-menu"
                  >
                    <MoreHorizontal aria-hidden />
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="end">
                  <DropdownMenuItem onSelect={() => setEditOpen(true)}>
                    <Pencil aria-hidden />
                    Rename…
                  </DropdownMenuItem>
                  <DropdownMenuItem
                    onSelect={() => duplicate.mutate({ id: dashboard.id })}
                    data-testid="dashboard-duplicate"
                  >
                    <Copy aria-hidden />
                    Duplicate
                  </DropdownMenuItem>
                  {dashboard.isHome ? (
                    <DropdownMenuItem onSelect={() => pin.mutate({ dashboardId: null })}>
                      <Home aria-hidden />
                      Unpin from home
                    </DropdownMenuItem>
                  ) : null}
                  <DropdownMenuSeparator />
                  <DropdownMenuItem variant="destructive" onSelect={() => setDeleteOpen(true)}>
                    <Trash2 aria-hidden />
                    Delete…
                  </DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
            </>
          ) : dashboard.isHome ? (
            <Button variant="ghost" size="sm" onClick={() => pin.mutate({ dashboardId: null })}>
              Unpin
            </Button>
          ) : null}
        </div>
      </div>

      <DashboardFilterBar
        dateRange={effective.dateRange}
        filters={effective.filters}
        dirty={dirty}
        canSave={editable}
        saving={update.isPending}
        onChange={setFilters}
        onReset={resetFilters}
        onSave={() =>
          update.mutate(
            { id: dashboard.id, filters: effective },
            {
              onSuccess: () => {
                resetFilters();
                toast.success('Saved as the dashboard’s default.');
              },
            },
          )
        }
      />

      {dashboard.tiles.length === 0 ? (
        <EmptyState
          icon={LayoutDashboard}
          title="This dashboard has no tiles yet"
          description={
            editable
              ? 'Add a saved insight or a text note. Save insights from the Insights page.'
              : 'An analyst or admin of this workspace can add insights to it.'
          }
          action={
            editable
              ? { label: 'Add tile', onClick: () => setAddOpen(true), icon: Plus }
              : undefined
          }
          data-testid="dashboard-empty"
        />
      ) : (
        <DashboardGrid
          tiles={dashboard.tiles}
          dashboardId={dashboard.id}
          workspaceSlug={workspaceSlug}
          filters={runFilters}
          editable={editable}
          onLayoutSave={(items: LayoutItemInput[]) =>
            layout.mutate({ dashboardId: dashboard.id, layout: items })
          }
          onRemove={(tileId) => removeTile.mutate({ dashboardId: dashboard.id, tileId })}
        />
      )}

      {editable ? (
        <>
          <AddTileDialog
            open={addOpen}
            onOpenChange={setAddOpen}
            workspaceSlug={workspaceSlug}
            pending={addTile.isPending}
            onAdd={(tile: NewTileInput) => addTile.mutate({ dashboardId: dashboard.id, tile })}
          />
          <EditDashboardDialog
            open={editOpen}
            onOpenChange={setEditOpen}
            initial={{ name: dashboard.name, description: dashboard.description ?? '' }}
            pending={update.isPending}
            onSave={(v) =>
              update.mutate(
                { id: dashboard.id, name: v.name, description: v.description || null },
                { onSuccess: () => setEditOpen(false) },
              )
            }
          />
          <Dialog open={deleteOpen} onOpenChange={setDeleteOpen}>
            <DialogContent>
              <DialogHeader>
                <DialogTitle>Delete “{dashboard.name}”?</DialogTitle>
                <DialogDescription>
                  Its tiles go with it; the saved insights stay in Insights. This cannot be undone.
                </DialogDescription>
              </DialogHeader>
              <DialogFooter>
                <Button variant="outline" onClick={() => setDeleteOpen(false)}>
                  Cancel
                </Button>
                <Button
                  variant="destructive"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ id: dashboard.id })}
                  data-testid="dashboard-delete-confirm"
                >
                  Delete dashboard
                </Button>
              </DialogFooter>
            </DialogContent>
          </Dialog>
        </>
      ) : null}
    </div>
  );
}

export function EditDashboardDialog({
  open,
  onOpenChange,
  initial,
  pending,
  title = 'Rename the dashboard',
  submitLabel = 'Save',
  onSave,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initial: { name: string; description: string };
  pending: boolean;
  title?: string;
  submitLabel?: string;
  onSave: (v: { name: string; description: string }) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {/* Mounted on open, so each opening starts from `initial`. */}
        <EditDashboardForm
          initial={initial}
          pending={pending}
          title={title}
          submitLabel={submitLabel}
          onCancel={() => onOpenChange(false)}
          onSave={onSave}
        />
      </DialogContent>
    </Dialog>
  );
}

function EditDashboardForm({
  initial,
  pending,
  title,
  submitLabel,
  onCancel,
  onSave,
}: {
  initial: { name: string; description: string };
  pending: boolean;
  title: string;
  submitLabel: string;
  onCancel: () => void;
  onSave: (v: { name: string; description: string }) => void;
}) {
  const [name, setName] = React.useState(initial.name);
  const [description, setDescription] = React.useState(initial.description);
  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onSave({ name: name.trim(), description: description.trim() });
      }}
    >
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor="dashboard-name-input">Name</Label>
        <Input
          id="dashboard-name-input"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          data-testid="dashboard-name-input"
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="dashboard-description-input">Description (optional)</Label>
        <Textarea
          id="dashboard-description-input"
          rows={2}
          value={description}
          maxLength={2000}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          type="submit"
          disabled={!name.trim() || pending}
          data-testid="dashboard-name-submit"
        >
          {submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function DashboardSkeleton() {
  return (
    <div className="grid gap-4" data-testid="dashboard-loading">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-11 w-full rounded-xl" />
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-56 rounded-xl" />
        ))}
      </div>
    </div>
  );
}
