import { Suspense } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { AskChat } from '@/components/ask/ask-chat';
import type { SectionProps } from './types';

export function AskSection({ workspaceSlug, role }: SectionProps) {
  return (
    <div className="mx-auto grid w-full max-w-4xl gap-6 p-6" data-testid="section-ask">
      <PageHeader
        title="Ask"
        description="Questions about your product data in plain English: a chart, the table, what was computed and the SQL."
        badge={<Badge variant="outline">Offline planner</Badge>}
      />
      <Suspense>
        <AskChat workspaceSlug={workspaceSlug} role={role} />
      </Suspense>
    </div>
  );
}
