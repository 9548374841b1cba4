import { Activity, Database, KeyRound, Table2 } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { SectionProps } from './types';

export function DataSection({ workspaceSlug, role }: SectionProps) {
  const adminHref = `/w/${encodeURIComponent(workspaceSlug)}/admin`;
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-data">
      <PageHeader
        title="Data"
        description="The models and events this workspace's analytics are built on."
      />
      <Tabs defaultValue="catalog" className="gap-4">
        <TabsList>
          <TabsTrigger value="catalog" data-testid="data-tab-catalog">
            <Table2 /> Catalog
          </TabsTrigger>
          <TabsTrigger value="events" data-testid="data-tab-events">
            <Activity /> Events
          </TabsTrigger>
        </TabsList>
        <TabsContent value="catalog">
          <EmptyState
            icon={Database}
            title="The catalog is empty"
            description="Tables and their columns will be listed here from the dbt models, with their descriptions and freshness, after the first pipeline run."
            data-testid="catalog-empty"
          />
        </TabsContent>
        <TabsContent value="events">
          <EmptyState
            icon={Activity}
            title="No events received yet"
            description={
              <>
                Event names and their properties will appear here from the schema registry once
                events arrive via <code className="text-foreground">POST /api/v1/batch</code>.
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
            data-testid="events-empty"
          >
            {role === 'admin' ? null : (
              <p className="text-xs">
                A workspace admin can create the ingestion key your app needs.
              </p>
            )}
          </EmptyState>
        </TabsContent>
      </Tabs>
    </div>
  );
}
