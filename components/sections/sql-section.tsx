import { Lock, SquareTerminal } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { CodeBlock } from '@/components/ui/code-block';
import type { SectionProps } from './types';

export const CLI_QUERY_COMMAND = 'npm run tl -- query --json "select 42"';

export function SqlSection({ workspaceSlug: _workspaceSlug, role }: SectionProps) {
  const canQuery = role === 'analyst' || role === 'admin';
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-sql">
      <PageHeader
        title="SQL editor"
        description="Write read-only SQL against the lakehouse and explore the schema."
        badge={canQuery ? null : <Badge variant="outline">Analysts and admins</Badge>}
      />
      {canQuery ? (
        <EmptyState
          icon={SquareTerminal}
          title="The SQL editor is on its way"
          description="The editor, with a schema browser beside it, lands with the SQL workbench release. Queries will run read-only on this workspace's lakehouse."
          data-testid="sql-coming-soon"
        >
          <p>Meanwhile, run read-only SQL from the command line, in the project folder:</p>
          <CodeBlock code={CLI_QUERY_COMMAND} prompt="$" data-testid="sql-cli-command" />
          <p className="text-xs">
            It prints the result as JSON:{' '}
            <code className="text-foreground">{'{"columns": […], "rows": […]}'}</code>. Run{' '}
            <code className="text-foreground">npm run tl -- --help</code> for the other commands.
          </p>
        </EmptyState>
      ) : (
        <EmptyState
          icon={Lock}
          title="The SQL editor needs the analyst role"
          description="You are a viewer in this workspace. Viewers can open dashboards and insights; writing SQL is for analysts and admins. Ask a workspace admin to change your role if you need it."
          data-testid="sql-needs-analyst"
        />
      )}
    </div>
  );
}
