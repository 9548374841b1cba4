// The dashboard grid: 12 columns, rows of fixed height (react-grid-layout's model). Layouts come
// from the browser, so they are checked here before they are stored: integers, inside the
// columns, sane sizes, and no two tiles on the same cell (the grid compacts vertically, so an
// overlap can only come from a bad client).
import { z } from 'zod';
import { AppError } from '../errors';

export const GRID_COLUMNS = 12;
export const MAX_TILE_ROWS = 24;
export const MAX_GRID_ROWS = 1000;

export const ZTileLayout = z.object({
  x: z
    .number()
    .int()
    .min(0)
    .max(GRID_COLUMNS - 1)
    .describe('Column of the left edge, 0–11'),
  y: z.number().int().min(0).max(MAX_GRID_ROWS).describe('Row of the top edge'),
  w: z.number().int().min(1).max(GRID_COLUMNS).describe('Width in columns, 1–12'),
  h: z.number().int().min(1).max(MAX_TILE_ROWS).describe('Height in rows, 1–24'),
});
export type TileLayout = z.infer<typeof ZTileLayout>;

/** Size of a new tile by type. */
export const DEFAULT_SIZE = {
  insight: { w: 6, h: 4 },
  query: { w: 6, h: 4 },
  text: { w: 6, h: 2 },
} as const;

export interface PlacedTile extends TileLayout {
  id: string;
}

/** Throws BAD_REQUEST naming the first tile that is off the grid or overlaps another. */
export function validateLayout(tiles: readonly PlacedTile[]): void {
  for (const t of tiles) {
    const parsed = ZTileLayout.safeParse(t);
    if (!parsed.success)
      throw new AppError(
        'BAD_REQUEST',
        `Tile ${t.id} has an invalid position or size: ${parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}.`,
        { tileId: t.id },
      );
    if (t.x + t.w > GRID_COLUMNS)
      throw new AppError(
        'BAD_REQUEST',
        `Tile ${t.id} ends at column ${t.x + t.w}, past the ${GRID_COLUMNS}-column grid: make it narrower or move it left.`,
        { tileId: t.id },
      );
  }
  for (let i = 0; i < tiles.length; i++)
    for (let j = i + 1; j < tiles.length; j++) {
      const a = tiles[i]!;
      const b = tiles[j]!;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        throw new AppError(
          'BAD_REQUEST',
          `Tiles ${a.id} and ${b.id} overlap: move one of them so no cell holds two tiles.`,
          { tileIds: [a.id, b.id] },
        );
    }
}

/** Where a new tile goes: on its own row below every existing tile, at the left edge. */
export function placeBelow(
  tiles: readonly TileLayout[],
  size: { w: number; h: number },
): TileLayout {
  const y = tiles.reduce((max, t) => Math.max(max, t.y + t.h), 0);
  return { x: 0, y, w: size.w, h: size.h };
}
