'use client';
// The schema beside the editor: the workspace's marts with their columns, types and
// descriptions, filterable; clicking a name inserts it at the cursor, "Preview" opens a tab
// with `select * … limit 100` of the table and runs it.
import { useMemo, useState } from 'react';
import { ChevronDown, ChevronRight, Eye, Search, Table2 } from 'lucide-react';
import { Input } from '@/components/ui/input';
import type { SqlSchemaTable } from '@/server/sql/sql-schema';

export function SchemaBrowser({
  tables,
  built,
  onInsert,
  onPreview,
}: {
  tables: SqlSchemaTable[];
  built: boolean;
  onInsert: (text: string) => void;
  onPreview: (table: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const shown = useMemo(() => {
    const term = filter.trim().toLowerCase();
    if (!term) return tables;
    return tables.filter(
      (t) => t.name.includes(term) || t.columns.some((c) => c.name.includes(term)),
    );
  }, [tables, filter]);
  const toggle = (name: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  return (
    <div className="grid h-full min-h-0 grid-rows-[auto_1fr]" data-testid="sql-schema">
      <div className="relative border-b p-2">
        <Search className="pointer-events-none absolute top-1/2 left-4 size-3.5 -translate-y-1/2 text-muted-foreground" />
        <Input
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Filter tables and columns"
          className="h-8 pl-7 text-xs"
          aria-label="Filter tables and columns"
        />
      </div>
      <div className="min-h-0 overflow-auto py-1 text-xs">
        {!built ? (
          <p className="p-3 text-muted-foreground">
            No marts yet: an admin can build them in Admin → Pipelines.
          </p>
        ) : shown.length === 0 ? (
          <p className="p-3 text-muted-foreground">Nothing matches “{filter}”.</p>
        ) : (
          LAYERS.map(({ layer, title, hint }) => {
            const tablesOf = shown.filter((t) => t.layer === layer);
            if (tablesOf.length === 0) return null;
            return (
              <section key={layer} data-testid={`sql-schema-layer-${layer}`}>
                <h3
                  className="px-2 pt-2 pb-1 text-[10px] font-medium tracking-wide text-muted-foreground uppercase"
                  title={hint}
                >
                  {title}
                </h3>
                {tablesOf.map((t) => renderTable(t))}
              </section>
            );
          })
        )}
      </div>
    </div>
  );

  function renderTable(t: SqlSchemaTable) {
    const expanded = open.has(t.name) || filter.trim() !== '';
    return (
      <div key={t.name} data-testid={`sql-schema-table-${t.name}`}>
        <div className="group flex items-center gap-1 px-2 py-1 hover:bg-accent">
          <button
            type="button"
            aria-label={expanded ? `Collapse ${t.name}` : `Expand ${t.name}`}
            onClick={() => toggle(t.name)}
            className="text-muted-foreground"
          >
            {expanded ? (
              <ChevronDown className="size-3.5" />
            ) : (
              <ChevronRight className="size-3.5" />
            )}
          </button>
          <Table2 className="size-3.5 shrink-0 text-muted-foreground" />
          <button
            type="button"
            className="truncate font-mono font-medium"
            title={t.description || `Insert ${t.name}`}
            onClick={() => onInsert(t.name)}
          >
            {t.name}
          </button>
          {t.rows !== null ? (
            <span className="ml-auto shrink-0 text-[10px] text-muted-foreground tabular-nums">
              {t.rows.toLocaleString('en-US')}
            </span>
          ) : null}
          <button
            type="button"
            className={`${t.rows !== null ? '' : 'ml-auto'} invisible shrink-0 text-muted-foreground group-hover:visible hover:text-foreground`}
            title={`Preview ${t.name}`}
            aria-label={`Preview ${t.name}`}
            onClick={() => onPreview(t.name)}
          >
            <Eye className="size-3.5" />
          </button>
        </div>
        {expanded ? (
          <ul className="pb-1">
            {t.columns.map((c) => (
              <li key={c.name}>
                <button
                  type="button"
                  className="flex w-full items-baseline gap-2 py-0.5 pr-2 pl-9 text-left hover:bg-accent"
                  title={c.description || `Insert ${c.name}`}
                  onClick={() => onInsert(c.name)}
                >
                  <span className="truncate font-mono">{c.name}</span>
                  <span className="ml-auto shrink-0 text-[10px] text-muted-foreground">
                    {c.type?.toLowerCase() ?? ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
}

/** The schema's sections, in the order an analyst reaches for them. */
const LAYERS: { layer: SqlSchemaTable['layer']; title: string; hint: string }[] = [
  {
    layer: 'marts',
    title: 'Marts',
    hint: 'Modelled tables: what insights, dashboards and Ask read.',
  },
  {
    layer: 'staging',
    title: 'Staging',
    hint: "dbt's cleaned inputs that it stores (identities, duplicate ids).",
  },
  {
    layer: 'bronze',
    title: 'Bronze · as received',
    hint: "This workspace's raw rows as ingested, duplicates included (the lake's bronze tables).",
  },
];
