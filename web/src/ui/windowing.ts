/**
 * Small windowing for long lists: item tops from measured (or estimated) heights, and the range
 * of items a viewport shows. Used by the message list (variable heights) and the contact list
 * (fixed heights) so 10,000 items render only the few dozen on screen.
 */
export interface Layout {
  tops: Float64Array;
  total: number;
}

export function layout(keys: readonly string[], heights: ReadonlyMap<string, number>, estimate: number): Layout {
  const tops = new Float64Array(keys.length);
  let y = 0;
  for (let i = 0; i < keys.length; i++) {
    tops[i] = y;
    y += heights.get(keys[i]!) ?? estimate;
  }
  return { tops, total: y };
}

/** Index of the last item whose top is at or above `y` (0 when none). */
export function indexAt(tops: Float64Array, y: number): number {
  let lo = 0;
  let hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/** [start, end) of the items intersecting [scrollTop, scrollTop + height], widened by `overscan` items. */
export function visibleRange(l: Layout, scrollTop: number, height: number, overscan: number, fallback = 30): [number, number] {
  const n = l.tops.length;
  if (n === 0) return [0, 0];
  // No layout (e.g. a test DOM): show the last `fallback` items, the newest end of a chat.
  if (height <= 0) return [Math.max(0, n - fallback), n];
  const start = indexAt(l.tops, scrollTop);
  const end = indexAt(l.tops, scrollTop + height) + 1;
  return [Math.max(0, start - overscan), Math.min(n, end + overscan)];
}
