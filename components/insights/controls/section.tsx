// A titled group of controls in the editor panel, and a small on/off switch.
import * as React from 'react';
import { cn } from '@/lib/utils';

export function EditorSection({
  title,
  hint,
  action,
  children,
  testId,
}: {
  title: string;
  hint?: React.ReactNode;
  action?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <section className="grid min-w-0 grid-cols-1 gap-2 [&>*]:min-w-0" data-testid={testId}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">
          {title}
        </h3>
        {action}
      </div>
      {children}
      {hint ? <p className="text-xs leading-relaxed text-muted-foreground">{hint}</p> : null}
    </section>
  );
}

export function Switch({
  checked,
  onCheckedChange,
  label,
  testId,
}: {
  checked: boolean;
  onCheckedChange: (v: boolean) => void;
  label: string;
  testId?: string;
}) {
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-xs font-medium select-none">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        onClick={() => onCheckedChange(!checked)}
        data-testid={testId}
        className={cn(
          'relative inline-flex h-4.5 w-8 shrink-0 items-center rounded-full border border-transparent transition-colors outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50',
          checked ? 'bg-primary' : 'bg-input dark:bg-input/80',
        )}
      >
        <span
          className={cn(
            'block size-3.5 rounded-full bg-background shadow-sm transition-transform',
            checked ? 'translate-x-[15px]' : 'translate-x-px',
          )}
        />
      </button>
      {label}
    </label>
  );
}
