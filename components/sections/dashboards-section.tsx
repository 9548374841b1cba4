import { DashboardsList } from '@/components/dashboards/dashboards-list';
import type { SectionProps } from './types';

/** Dashboards → the list (a dashboard opens at /w/<workspace>/dashboards/<id>). */
export function DashboardsSection({ workspaceSlug, role }: SectionProps) {
  return <DashboardsList workspaceSlug={workspaceSlug} role={role} />;
}
