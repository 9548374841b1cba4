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
  // Prefetch what the Events tab shows first (the list, and the panel a link points at);
  // the Catalog tab has nothing to load yet.
  if (search.tab === 'events' || event) {
    const trpc = serverTrpc(workspace);
    const queryClient = getQueryClient();
    await Promise.all([
      queryClient.prefetchQuery(trpc.data.events.list.queryOptions(INITIAL_EVENTS_INPUT)),
      event ? queryClient.prefetchQuery(trpc.data.events.get.queryOptions({ name: event })) : null,
    ]);
  }
  return (
    <HydrateClient>
      <DataSection workspaceSlug={workspace} role={access.current.role} />
    </HydrateClient>
  );
}
