import Link from 'next/link';
import { CalendarRange, KeyRound, LayoutDashboard, Plus } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { SectionProps } from './types';

export function DashboardsSection({ workspaceSlug, role }: SectionProps) {
  const adminHref = `/w/${encodeURIComponent(workspaceSlug)}/admin`;
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-dashboards">
      <PageHeader
        title="Dashboards"
        description="Grids of insight tiles that share one date range."
        actions={
          <>
            <Button
              variant="outline"
              size="sm"
              disabled
              aria-label="Date range (not available yet)"
            >
              <CalendarRange />
              Date range
            </Button>
            <Button size="sm" disabled>
              <Plus />
              New dashboard
            </Button>
          </>
        }
      />
      <EmptyState
        icon={LayoutDashboard}
        title="No dashboards yet"
        description={
          <>
            Dashboards will appear here once events are ingested into this workspace and a first
            dashboard is created from saved insights. A ready-made{' '}
            <span className="font-medium text-foreground">Product overview</span> template is coming
            with the analytics release.
          </>
        }
        action={
          role === 'admin'
            ? {
                label: 'Create an ingestion key',
                href: adminHref,
                icon: KeyRound,
                variant: 'outline',
              }
            : undefined
        }
        data-testid="dashboards-empty"
      >
        <ol className="grid w-full gap-2 pt-2 text-left sm:grid-cols-3">
          <Step n={1} title="Get a key">
            {role === 'admin' ? (
              <>
                Create an ingestion key in{' '}
                <Link className="font-medium text-primary hover:underline" href={adminHref}>
                  Admin
                </Link>
                .
              </>
            ) : (
              'Ask a workspace admin for an ingestion key.'
            )}
          </Step>
          <Step n={2} title="Send events">
            Your app posts events to <code className="text-foreground">POST /api/v1/batch</code>.
          </Step>
          <Step n={3} title="Build a dashboard">
            Save insights, then pin them to a dashboard.{' '}
            <Badge variant="secondary" className="align-middle">
              Coming soon
            </Badge>
          </Step>
        </ol>
      </EmptyState>
    </div>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-3 rounded-lg border bg-background p-3">
      <span
        aria-hidden
        className="flex size-6 shrink-0 items-center justify-center rounded-full bg-primary/10 text-xs font-semibold text-primary"
      >
        {n}
      </span>
      <span className="flex flex-col gap-0.5">
        <span className="text-sm font-medium text-foreground">{title}</span>
        <span className="text-xs leading-relaxed">{children}</span>
      </span>
    </li>
  );
}
