import { Waves } from 'lucide-react';
import { cn } from '@/lib/utils';

/** The Telemetry Lakehouse logo mark: a small indigo-to-violet tile with a wave. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <span
      data-slot="logo-mark"
      aria-hidden
      className={cn(
        'inline-flex size-8 shrink-0 items-center justify-center rounded-lg bg-linear-to-br from-indigo-500 to-violet-600 text-white shadow-sm ring-1 ring-white/10 ring-inset',
        className,
      )}
    >
      <Waves className="size-[60%]" strokeWidth={2.25} />
    </span>
  );
}

export const PRODUCT_NAME = 'Telemetry Lakehouse';
