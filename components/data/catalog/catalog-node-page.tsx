'use client';
// One node of the catalog: what it is, when the current run built it, its columns and tests,
// its SQL (compiled, and as written), its direct lineage, and — for a mart — its first rows.
import { useCallback, useMemo } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, ArrowRight, History, Network } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { ErrorAlert, TableSkeleton } from '@/components/query-view';
import { EmptyState } from '@/components/empty-state';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { cn } from '@/lib/utils';
import { TimeAgo } from '../event-detail-sheet';
import { formatCount } from '../format';
import { LayerBadge, StatusDot, TestSummary } from './catalog-list';
import { LineageGraph } from './lineage-graph';
import {
  LAYER_BADGE,
  TONE_BADGE,
  statusLabel,
  statusTone,
  type CatalogNode,
  type CatalogTest,
} from './catalog-model';

const PREVIEW_ROWS = 50;

function TestBadge({ test }: { test: CatalogTest }) {
  const tone = statusTone(test.status);
  return (
    <Badge
      variant="outline"
      className={cn('font-mono text-[0.7rem]', TONE_BADGE[tone])}
      title={`${test.name}: ${test.status ?? 'did not run'}`}
      data-testid={`catalog-test-${test.kind}`}
      data-status={test.status ?? 'none'}
    >
      {test.kind}
      {tone === 'ok' || tone === 'none' ? null : <span>· {test.status}</span>}
    </Badge>
  );
}

function Section({
  title,
  children,
  action,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  action?: React.ReactNode;
  testId?: string;
}) {
  return (
    <section className="grid gap-2" data-testid={testId} aria-label={title}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        {action}
      </div>
      {children}
    </section>
  );
}

function NodeChips({
  ids,
  byId,
  onOpen,
  empty,
  testId,
}: {
  ids: readonly string[];
  byId: ReadonlyMap<string, CatalogNode>;
  onOpen: (node: CatalogNode) => void;
  empty: string;
  testId: string;
}) {
  const list = ids.map((id) => byId.get(id)).filter((n): n is CatalogNode => n !== undefined);
  if (list.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return (
    <div className="flex flex-wrap gap-1.5" data-testid={testId}>
      {list.map((n) => (
        <button
          key={n.uniqueId}
          type="button"
          onClick={() => onOpen(n)}
          className={cn(
            'inline-flex cursor-pointer items-center gap-1.5 rounded-md border px-2 py-0.5 font-mono text-xs font-medium transition-colors hover:brightness-110',
            'focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
            LAYER_BADGE[n.layer],
          )}
          data-testid={`catalog-chip-${n.name}`}
        >
          <StatusDot status={n.status} />
          {n.name}
        </button>
      ))}
    </div>
  );
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const CURRENT = 'current';

function formatBuiltAt(date: Date | string): string {
  return new Date(date).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * "Data as of": the kept versions of the marts (one per successful dbt run, newest first). The
 * choice lives in the URL (`asOf=<run id>`), so a link to yesterday's numbers stays yesterday's.
 */
function useAsOf() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const asOf = params.get('asOf');
  const setAsOf = useCallback(
    (runId: string | null) => {
      const next = new URLSearchParams(params.toString());
      if (runId) next.set('asOf', runId);
      else next.delete('asOf');
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [params, pathname, router],
  );
  return [asOf, setAsOf] as const;
}

function Preview({ name }: { name: string }) {
  const trpc = useTRPC();
  const [asOf, setAsOf] = useAsOf();
  const versions = useQuery(trpc.catalog.versions.queryOptions());
  const version = versions.data?.find((v) => v.runId === asOf);
  const runId = version && !version.isCurrent ? version.runId : null;
  const picker = (versions.data?.length ?? 0) > 1 && (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <History className="size-4 text-muted-foreground" aria-hidden />
      <span className="text-muted-foreground">Data as of</span>
      <Select value={runId ?? CURRENT} onValueChange={(v) => setAsOf(v === CURRENT ? null : v)}>
        <SelectTrigger className="w-72" aria-label="Data as of" data-testid="catalog-as-of">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {versions.data!.map((v) => (
            <SelectItem
              key={v.runId}
              value={v.isCurrent ? CURRENT : v.runId}
              data-testid={`catalog-as-of-${v.isCurrent ? CURRENT : v.runId}`}
            >
              {formatBuiltAt(v.builtAt)}
              {v.isCurrent ? ' — current' : ''}
              {v.selector ? ` (${v.selector})` : ''}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
  return (
    <div className="grid gap-2">
      {picker}
      {version && runId ? (
        <Alert data-testid="catalog-as-of-banner">
          <History aria-hidden />
          <AlertDescription>
            Showing this mart as the dbt run of {formatBuiltAt(version.builtAt)} built it — not the
            current data.{' '}
            <button type="button" className="underline" onClick={() => setAsOf(null)}>
              Back to current
            </button>
          </AlertDescription>
        </Alert>
      ) : null}
      {asOf && versions.isSuccess && !version ? (
        <Alert data-testid="catalog-as-of-gone">
          <History aria-hidden />
          <AlertDescription>
            The version in this link is no longer kept (retention keeps the newest successful runs),
            so this is the current data.{' '}
            <button type="button" className="underline" onClick={() => setAsOf(null)}>
              Dismiss
            </button>
          </AlertDescription>
        </Alert>
      ) : null}
      {versions.isPending && asOf ? (
        <TableSkeleton rows={4} />
      ) : (
        <PreviewRows name={name} runId={runId} />
      )}
    </div>
  );
}

function PreviewRows({ name, runId }: { name: string; runId: string | null }) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.catalog.preview.queryOptions({ name, limit: PREVIEW_ROWS, runId }));
  if (preview.isPending) return <TableSkeleton rows={4} />;
  if (preview.isError) return <ErrorAlert message={preview.error.message} />;
  const result = preview.data;
  if (result.rows.length === 0)
    return (
      <EmptyState
        compact
        title="No rows"
        description="This run built the mart empty."
        data-testid="catalog-preview-empty"
      />
    );
  return (
    <div className="grid gap-1">
      <div className="max-h-96 overflow-auto rounded-lg border">
        <Table data-testid="catalog-preview">
          <TableHeader className="sticky top-0 bg-background">
            <TableRow>
              {result.columns.map((c) => (
                <TableHead key={c.name} className="align-bottom">
                  <div className="font-mono text-xs">{c.name}</div>
                  <div className="text-[0.65rem] font-normal text-muted-foreground">
                    {c.engineType}
                  </div>
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.rows.map((row, i) => (
              <TableRow key={i}>
                {row.map((value, j) => (
                  <TableCell
                    key={j}
                    className={cn(
                      'max-w-64 truncate font-mono text-xs',
                      value === null && 'text-muted-foreground italic',
                    )}
                    title={formatCell(value)}
                  >
                    {formatCell(value)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <p className="text-xs text-muted-foreground">
        First {formatCount(result.rowCount)} rows{result.truncated ? ' (more exist)' : ''} ·{' '}
        {Math.round(result.durationMs)} ms
      </p>
    </div>
  );
}

export function CatalogNodePage({
  node,
  nodes,
  builtAt,
  onBack,
  onOpen,
  onShowInGraph,
}: {
  node: CatalogNode;
  nodes: readonly CatalogNode[];
  builtAt: Date | null;
  onBack: () => void;
  onOpen: (node: CatalogNode) => void;
  onShowInGraph: () => void;
}) {
  const byId = useMemo(() => new Map(nodes.map((n) => [n.uniqueId, n])), [nodes]);
  const neighbours = useMemo(() => {
    const ids = new Set([node.uniqueId, ...node.upstream, ...node.downstream]);
    // Only the edges to and from this node: neighbours' other links would clutter it.
    return nodes
      .filter((n) => ids.has(n.uniqueId))
      .map((n) =>
        n.uniqueId === node.uniqueId
          ? n
          : {
              ...n,
              upstream: n.upstream.filter((id) => id === node.uniqueId),
              downstream: n.downstream.filter((id) => id === node.uniqueId),
            },
      );
  }, [nodes, node]);
  const tone = statusTone(node.status);
  const facts: [string, React.ReactNode][] = [
    ['Type', node.resourceType],
    ['Materialized', node.materialized ?? '—'],
    ['Path', node.path ? <code className="text-xs break-all">{node.path}</code> : '—'],
    [
      'Status',
      <Badge
        key="status"
        variant="outline"
        className={TONE_BADGE[tone]}
        data-testid="catalog-node-status"
      >
        {statusLabel(node)}
      </Badge>,
    ],
    ['Last built', node.status !== null && builtAt ? <TimeAgo value={builtAt} /> : '—'],
    ['Rows', node.rows === null ? '—' : formatCount(node.rows)],
    ['Build time', node.seconds === null ? '—' : `${node.seconds.toFixed(2)} s`],
    ['Tests', <TestSummary key="tests" node={node} />],
  ];
  const hasSql = node.compiledSql !== null || node.rawSql !== null;

  return (
    <article
      className="grid gap-6"
      data-testid="catalog-node"
      data-node-id={node.uniqueId}
      aria-labelledby="catalog-node-title"
    >
      <div className="grid gap-3">
        <div>
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className="-ml-2"
            onClick={onBack}
            data-testid="catalog-back"
          >
            <ArrowLeft aria-hidden /> Catalog
          </Button>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <StatusDot status={node.status} className="size-2.5" />
          <h2 id="catalog-node-title" className="font-mono text-xl font-semibold break-all">
            {node.name}
          </h2>
          <LayerBadge layer={node.layer} />
          {node.tags.map((t) => (
            <Badge key={t} variant="secondary">
              {t}
            </Badge>
          ))}
        </div>
        <p
          className={cn('max-w-3xl text-sm', !node.description && 'text-muted-foreground')}
          data-testid="catalog-node-description"
        >
          {node.description || 'No description.'}
        </p>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border bg-card p-4 text-sm sm:grid-cols-4">
          {facts.map(([label, value]) => (
            <div key={label} className="grid min-w-0 gap-0.5">
              <dt className="text-xs text-muted-foreground">{label}</dt>
              <dd className="min-w-0">{value}</dd>
            </div>
          ))}
        </dl>
      </div>

      <Section
        title="Lineage"
        testId="catalog-lineage"
        action={
          <Button type="button" variant="outline" size="sm" onClick={onShowInGraph}>
            <Network aria-hidden /> Full lineage
          </Button>
        }
      >
        <div className="grid gap-3 md:grid-cols-2">
          <div className="grid gap-1.5">
            <h4 className="text-xs font-medium text-muted-foreground">
              Upstream · reads from {node.upstream.length}
            </h4>
            <NodeChips
              ids={node.upstream}
              byId={byId}
              onOpen={onOpen}
              empty="Nothing: this is where the data enters."
              testId="catalog-upstream"
            />
          </div>
          <div className="grid gap-1.5">
            <h4 className="inline-flex items-center gap-1 text-xs font-medium text-muted-foreground">
              <ArrowRight className="size-3" aria-hidden /> Downstream · read by{' '}
              {node.downstream.length}
            </h4>
            <NodeChips
              ids={node.downstream}
              byId={byId}
              onOpen={onOpen}
              empty="Nothing reads from it."
              testId="catalog-downstream"
            />
          </div>
        </div>
        <LineageGraph
          mini
          nodes={neighbours}
          selectedId={node.uniqueId}
          onSelect={(n) => (n.uniqueId === node.uniqueId ? undefined : onOpen(n))}
          className="h-64"
          data-testid="catalog-mini-lineage"
        />
      </Section>

      <Section title={`Columns (${node.columns.length})`} testId="catalog-columns">
        {node.columns.length === 0 ? (
          <EmptyState
            compact
            title="No columns documented"
            description="The project does not describe this node's columns."
          />
        ) : (
          <div className="rounded-lg border">
            <Table data-testid="catalog-columns-table">
              <TableHeader>
                <TableRow>
                  <TableHead>Column</TableHead>
                  <TableHead>Type</TableHead>
                  <TableHead>Description</TableHead>
                  <TableHead>Tests</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {node.columns.map((c) => (
                  <TableRow
                    key={c.name}
                    data-testid={`catalog-column-${c.name}`}
                    className="align-top"
                  >
                    <TableCell className="font-mono text-sm font-medium">{c.name}</TableCell>
                    <TableCell>
                      {c.type ? (
                        <Badge variant="secondary" className="font-mono">
                          {c.type}
                        </Badge>
                      ) : (
                        <span className="text-muted-foreground">—</span>
                      )}
                    </TableCell>
                    <TableCell
                      className={cn(
                        'max-w-md text-sm whitespace-normal',
                        !c.description && 'text-muted-foreground',
                      )}
                    >
                      {c.description || '—'}
                    </TableCell>
                    <TableCell className="whitespace-normal">
                      {c.tests.length === 0 ? (
                        <span className="text-muted-foreground">—</span>
                      ) : (
                        <div className="flex flex-wrap gap-1">
                          {c.tests.map((t) => (
                            <TestBadge key={t.uniqueId} test={t} />
                          ))}
                        </div>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </Section>

      {node.tests.length > 0 ? (
        <Section title={`Tests on the ${node.resourceType}`} testId="catalog-node-tests">
          <ul className="grid gap-1.5">
            {node.tests.map((t) => (
              <li key={t.uniqueId} className="flex flex-wrap items-center gap-2 text-sm">
                <TestBadge test={t} />
                <code className="text-xs break-all text-muted-foreground">{t.name}</code>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {hasSql ? (
        <Section title="SQL" testId="catalog-sql">
          <Tabs defaultValue={node.compiledSql !== null ? 'compiled' : 'source'}>
            <TabsList>
              <TabsTrigger value="compiled" disabled={node.compiledSql === null}>
                Compiled
              </TabsTrigger>
              <TabsTrigger value="source" disabled={node.rawSql === null}>
                Source (Jinja)
              </TabsTrigger>
            </TabsList>
            <TabsContent value="compiled">
              {node.compiledSql !== null ? (
                <CodeBlock
                  code={node.compiledSql.trim()}
                  className="max-h-[28rem] overflow-y-auto"
                  data-testid="catalog-sql-compiled"
                />
              ) : null}
            </TabsContent>
            <TabsContent value="source">
              {node.rawSql !== null ? (
                <CodeBlock
                  code={node.rawSql.trim()}
                  label={node.path ?? undefined}
                  className="max-h-[28rem] overflow-y-auto"
                  data-testid="catalog-sql-source"
                />
              ) : null}
            </TabsContent>
          </Tabs>
        </Section>
      ) : null}

      {node.queryable ? (
        <Section title="Preview" testId="catalog-preview-section">
          <Preview name={node.name} />
        </Section>
      ) : null}
    </article>
  );
}
