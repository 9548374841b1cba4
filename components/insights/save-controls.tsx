'use client';
// Save the insight (savedInsights.create / update) and add it to a dashboard (dashboards.addTile)
// — analysts and admins. The saved insight being edited is `?insight=<id>` in the URL; saving
// again updates it, "Save as new" makes a copy. Chart types the dashboards do not know (e.g.
// funnel "time") are saved as the kind's default.
import * as React from 'react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bookmark, ChevronDown, LayoutDashboard, Plus } from 'lucide-react';
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
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import type { InsightQuery } from '@/server/insights/insight-service';
import type { ChartType } from '@/server/dashboards/saved-insights';

export const INSIGHT_PARAM = 'insight';

// The server's CHART_TYPES (server/dashboards/saved-insights.ts), kept here so the client
// bundle does not import server modules; `satisfies` fails the build if one is renamed there.
const DASHBOARD_CHART_TYPES = [
  'line',
  'bar',
  'area',
  'number',
  'table',
  'funnel',
] as const satisfies readonly ChartType[];

const savedChartType = (c: string | undefined): ChartType | null =>
  (DASHBOARD_CHART_TYPES as readonly string[]).includes(c ?? '') ? (c as ChartType) : null;

export function SaveControls({
  query,
  chartType,
  defaultName,
  workspaceSlug,
}: {
  query: InsightQuery;
  chartType: string | undefined;
  defaultName: string;
  workspaceSlug: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const savedId = params.get(INSIGHT_PARAM);
  const saved = useQuery(
    trpc.savedInsights.get.queryOptions(
      { id: savedId ?? '' },
      { enabled: !!savedId, retry: false },
    ),
  );
  const dashboards = useQuery(trpc.dashboards.list.queryOptions());
  const [dialog, setDialog] = React.useState<'save' | 'copy' | null>(null);
  const [name, setName] = React.useState('');
  const [description, setDescription] = React.useState('');

  const invalidate = () => queryClient.invalidateQueries(trpc.savedInsights.pathFilter());
  const setSavedId = (id: string) => {
    const next = new URLSearchParams(params.toString());
    next.set(INSIGHT_PARAM, id);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const create = useMutation(
    trpc.savedInsights.create.mutationOptions({
      onSuccess: (row) => {
        toast.success(`Saved “${row.name}”.`);
        setSavedId(row.id);
        setDialog(null);
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const update = useMutation(
    trpc.savedInsights.update.mutationOptions({
      onSuccess: (row) => {
        toast.success(`Saved “${row.name}”.`);
        setDialog(null);
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const addTile = useMutation(
    trpc.dashboards.addTile.mutationOptions({
      onError: (e) => toast.error(e.message),
      onSuccess: () => {
        void invalidate();
        void queryClient.invalidateQueries(trpc.dashboards.pathFilter());
      },
    }),
  );

  const current = saved.data;
  const open = (mode: 'save' | 'copy') => {
    setName(mode === 'copy' && current ? `${current.name} (copy)` : (current?.name ?? defaultName));
    setDescription(current?.description ?? '');
    setDialog(mode);
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const input = {
      name: name.trim(),
      description: description.trim() || null,
      query,
      chartType: savedChartType(chartType),
    };
    if (dialog === 'save' && current) update.mutate({ id: current.id, ...input });
    else create.mutate(input);
  };
  const addTo = (dashboard: { id: string; name: string }) => {
    const tile = current
      ? ({ type: 'insight', insightId: current.id } as const)
      : ({
          type: 'new_insight',
          insight: { name: defaultName, query, chartType: savedChartType(chartType) },
        } as const);
    addTile.mutate(
      { dashboardId: dashboard.id, tile },
      {
        onSuccess: () =>
          toast.success(`Added to “${dashboard.name}”.`, {
            action: {
              label: 'Open',
              onClick: () =>
                router.push(
                  `/w/${encodeURIComponent(workspaceSlug)}/dashboards/${encodeURIComponent(dashboard.id)}`,
                ),
            },
          }),
      },
    );
  };
  const pending = create.isPending || update.isPending;

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" data-testid="insight-add-to-dashboard">
            <LayoutDashboard aria-hidden />
            Add to dashboard
            <ChevronDown className="opacity-50" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel className="text-xs text-muted-foreground">
            {current ? `Adds “${current.name}”` : 'Saves this insight and adds it to'}
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          {dashboards.isPending ? (
            <DropdownMenuItem disabled>Loading dashboards…</DropdownMenuItem>
          ) : (dashboards.data ?? []).length === 0 ? (
            <DropdownMenuItem asChild>
              <Link href={`/w/${encodeURIComponent(workspaceSlug)}/dashboards`}>
                <Plus aria-hidden />
                Create a dashboard first
              </Link>
            </DropdownMenuItem>
          ) : (
            (dashboards.data ?? []).map((d) => (
              <DropdownMenuItem
                key={d.id}
                onSelect={() => addTo(d)}
                disabled={addTile.isPending}
                data-testid={`add-to-dashboard-${d.id}`}
              >
                <LayoutDashboard aria-hidden />
                <span className="truncate">{d.name}</span>
              </DropdownMenuItem>
            ))
          )}
        </DropdownMenuContent>
      </DropdownMenu>
      {current ? (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button size="sm" data-testid="insight-save-menu">
              <Bookmark aria-hidden />
              Save
              <ChevronDown className="opacity-70" aria-hidden />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem onSelect={() => open('save')} data-testid="insight-save">
              Save changes to “{current.name}”
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => open('copy')} data-testid="insight-save-copy">
              Save as new insight
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      ) : (
        <Button size="sm" onClick={() => open('save')} data-testid="insight-save">
          <Bookmark aria-hidden />
          Save
        </Button>
      )}
      <Dialog open={dialog !== null} onOpenChange={(o) => !o && setDialog(null)}>
        <DialogContent className="sm:max-w-md">
          <form onSubmit={submit} className="grid gap-4">
            <DialogHeader>
              <DialogTitle>
                {dialog === 'save' && current ? 'Save changes' : 'Save insight'}
              </DialogTitle>
              <DialogDescription>
                Saved insights can be reopened, shared and added to dashboards by your team.
              </DialogDescription>
            </DialogHeader>
            <div className="grid gap-1.5">
              <Label htmlFor="insight-name">Name</Label>
              <Input
                id="insight-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={200}
                autoFocus
                required
                data-testid="insight-save-name"
              />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="insight-description">Description (optional)</Label>
              <Textarea
                id="insight-description"
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                maxLength={2000}
                rows={3}
              />
            </div>
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={() => setDialog(null)}>
                Cancel
              </Button>
              <Button
                type="submit"
                disabled={pending || !name.trim()}
                data-testid="insight-save-submit"
              >
                {pending ? 'Saving…' : 'Save'}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
