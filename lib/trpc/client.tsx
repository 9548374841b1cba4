'use client';
// Browser tRPC client with TanStack Query. Server components prefetch (lib/trpc/server.tsx)
// and this provider hydrates their cache.
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@/server/api/root';
import { makeQueryClient } from './query-client';
import { WORKSPACE_HEADER, workspaceSlugFromPath } from './workspace-header';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();
  browserQueryClient ??= makeQueryClient({
    // A session that expired while the page was open: back to sign-in, then back here.
    onUnauthorized: () => {
      const next = encodeURIComponent(window.location.pathname + window.location.search);
      // Outside React (a cache callback): a full navigation also drops the stale client cache.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign(`/login?reason=expired&next=${next}`);
    },
  });
  return browserQueryClient;
}

const STREAMED = new Set(['sql.run']);

const linkOptions = {
  url: '/api/trpc',
  transformer: superjson,
  headers(): Record<string, string> {
    const slug =
      typeof window === 'undefined' ? undefined : workspaceSlugFromPath(window.location.pathname);
    return slug ? { [WORKSPACE_HEADER]: slug } : {};
  },
};

export function TRPCReactProvider({ children }: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Streamed procedures (an async generator on the server: the SQL editor's rows as the
        // engine produces them) need the streaming link; the rest keep the plain batch link,
        // which can still set response headers (cookies) after the procedure ran.
        splitLink({
          condition: (op) => STREAMED.has(op.path),
          true: httpBatchStreamLink(linkOptions),
          false: httpBatchLink(linkOptions),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
