import * as React from 'react';
import { cn } from '@/lib/utils';

export interface PageHeaderProps {
  title: string;
  /** One line under the title. */
  description?: React.ReactNode;
  /** Buttons or controls on the right (they wrap below the title on narrow screens). */
  actions?: React.ReactNode;
  /** Small content next to the title, e.g. a badge. */
  badge?: React.ReactNode;
  className?: string;
}

/** Title + description + actions at the top of every section page. */
export function PageHeader({ title, description, actions, badge, className }: PageHeaderProps) {
  return (
    <div
      data-slot="page-header"
      className={cn('flex flex-wrap items-start justify-between gap-4', className)}
    >
      <div className="flex min-w-0 flex-col gap-1">
        <div className="flex items-center gap-2">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          {badge}
        </div>
        {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}
