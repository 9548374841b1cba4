'use client';
// Paths as a Sankey diagram (d3-sankey lays it out, React draws the SVG): one column per step,
// a node per event at that step, links as wide as the users going from one node to the next.
// Hovering a node or link highlights it; colours follow the event name so the same event has
// the same colour in every column.
import * as React from 'react';
import {
  sankey,
  sankeyLeft,
  sankeyLinkHorizontal,
  type SankeyLink,
  type SankeyNode,
} from 'd3-sankey';
import type { PathsQuery, PathsResult } from '@/server/insights/paths';
import { colorAt, TooltipCard } from '../chart-parts';
import { formatCount, formatPercent } from '../format';

type N = { id: string; step: number; event: string; users: number; dropped: number };
type L = { users: number };

function useWidth(ref: React.RefObject<HTMLDivElement | null>) {
  const [width, setWidth] = React.useState(0);
  React.useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

export function PathsSankey({
  query,
  result,
  height,
}: {
  query: PathsQuery;
  result: PathsResult;
  height: number;
}) {
  const ref = React.useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const [hover, setHover] = React.useState<
    { kind: 'node'; id: string } | { kind: 'link'; index: number } | null
  >(null);
  const colors = React.useMemo(() => {
    const byEvent = new Map<string, string>();
    for (const n of [...result.nodes].sort((a, b) => b.users - a.users))
      if (!byEvent.has(n.event)) byEvent.set(n.event, colorAt(byEvent.size));
    return byEvent;
  }, [result.nodes]);
  const layout = React.useMemo(() => {
    if (width < 100 || result.nodes.length === 0) return null;
    const ids = new Set(result.nodes.map((n) => n.id));
    const links = result.links.filter((l) => ids.has(l.source) && ids.has(l.target));
    const gen = sankey<N, L>()
      .nodeId((d) => d.id)
      .nodeAlign(sankeyLeft)
      .nodeWidth(10)
      .nodePadding(14)
      .nodeSort((a, b) => b.users - a.users)
      .extent([
        [1, 8],
        // Room on the right for the last column's labels.
        [width - 170, height - 8],
      ]);
    try {
      return gen({
        nodes: result.nodes.map((n) => ({ ...n })),
        links: links.map((l) => ({
          source: l.source,
          target: l.target,
          value: l.users,
          users: l.users,
        })),
      });
    } catch {
      return null;
    }
  }, [width, height, result]);
  const path = sankeyLinkHorizontal<N, L>();
  const stepUsers = new Map(result.steps.map((s) => [s.step, s.users]));

  const active = (link: SankeyLink<N, L>, i: number) => {
    if (!hover) return true;
    if (hover.kind === 'link') return hover.index === i;
    const s = link.source as SankeyNode<N, L>;
    const t = link.target as SankeyNode<N, L>;
    return s.id === hover.id || t.id === hover.id;
  };
  let tip: React.ReactNode = null;
  if (hover && layout) {
    if (hover.kind === 'node') {
      const n = layout.nodes.find((x) => x.id === hover.id);
      if (n)
        tip = (
          <TooltipCard
            title={`Step ${n.step} · ${n.event}`}
            rows={[
              {
                key: 'u',
                label: 'Users',
                color: colors.get(n.event)!,
                value: formatCount(n.users),
                detail: formatPercent(n.users / (stepUsers.get(n.step) || 1)),
              },
              {
                key: 'd',
                label: query.end ? 'Path started here' : 'Dropped off here',
                color: 'var(--muted-foreground)',
                value: formatCount(n.dropped),
              },
            ]}
          />
        );
    } else {
      const l = layout.links[hover.index];
      if (l) {
        const s = l.source as SankeyNode<N, L>;
        const t = l.target as SankeyNode<N, L>;
        tip = (
          <TooltipCard
            title={`${s.event} → ${t.event}`}
            rows={[
              {
                key: 'u',
                label: `Step ${s.step} → ${t.step}`,
                color: colors.get(s.event)!,
                value: `${formatCount(l.users)} users`,
                detail: formatPercent(l.users / (s.users || 1)),
              },
            ]}
          />
        );
      }
    }
  }

  // Labels sit right of their node, in the gap before the next column (the last column has the
  // room kept on the right): shortened to fit it, the full name is in the tooltip.
  const xs = [...new Set((layout?.nodes ?? []).map((n) => n.x1 ?? 0))].sort((a, b) => a - b);
  const lastX = xs[xs.length - 1];
  const columnGap = xs.length > 1 ? xs[1]! - xs[0]! - 10 : 170;
  return (
    <div ref={ref} className="relative w-full" style={{ height }} data-testid="paths-sankey">
      {layout ? (
        <svg width={width} height={height} role="img" aria-label="Paths between events">
          <g fill="none">
            {layout.links.map((l, i) => {
              const s = l.source as SankeyNode<N, L>;
              return (
                <path
                  key={i}
                  d={path(l) ?? undefined}
                  stroke={colors.get(s.event)}
                  strokeOpacity={active(l, i) ? (hover ? 0.55 : 0.3) : 0.06}
                  strokeWidth={Math.max(1, l.width ?? 1)}
                  onMouseEnter={() => setHover({ kind: 'link', index: i })}
                  onMouseLeave={() => setHover(null)}
                  className="transition-[stroke-opacity]"
                />
              );
            })}
          </g>
          {layout.nodes.map((n) => (
            <rect
              key={n.id}
              x={n.x0}
              y={n.y0}
              width={(n.x1 ?? 0) - (n.x0 ?? 0)}
              height={Math.max(1, (n.y1 ?? 0) - (n.y0 ?? 0))}
              fill={colors.get(n.event)}
              rx={2}
              onMouseEnter={() => setHover({ kind: 'node', id: n.id })}
              onMouseLeave={() => setHover(null)}
            />
          ))}
          {/* Labels after every node, so the next column's nodes never cover them; hovering one
              shows its node's tooltip (the full name of a shortened label). */}
          <g>
            {layout.nodes.map((n) =>
              (n.y1 ?? 0) - (n.y0 ?? 0) >= 9 ? (
                <text
                  key={n.id}
                  onMouseEnter={() => setHover({ kind: 'node', id: n.id })}
                  onMouseLeave={() => setHover(null)}
                  x={(n.x1 ?? 0) + 6}
                  y={((n.y0 ?? 0) + (n.y1 ?? 0)) / 2}
                  dy="0.35em"
                  fontSize={11}
                  fill="var(--foreground)"
                  stroke="var(--card)"
                  strokeWidth={3}
                  paintOrder="stroke"
                  strokeLinejoin="round"
                >
                  {nodeLabel(
                    n.event,
                    formatCount(n.users),
                    (n.x1 ?? 0) === lastX ? 170 : columnGap,
                  )}
                  <tspan fill="var(--muted-foreground)"> {formatCount(n.users)}</tspan>
                </text>
              ) : null,
            )}
          </g>
        </svg>
      ) : null}
      {tip ? <div className="pointer-events-none absolute top-2 right-2">{tip}</div> : null}
    </div>
  );
}

/** `event` shortened so that it and ` count` fit in `room` px at 11 px (~6.6 px a character). */
export function nodeLabel(event: string, count: string, room: number): string {
  const chars = Math.floor((room - 8) / 6.6) - count.length - 1;
  const max = Math.max(4, Math.min(20, chars));
  return event.length > max ? `${event.slice(0, max - 1)}…` : event;
}
