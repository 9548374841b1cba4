import * as React from 'react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';

type IconComponent = React.ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;

/** A call to action: a link (`href`) or a button (`onClick`, client components only). */
export interface EmptyStateAction {
  label: string;
  href?: string;
  onClick?: () => void;
  icon?: IconComponent;
  variant?: 'default' | 'secondary' | 'outline' | 'ghost';
  disabled?: boolean;
}

export interface EmptyStateProps {
  /** A component such as a lucide icon (`icon={Database}`), not an element. */
  icon?: IconComponent;
  title: string;
  description?: React.ReactNode;
  /** Primary action: `{ label, href }`, `{ label, onClick }`, or any element (e.g. a `<Button>`). */
  action?: EmptyStateAction | React.ReactElement;
  /** Secondary content below the action: a hint, a code block, a list of steps… */
  children?: React.ReactNode;
  /** Smaller padding, for empty states inside cards and tabs. */
  compact?: boolean;
  className?: string;
  'data-testid'?: string;
}

function ActionButton({ action }: { action: EmptyStateAction }) {
  const Icon = action.icon;
  const content = (
    <>
      {Icon ? <Icon aria-hidden /> : null}
      {action.label}
    </>
  );
  if (action.href && !action.disabled) {
    return (
      <Button asChild variant={action.variant ?? 'default'}>
        <Link href={action.href}>{content}</Link>
      </Button>
    );
  }
  return (
    <Button
      type="button"
      variant={action.variant ?? 'default'}
      onClick={action.onClick}
      disabled={action.disabled}
    >
      {content}
    </Button>
  );
}

/** Reusable empty state: icon, title, description, optional action and secondary content. */
export function EmptyState({
  icon: Icon,
  title,
  description,
  action,
  children,
  compact = false,
  className,
  'data-testid': testId,
}: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      data-testid={testId}
      className={cn(
        'flex flex-col items-center justify-center rounded-xl border border-dashed bg-card/50 text-center',
        compact ? 'gap-3 px-6 py-8' : 'gap-4 px-6 py-14',
        className,
      )}
    >
      {Icon ? (
        <div
          className={cn(
            'flex items-center justify-center rounded-xl bg-primary/10 text-primary ring-1 ring-primary/15 ring-inset',
            compact ? 'size-10' : 'size-12',
          )}
        >
          <Icon className={compact ? 'size-5' : 'size-6'} aria-hidden />
        </div>
      ) : null}
      <div className="flex max-w-md flex-col gap-1.5">
        <h3 className={cn('font-semibold tracking-tight', compact ? 'text-sm' : 'text-base')}>
          {title}
        </h3>
        {description ? (
          <div className="text-sm leading-relaxed text-balance text-muted-foreground">
            {description}
          </div>
        ) : null}
      </div>
      {action ? (
        React.isValidElement(action) ? (
          action
        ) : (
          <ActionButton action={action as EmptyStateAction} />
        )
      ) : null}
      {children ? (
        <div className="flex w-full max-w-xl flex-col items-center gap-3 text-sm text-muted-foreground">
          {children}
        </div>
      ) : null}
    </div>
  );
}
