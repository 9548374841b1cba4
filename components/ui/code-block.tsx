'use client';

import * as React from 'react';
import { Check, Copy } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';

export interface CodeBlockProps {
  /** The exact text that is shown and copied. */
  code: string;
  /** Shown before each line, not copied (e.g. "$"). */
  prompt?: string;
  label?: string;
  className?: string;
  'data-testid'?: string;
}

/** A one-or-more-line code block with a copy-to-clipboard button. */
export function CodeBlock({
  code,
  prompt,
  label,
  className,
  'data-testid': testId,
}: CodeBlockProps) {
  const [copied, setCopied] = React.useState(false);

  React.useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 1600);
    return () => window.clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      toast.success('Copied to clipboard');
    } catch {
      toast.error('Could not copy: select the text and copy it by hand.');
    }
  }

  return (
    <div
      data-slot="code-block"
      data-testid={testId}
      className={cn(
        'group relative w-full overflow-hidden rounded-lg border bg-zinc-950 text-left text-zinc-50 dark:bg-black/40',
        className,
      )}
    >
      {label ? (
        <div className="border-b border-white/10 px-4 py-1.5 text-xs text-zinc-400">{label}</div>
      ) : null}
      <pre className="overflow-x-auto py-3 pr-12 pl-4 font-mono text-[0.8125rem] leading-relaxed">
        <code>
          {code.split('\n').map((line, i) => (
            <span key={i} className="block">
              {prompt ? (
                <span className="mr-2 text-zinc-500 select-none" aria-hidden>
                  {prompt}
                </span>
              ) : null}
              {line}
            </span>
          ))}
        </code>
      </pre>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        onClick={() => void copy()}
        aria-label={copied ? 'Copied' : 'Copy to clipboard'}
        className={cn(
          'absolute size-8 text-zinc-400 hover:bg-white/10 hover:text-zinc-50 dark:hover:bg-white/10',
          label ? 'top-9 right-2' : 'top-2 right-2',
        )}
      >
        {copied ? <Check className="text-emerald-400" /> : <Copy />}
      </Button>
    </div>
  );
}
