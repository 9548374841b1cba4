import type { Metadata } from 'next';
import { DataSection } from '@/components/sections/data-section';
import { INITIAL_EVENTS_INPUT } from '@/components/data/events-query';
import { getWorkspaceAccess } from '@/server/auth/workspace-access';
import { getQueryClient, HydrateClient, serverTrpc } from '@/lib/trpc/server';

export const metadata: Metadata = { title: 'Data' };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await params;
  const access = await getWorkspaceAccess(workspace);
  if (!access.current) return null;
  const search = await searchParams;
  const event = typeof search.event === 'string' ? search.event : undefined;
  // Prefetch what the open tab shows first: the Events list (and the panel a link points at),
  // or the catalog (a NOT_FOUND before the first dbt build is not sent; the client asks again).
  const trpc = serverTrpc(workspace);
  const queryClient = getQueryClient();
  if (search.tab === 'events' || event) {
    await Promise.all([
      queryClient.prefetchQuery(trpc.data.events.list.queryOptions(INITIAL_EVENTS_INPUT)),
      event ? queryClient.prefetchQuery(trpc.data.events.get.queryOptions({ name: event })) : null,
    ]);
  } else if (search.tab === 'catalog' || typeof search.node === 'string') {
    await queryClient.prefetchQuery(trpc.catalog.get.queryOptions());
  }
  return (
    <HydrateClient>
      <DataSection workspaceSlug={workspace} role={access.current.role} />
    </HydrateClient>
  );
}
