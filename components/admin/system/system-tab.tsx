'use client';
// Admin → System: which implementation runs each part (embedded or distributed), its health and
// the environment variable that switches it. Refreshed every 10 s.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc/client';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { cn } from '@/lib/utils';

const STATE_STYLE: Record<string, string> = {
  ok: 'bg-emerald-500',
  degraded: 'bg-amber-500',
  down: 'bg-destructive',
  off: 'bg-muted-foreground/40',
};

export function SystemTab() {
  const trpc = useTRPC();
  const parts = useQuery({ ...trpc.system.parts.queryOptions(), refetchInterval: 10_000 });
  return (
    <QueryView query={parts}>
      {(rows) => (
        <div className="grid gap-3">
          <p className="text-sm text-muted-foreground">
            Each part runs embedded by default; setting its variable switches it to the distributed
            implementation with no code change (docs/deployment.md).
          </p>
          <Table data-testid="system-parts">
            <TableHeader>
              <TableRow>
                <TableHead className="w-36">Part</TableHead>
                <TableHead className="w-[30%]">Implementation</TableHead>
                <TableHead className="w-28">Mode</TableHead>
                <TableHead>Health</TableHead>
                <TableHead className="w-32">Switch</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((p) => (
                <TableRow key={p.part} data-testid={`system-part-${p.part}`} data-state={p.state}>
                  <TableCell className="font-medium">{p.part}</TableCell>
                  <TableCell className="whitespace-normal">{p.implementation}</TableCell>
                  <TableCell>
                    <Badge variant={p.mode === 'distributed' ? 'brand' : 'outline'}>{p.mode}</Badge>
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <span className="flex items-start gap-2">
                      <span
                        aria-label={p.state}
                        className={cn('mt-1.5 size-2 shrink-0 rounded-full', STATE_STYLE[p.state])}
                      />
                      <span className="text-sm text-muted-foreground">
                        <span className="font-medium text-foreground">{p.state}</span> · {p.detail}
                      </span>
                    </span>
                  </TableCell>
                  <TableCell>
                    {p.switch ? <code className="text-xs">{p.switch}</code> : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </QueryView>
  );
}
