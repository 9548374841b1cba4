import {
  Activity,
  BookmarkPlus,
  ChartLine,
  Filter,
  Magnet,
  MousePointerClick,
  Repeat,
  Route,
  UsersRound,
  type LucideIcon,
} from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import type { SectionProps } from './types';

const INSIGHT_TYPES: { key: string; title: string; description: string; icon: LucideIcon }[] = [
  {
    key: 'trends',
    title: 'Trends',
    description: 'Count events or users over time, broken down by any property.',
    icon: ChartLine,
  },
  {
    key: 'funnels',
    title: 'Funnels',
    description: 'See how many users complete a sequence of steps, and where they drop off.',
    icon: Filter,
  },
  {
    key: 'retention',
    title: 'Retention',
    description: 'How many users come back in the weeks after their first visit.',
    icon: Repeat,
  },
  {
    key: 'cohorts',
    title: 'Cohorts',
    description: 'Define groups of users by behaviour or properties and reuse them everywhere.',
    icon: UsersRound,
  },
  {
    key: 'paths',
    title: 'Paths',
    description: 'Follow the routes users take before and after a chosen event.',
    icon: Route,
  },
  {
    key: 'feature-adoption',
    title: 'Feature adoption',
    description: 'Who tried a feature, who kept using it, and how fast it spread.',
    icon: MousePointerClick,
  },
  {
    key: 'lifecycle',
    title: 'Lifecycle',
    description: 'Split active users into new, returning, resurrecting and dormant.',
    icon: Activity,
  },
  {
    key: 'stickiness',
    title: 'Stickiness',
    description: 'How many days per week or month users perform an event.',
    icon: Magnet,
  },
];

export function InsightsSection({ workspaceSlug: _workspaceSlug, role }: SectionProps) {
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-8 p-6" data-testid="section-insights">
      <PageHeader
        title="Insights"
        description="Answer product questions with trends, funnels, retention and more."
      />

      <section aria-labelledby="insight-types-heading" className="grid gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
          <h2 id="insight-types-heading" className="text-sm font-semibold">
            New insight
          </h2>
          <p className="text-xs text-muted-foreground">
            The builders arrive with the analytics release.
          </p>
        </div>
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
          {INSIGHT_TYPES.map(({ key, title, description, icon: Icon }) => (
            <li
              key={key}
              data-disabled=""
              data-testid={`insight-type-${key}`}
              className="flex cursor-not-allowed flex-col gap-3 rounded-xl border bg-card p-4 text-card-foreground select-none"
            >
              <div className="flex items-start justify-between gap-2">
                <span className="flex size-9 items-center justify-center rounded-lg bg-muted text-muted-foreground">
                  <Icon className="size-[18px]" aria-hidden />
                </span>
                <Badge variant="outline" className="text-muted-foreground">
                  Coming soon
                </Badge>
              </div>
              <div className="grid gap-1">
                <h3 className="text-sm font-medium">{title}</h3>
                <p className="text-xs leading-relaxed text-muted-foreground">{description}</p>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="saved-insights-heading" className="grid gap-3">
        <h2 id="saved-insights-heading" className="text-sm font-semibold">
          Saved insights
        </h2>
        <EmptyState
          compact
          icon={BookmarkPlus}
          title="No saved insights"
          description={
            role === 'viewer'
              ? 'Insights that analysts and admins save in this workspace will be listed here, ready to open or add to a dashboard.'
              : 'Insights you and your team save will be listed here, ready to open, share or pin to a dashboard.'
          }
          data-testid="saved-insights-empty"
        />
      </section>
    </div>
  );
}
