'use client';
// Loading, error and empty states for a TanStack query, in one place, so every data view
// shows them the same way.
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/skeleton';

export function TableSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="grid gap-2 p-4" data-loading-state="loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}

export function ErrorAlert({ message, className }: { message: string; className?: string }) {
  return (
    <Alert variant="destructive" className={className}>
      <AlertDescription>{message}</AlertDescription>
    </Alert>
  );
}

export function QueryView<T>(props: {
  query: {
    isPending: boolean;
    isError: boolean;
    error: { message: string } | null;
    data: T | undefined;
  };
  isEmpty?: (data: T) => boolean;
  empty?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}) {
  const { query } = props;
  if (query.isPending) return <TableSkeleton />;
  if (query.isError) return <ErrorAlert message={query.error?.message ?? 'Could not load this.'} />;
  const data = query.data as T;
  if (props.isEmpty?.(data)) return <>{props.empty}</>;
  return <>{props.children(data)}</>;
}
