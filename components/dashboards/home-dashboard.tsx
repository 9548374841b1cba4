'use client';
// The workspace home: the member's pinned dashboard (or the workspace's first one), or a call to
// action to create the "Product overview" dashboard from its template.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { LayoutDashboard, LayoutTemplate } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/query-view';
import type { SectionRole } from '@/components/sections/types';
import { DashboardSkeleton, DashboardView } from './dashboard-view';
import { useCreateFromTemplate } from './dashboards-list';

export function HomeDashboard({
  workspaceSlug,
  role,
}: {
  workspaceSlug: string;
  role: SectionRole;
}) {
  const trpc = useTRPC();
  const home = useQuery(trpc.dashboards.home.queryOptions());
  const create = useCreateFromTemplate(workspaceSlug, { open: false });
  const base = `/w/${encodeURIComponent(workspaceSlug)}`;
  return (
    <div className="mx-auto grid w-full max-w-7xl gap-4 p-6" data-testid="home-dashboard">
      {home.isPending ? (
        <DashboardSkeleton />
      ) : home.isError ? (
        <ErrorAlert message={home.error.message} />
      ) : home.data.dashboard ? (
        <>
          <div className="-mb-2 flex items-center justify-between text-xs text-muted-foreground">
            <span>
              {home.data.pinned ? 'Your home dashboard' : 'This workspace’s first dashboard'}
            </span>
            <Link className="hover:text-foreground hover:underline" href={`${base}/dashboards`}>
              All dashboards
            </Link>
          </div>
          <DashboardView
            workspaceSlug={workspaceSlug}
            role={role}
            dashboardId={home.data.dashboard.id}
          />
        </>
      ) : (
        <EmptyState
          icon={LayoutDashboard}
          title="No home dashboard yet"
          description={
            role === 'viewer'
              ? 'This workspace has no dashboards yet. Analysts and admins create them; pin one as your home when there is.'
              : 'Start with the Product overview: active users, signups, the onboarding funnel, top features and errors, computed from your events.'
          }
          action={
            role === 'viewer'
              ? undefined
              : {
                  label: 'Create Product overview',
                  icon: LayoutTemplate,
                  onClick: () => create.mutate({ template: 'product-overview', pin: true }),
                  disabled: create.isPending,
                }
          }
          data-testid="home-empty"
        >
          <Button variant="link" asChild>
            <Link href={`${base}/dashboards`}>See all dashboards</Link>
          </Button>
        </EmptyState>
      )}
    </div>
  );
}
