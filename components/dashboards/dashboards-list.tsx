'use client';
// Dashboards → the workspace's dashboards (home first marked), with "New dashboard" and "From
// template" for analysts and admins.
import * as React from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Home, LayoutDashboard, LayoutTemplate, Plus } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { QueryView } from '@/components/query-view';
import type { SectionRole } from '@/components/sections/types';
import { formatRelative } from '@/components/data/format';
import { EditDashboardDialog } from './dashboard-view';

/** Creates the "Product overview" dashboard (optionally pinned) and opens it. */
export function useCreateFromTemplate(
  workspaceSlug: string,
  opts: { pin?: boolean; open?: boolean } = {},
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation(
    trpc.dashboards.fromTemplate.mutationOptions({
      onSuccess: (d) => {
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.home.queryKey() });
        toast.success(`Created “${d.name}”.`);
        if (opts.open !== false)
          router.push(`/w/${encodeURIComponent(workspaceSlug)}/dashboards/${d.id}`);
      },
      onError: (e) => toast.error(e.message),
    }),
  );
}

export function DashboardsList({
  workspaceSlug,
  role,
}: {
  workspaceSlug: string;
  role: SectionRole;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const list = useQuery(trpc.dashboards.list.queryOptions());
  const editable = role !== 'viewer';
  const [createOpen, setCreateOpen] = React.useState(false);
  const base = `/w/${encodeURIComponent(workspaceSlug)}/dashboards`;
  const fromTemplate = useCreateFromTemplate(workspaceSlug);
  const create = useMutation(
    trpc.dashboards.create.mutationOptions({
      onSuccess: (d) => {
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        setCreateOpen(false);
        router.push(`${base}/${d.id}`);
      },
      onError: (e) => toast.error(e.message),
    }),
  );

  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-dashboards">
      <PageHeader
        title="Dashboards"
        description="Grids of insights that share one date range and filters."
        actions={
          editable ? (
            <>
              <Button
                variant="outline"
                size="sm"
                onClick={() => fromTemplate.mutate({ template: 'product-overview' })}
                disabled={fromTemplate.isPending}
                data-testid="dashboards-from-template"
              >
                <LayoutTemplate aria-hidden />
                Product overview template
              </Button>
              <Button size="sm" onClick={() => setCreateOpen(true)} data-testid="dashboards-new">
                <Plus aria-hidden />
                New dashboard
              </Button>
            </>
          ) : null
        }
      />
      <QueryView
        query={list}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            icon={LayoutDashboard}
            title="No dashboards yet"
            description={
              editable
                ? 'Start from the Product overview template (active users, signups, onboarding, feature usage, errors) or an empty dashboard.'
                : 'Analysts and admins of this workspace create dashboards; they will be listed here.'
            }
            action={
              editable
                ? {
                    label: 'Create Product overview',
                    onClick: () => fromTemplate.mutate({ template: 'product-overview', pin: true }),
                    icon: LayoutTemplate,
                  }
                : undefined
            }
            data-testid="dashboards-empty"
          />
        }
      >
        {(rows) => (
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="dashboards-list">
            {rows.map((d) => (
              <li key={d.id}>
                <Link
                  href={`${base}/${d.id}`}
                  className="flex h-full flex-col gap-2 rounded-xl border bg-card p-4 transition-colors hover:bg-accent/50"
                  data-testid="dashboards-item"
                >
                  <span className="flex items-center gap-2">
                    <LayoutDashboard className="size-4 text-muted-foreground" aria-hidden />
                    <span className="truncate font-medium">{d.name}</span>
                    {d.isHome ? (
                      <Badge variant="secondary" className="ml-auto gap-1">
                        <Home className="size-3" aria-hidden />
                        Home
                      </Badge>
                    ) : null}
                  </span>
                  {d.description ? (
                    <span className="line-clamp-2 text-sm text-muted-foreground">
                      {d.description}
                    </span>
                  ) : null}
                  <span className="mt-auto text-xs text-muted-foreground">
                    {d.tileCount} {d.tileCount === 1 ? 'tile' : 'tiles'} · updated{' '}
                    {formatRelative(d.updatedAt)}
                    {d.createdBy ? ` · by ${d.createdBy.name}` : ''}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {editable ? (
        <EditDashboardDialog
          open={createOpen}
          onOpenChange={setCreateOpen}
          initial={{ name: '', description: '' }}
          pending={create.isPending}
          title="New dashboard"
          submitLabel="Create"
          onSave={(v) => create.mutate({ name: v.name, description: v.description || null })}
        />
      ) : null}
    </div>
  );
}
