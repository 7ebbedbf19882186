// Binary search over anything sorted: the first index whose item is not `before` the point sought.
// Incremental reanalysis uses it (statement ends and comment starts in reparse, tokens in rescan).

export function lowerBound(count: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
