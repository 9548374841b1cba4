import { Lock } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { SqlWorkbench } from '@/components/sql/sql-workbench';
import type { SectionProps } from './types';

export function SqlSection({ workspaceSlug, role }: SectionProps) {
  const canQuery = role === 'analyst' || role === 'admin';
  if (canQuery) {
    return (
      <div data-testid="section-sql">
        <SqlWorkbench workspaceSlug={workspaceSlug} />
      </div>
    );
  }
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-sql">
      <PageHeader
        title="SQL editor"
        description="Write read-only SQL against the lakehouse and explore the schema."
        badge={<Badge variant="outline">Analysts and admins</Badge>}
      />
      <EmptyState
        icon={Lock}
        title="The SQL editor needs the analyst role"
        description="You are a viewer in this workspace. Viewers can open dashboards and insights; writing SQL is for analysts and admins. Ask a workspace admin to change your role if you need it."
        data-testid="sql-needs-analyst"
      />
    </div>
  );
}
