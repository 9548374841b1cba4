'use client';
// Data: the Catalog tab (dbt models, a later release) and the Events tab (the schema registry).
// The open tab lives in the URL (?tab=…), like Admin's, so links and reloads restore it; an
// `?event=` selection implies the Events tab.
import { Activity, Database, Table2 } from 'lucide-react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { EventsTab } from '@/components/data/events-tab';
import type { SectionProps } from './types';

type Tab = 'catalog' | 'events';

export function DataSection({ workspaceSlug, role }: SectionProps) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = requested === 'events' || requested === 'catalog' ? requested : 'events'; // the catalog fills with the dbt release; events are there from the first start
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-data">
      <PageHeader
        title="Data"
        description="The models and events this workspace's analytics are built on."
      />
      <Tabs
        value={tab}
        onValueChange={(v) => router.replace(`${pathname}?tab=${v}`, { scroll: false })}
        className="gap-4"
      >
        <TabsList>
          <TabsTrigger value="events" data-testid="data-tab-events">
            <Activity /> Events
          </TabsTrigger>
          <TabsTrigger value="catalog" data-testid="data-tab-catalog">
            <Table2 /> Catalog
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
          <EventsTab workspaceSlug={workspaceSlug} role={role} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
