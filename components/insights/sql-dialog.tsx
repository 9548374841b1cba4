'use client';
// The statement an insight ran, on demand: the SQL with its bound values, copyable; analysts and
// admins also get "Open in SQL editor" with the values written in (the editor has no parameters).
import Link from 'next/link';
import { SquareTerminal } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { SectionRole } from '@/components/sections/types';
import { inlineParams } from './sql-text';

export function sqlEditorHref(workspaceSlug: string, sql: string, params: readonly unknown[]) {
  return `/w/${encodeURIComponent(workspaceSlug)}/sql?sql=${encodeURIComponent(inlineParams(sql, params))}`;
}

export function SqlDialog({
  open,
  onOpenChange,
  sql,
  params,
  workspaceSlug,
  role,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  sql: string;
  params: readonly unknown[];
  workspaceSlug: string;
  role: SectionRole;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        className="grid max-h-[85vh] grid-rows-[auto_1fr_auto] sm:max-w-3xl"
        data-testid="insight-sql-dialog"
      >
        <DialogHeader>
          <DialogTitle>Generated SQL</DialogTitle>
          <DialogDescription>
            The statement this insight ran on the workspace’s current marts, read-only.
          </DialogDescription>
        </DialogHeader>
        <div className="grid min-h-0 gap-3 overflow-auto">
          <CodeBlock
            code={sql}
            className="max-h-[50vh] overflow-auto text-xs"
            data-testid="insight-sql"
          />
          {params.length ? (
            <div className="grid gap-1">
              <p className="text-xs font-medium text-muted-foreground">Bound values</p>
              <ol
                className="grid gap-0.5 rounded-md border bg-muted/40 p-2 font-mono text-xs"
                data-testid="insight-sql-params"
              >
                {params.map((p, i) => (
                  <li key={i} className="flex gap-2">
                    <span className="w-8 shrink-0 text-right text-muted-foreground">${i + 1}</span>
                    <span className="break-all">{JSON.stringify(p)}</span>
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
        </div>
        <DialogFooter>
          {role === 'viewer' ? (
            <p className="mr-auto text-xs text-muted-foreground">
              Analysts and admins can open this in the SQL editor.
            </p>
          ) : (
            <Button asChild data-testid="insight-open-sql">
              <Link href={sqlEditorHref(workspaceSlug, sql, params)}>
                <SquareTerminal aria-hidden />
                Open in SQL editor
              </Link>
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
