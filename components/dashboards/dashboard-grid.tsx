'use client';
// The 12-column tile grid (react-grid-layout v2). Analysts drag tiles by their handle and resize
// them from the corner; the new arrangement is saved when a drag or resize ends (the whole
// layout, which the server validates). Viewers get the same grid, static. Below 640 px the tiles
// stack in reading order instead, at their own heights.
import 'react-grid-layout/css/styles.css';
import * as React from 'react';
import ReactGridLayout, { useContainerWidth, type Layout } from 'react-grid-layout';
import { DashboardTile, DRAG_HANDLE, type Tile } from './dashboard-tile';
import type { DashboardFilters } from './dashboard-filters';

export const ROW_HEIGHT = 64;
const MARGIN: [number, number] = [12, 12];
/** Tile header and padding around the chart, px. */
const TILE_CHROME = 64;

export interface LayoutItemInput {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export function DashboardGrid({
  tiles,
  dashboardId,
  workspaceSlug,
  filters,
  editable,
  onLayoutSave,
  onRemove,
}: {
  tiles: readonly Tile[];
  dashboardId: string;
  workspaceSlug: string;
  filters: Partial<DashboardFilters>;
  editable: boolean;
  onLayoutSave: (layout: LayoutItemInput[]) => void;
  onRemove: (tileId: string) => void;
}) {
  const { width, containerRef, mounted } = useContainerWidth();
  const serverLayout = React.useMemo<Layout>(
    () =>
      tiles.map((t) => ({
        i: t.id,
        x: t.x,
        y: t.y,
        w: t.w,
        h: t.h,
        minW: 2,
        minH: t.type === 'text' ? 1 : 2,
        maxH: 24,
        // Static for viewers: no resize handles are rendered at all.
        static: !editable,
      })),
    [tiles, editable],
  );
  // What the grid shows between a drop and the server's answer.
  const [shown, setShown] = React.useState({ from: serverLayout, layout: serverLayout });
  // A new layout from the server replaces the local one (derived during render, not in an effect).
  if (shown.from !== serverLayout) setShown({ from: serverLayout, layout: serverLayout });
  const layout = shown.from === serverLayout ? shown.layout : serverLayout;
  const setLayout = (next: Layout) => setShown({ from: serverLayout, layout: next });

  const heightOf = (h: number) => h * ROW_HEIGHT + (h - 1) * MARGIN[1] - TILE_CHROME;
  const tileProps = (t: Tile) => ({
    tile: t,
    dashboardId,
    workspaceSlug,
    filters,
    editable,
    onRemove: () => onRemove(t.id),
  });

  const save = (next: Layout) => {
    setLayout(next);
    const changed = next.some((n) => {
      const old = serverLayout.find((o) => o.i === n.i);
      return !old || old.x !== n.x || old.y !== n.y || old.w !== n.w || old.h !== n.h;
    });
    if (changed) onLayoutSave(next.map(({ i, x, y, w, h }) => ({ id: i, x, y, w, h })));
  };

  const narrow = mounted && width < 640;
  return (
    <div ref={containerRef} className="-mx-3" data-testid="dashboard-grid" data-editable={editable}>
      {!mounted ? null : narrow ? (
        <div className="grid gap-3 px-3">
          {[...tiles]
            .sort((a, b) => a.y - b.y || a.x - b.x)
            .map((t) => (
              <div key={t.id} style={{ height: t.h * ROW_HEIGHT }}>
                <DashboardTile {...tileProps(t)} editable={false} chartHeight={heightOf(t.h)} />
              </div>
            ))}
        </div>
      ) : (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: 12, rowHeight: ROW_HEIGHT, margin: MARGIN }}
          dragConfig={{ enabled: editable, handle: `.${DRAG_HANDLE}` }}
          resizeConfig={{ enabled: editable, handles: ['se'] }}
          onDragStop={(l) => save(l)}
          onResizeStop={(l) => save(l)}
        >
          {tiles.map((t) => {
            const h = layout.find((l) => l.i === t.id)?.h ?? t.h;
            return (
              <div key={t.id}>
                <DashboardTile {...tileProps(t)} chartHeight={heightOf(h)} />
              </div>
            );
          })}
        </ReactGridLayout>
      )}
    </div>
  );
}
