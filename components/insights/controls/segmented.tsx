'use client';
// A row of mutually exclusive buttons (chart type, relative-to toggle), keyboard operable as a
// radio group.
import type { LucideIcon } from 'lucide-react';
import { cn } from '@/lib/utils';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';

export function Segmented<T extends string>({
  value,
  onChange,
  options,
  label,
  iconsOnly = false,
  testIdPrefix,
}: {
  value: T;
  onChange: (v: T) => void;
  options: readonly { value: T; label: string; icon?: LucideIcon }[];
  label: string;
  iconsOnly?: boolean;
  testIdPrefix?: string;
}) {
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="inline-flex h-8 items-center rounded-md border bg-muted/50 p-0.5"
      onKeyDown={(e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        e.preventDefault();
        const i = options.findIndex((o) => o.value === value);
        const next =
          options[(i + (e.key === 'ArrowRight' ? 1 : options.length - 1)) % options.length]!;
        onChange(next.value);
      }}
    >
      {options.map((o) => {
        const active = o.value === value;
        const button = (
          <button
            key={o.value}
            type="button"
            role="radio"
            aria-checked={active}
            aria-label={iconsOnly ? o.label : undefined}
            tabIndex={active ? 0 : -1}
            onClick={() => onChange(o.value)}
            data-testid={testIdPrefix ? `${testIdPrefix}-${o.value}` : undefined}
            data-state={active ? 'on' : 'off'}
            className={cn(
              'inline-flex h-full cursor-pointer items-center gap-1.5 rounded-[5px] px-2 text-xs font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50',
              active && 'bg-background text-foreground shadow-sm dark:bg-input/50',
            )}
          >
            {o.icon ? <o.icon className="size-3.5" aria-hidden /> : null}
            {iconsOnly ? null : o.label}
          </button>
        );
        return iconsOnly ? (
          <Tooltip key={o.value}>
            <TooltipTrigger asChild>{button}</TooltipTrigger>
            <TooltipContent>{o.label}</TooltipContent>
          </Tooltip>
        ) : (
          button
        );
      })}
    </div>
  );
}
