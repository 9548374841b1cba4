import 'server-only';
// Server-side tRPC for React Server Components: prefetch into a per-request QueryClient and
// hydrate it on the client. The workspace comes from the page's route params.
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache } from 'react';
import { createContext } from '@/server/api/context';
import { appRouter } from '@/server/api/root';
import { makeQueryClient } from './query-client';
import { WORKSPACE_HEADER } from './workspace-header';

export const getQueryClient = cache(makeQueryClient);

export const serverTrpc = cache((workspaceSlug?: string) =>
  createTRPCOptionsProxy({
    router: appRouter,
    queryClient: getQueryClient,
    ctx: async () => {
      const h = new Headers(await headers());
      if (workspaceSlug) h.set(WORKSPACE_HEADER, workspaceSlug);
      else h.delete(WORKSPACE_HEADER);
      return createContext({ headers: h });
    },
  }),
);

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
