'use client';
// Data: the Catalog tab (the dbt project: models, columns, tests, lineage) and the Events tab
// (the schema registry). The open tab lives in the URL (?tab=…), like Admin's, so links and
// reloads restore it; a `?node=` selection implies the Catalog tab.
import { Activity, Table2 } from 'lucide-react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { PageHeader } from '@/components/layout/page-header';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { EventsTab } from '@/components/data/events-tab';
import { CatalogTab } from '@/components/data/catalog/catalog-tab';
import type { SectionProps } from './types';

type Tab = 'catalog' | 'events';

export function DataSection({ workspaceSlug, role }: SectionProps) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const requested = params.get('tab');
  // Events are there from the first start; the catalog only after a dbt build.
  const tab: Tab =
    requested === 'events' || requested === 'catalog'
      ? requested
      : params.has('node')
        ? 'catalog'
        : 'events';
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
          <CatalogTab workspaceSlug={workspaceSlug} role={role} />
        </TabsContent>
        <TabsContent value="events">
          <EventsTab workspaceSlug={workspaceSlug} role={role} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
