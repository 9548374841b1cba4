'use client';
// The workspace's saved insights, newest first; opening one puts its query in the URL (and its
// id, so "Save" updates it).
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { BookmarkPlus } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { EmptyState } from '@/components/empty-state';
import { QueryView } from '@/components/query-view';
import type { SectionRole } from '@/components/sections/types';
import { formatRelative } from '@/components/data/format';
import { kindUI } from './kinds';
import { withQuery } from './query-url';
import { INSIGHT_PARAM } from './save-controls';

export function SavedInsightsList({
  role,
  currentId,
}: {
  role: SectionRole;
  currentId: string | null;
}) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const saved = useQuery(trpc.savedInsights.list.queryOptions());
  return (
    <section aria-labelledby="saved-insights-heading" className="grid gap-3">
      <h2 id="saved-insights-heading" className="text-sm font-semibold">
        Saved insights
      </h2>
      <QueryView
        query={saved}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            compact
            icon={BookmarkPlus}
            title="No saved insights"
            description={
              role === 'viewer'
                ? 'Insights that analysts and admins save in this workspace will be listed here.'
                : 'Save the insight above to list it here, share it or add it to a dashboard.'
            }
            data-testid="saved-insights-empty"
          />
        }
      >
        {(rows) => (
          <ul className="grid gap-2 sm:grid-cols-2 xl:grid-cols-3" data-testid="saved-insights">
            {rows.map((r) => {
              const ui = kindUI(r.query.kind);
              const Icon = ui?.icon;
              const params = withQuery('', r.query, r.chartType ?? undefined);
              params.set(INSIGHT_PARAM, r.id);
              return (
                <li key={r.id}>
                  <Link
                    href={`${pathname}?${params.toString()}`}
                    scroll={false}
                    data-state={r.id === currentId ? 'active' : undefined}
                    className="flex items-start gap-3 rounded-lg border bg-card p-3 transition-colors hover:bg-accent/50 data-[state=active]:border-primary/50"
                    data-testid={`saved-insight-${r.id}`}
                  >
                    <span className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-md bg-muted text-muted-foreground">
                      {Icon ? <Icon className="size-4" aria-hidden /> : null}
                    </span>
                    <span className="grid min-w-0 gap-0.5">
                      <span className="truncate text-sm font-medium">{r.name}</span>
                      <span className="truncate text-xs text-muted-foreground">
                        {ui?.title ?? r.query.kind} · updated {formatRelative(r.updatedAt)}
                        {r.createdBy ? ` · ${r.createdBy.name}` : ''}
                        {r.tileCount
                          ? ` · on ${r.tileCount} dashboard tile${r.tileCount > 1 ? 's' : ''}`
                          : ''}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
    </section>
  );
}
