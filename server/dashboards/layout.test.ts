import { describe, expect, it } from 'vitest';
import { placeBelow, validateLayout } from './layout';

describe('validateLayout', () => {
  it('accepts tiles side by side and stacked on the 12-column grid', () => {
    expect(() =>
      validateLayout([
        { id: 'a', x: 0, y: 0, w: 6, h: 4 },
        { id: 'b', x: 6, y: 0, w: 6, h: 4 },
        { id: 'c', x: 0, y: 4, w: 12, h: 2 },
      ]),
    ).not.toThrow();
  });

  it.each([
    [{ id: 'a', x: -1, y: 0, w: 6, h: 4 }, /Tile a has an invalid position or size: x:/],
    [{ id: 'a', x: 0, y: 0, w: 0, h: 4 }, /Tile a .*w:/],
    [{ id: 'a', x: 0, y: 0, w: 6, h: 25 }, /Tile a .*h:/],
    [{ id: 'a', x: 0.5, y: 0, w: 6, h: 4 }, /Tile a .*x:/],
    [{ id: 'a', x: 8, y: 0, w: 6, h: 4 }, /Tile a ends at column 14, past the 12-column grid/],
  ])('rejects %o', (tile, message) => {
    expect(() => validateLayout([tile])).toThrow(message);
  });

  it('rejects two tiles on the same cell, naming both', () => {
    expect(() =>
      validateLayout([
        { id: 'a', x: 0, y: 0, w: 6, h: 4 },
        { id: 'b', x: 5, y: 3, w: 2, h: 2 },
      ]),
    ).toThrow(/Tiles a and b overlap/);
  });
});

describe('placeBelow', () => {
  it('puts a new tile at the left edge below the lowest tile', () => {
    expect(placeBelow([], { w: 6, h: 4 })).toEqual({ x: 0, y: 0, w: 6, h: 4 });
    expect(
      placeBelow(
        [
          { x: 0, y: 0, w: 6, h: 4 },
          { x: 6, y: 2, w: 6, h: 5 },
        ],
        { w: 6, h: 2 },
      ),
    ).toEqual({ x: 0, y: 7, w: 6, h: 2 });
  });
});
