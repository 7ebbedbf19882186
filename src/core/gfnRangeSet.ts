// A set of gfns kept as ascending, disjoint, non-touching inclusive ranges: what kvmgt's memslot
// removals leave (a later removal merges into the ranges it overlaps or touches). The ranges live
// in blocks of at most 2 × BLOCK, so a removal anywhere costs a binary search and a splice of one
// block: one flat sorted array made 400 k removals in descending order shift the whole array each
// time (54 s).

const BLOCK = 64;

export class GfnRangeSet {
  /** Ascending blocks, none empty; each is flat [from0, to0, from1, to1, ...]. */
  private blocks: number[][] = [];
  /** How many ranges the blocks hold. */
  private count = 0;

  get isEmpty(): boolean {
    return this.count === 0;
  }

  get rangeCount(): number {
    return this.count;
  }

  /** Whether adding from..to would make a range of its own (it overlaps or touches none). */
  addsRange(from: number, to: number): boolean {
    const ba = this.firstBlockEndingAtOrAfter(from - 1);
    if (ba === this.blocks.length) return true;
    const b = this.blocks[ba];
    return b[2 * firstEndAtOrAfter(b, from - 1)] > to + 1;
  }

  has(g: number): boolean {
    const bi = this.lastBlockStartingAtOrBefore(g);
    if (bi < 0) return false;
    const b = this.blocks[bi];
    const i = lastStartAtOrBefore(b, g);
    return g <= b[2 * i + 1];
  }

  /** Adds gfns from..to (inclusive), merged with the ranges it overlaps or touches. */
  add(from: number, to: number): void {
    const blocks = this.blocks;
    // First range that ends at or after from - 1 (it may touch or overlap): position (ba, ia).
    let ba = this.firstBlockEndingAtOrAfter(from - 1);
    let ia = ba < blocks.length ? firstEndAtOrAfter(blocks[ba], from - 1) : 0;
    // Last range that starts at or before to + 1: position (bb, ib).
    const bb = this.lastBlockStartingAtOrBefore(to + 1);
    const ib = bb >= 0 ? lastStartAtOrBefore(blocks[bb], to + 1) : -1;
    if (bb < ba || (bb === ba && ib < ia)) {
      // Nothing to merge with: a new range before (ba, ia), or after the last one.
      this.count++;
      if (ba === blocks.length) {
        if (ba === 0) {
          blocks.push([from, to]);
          return;
        }
        ba--;
        ia = blocks[ba].length / 2;
      }
      blocks[ba].splice(2 * ia, 0, from, to);
      this.splitIfFull(ba);
      return;
    }
    this.count -= bb === ba ? ib - ia : blocks[ba].length / 2 - ia + ib + blocks.slice(ba + 1, bb).reduce((n, x) => n + x.length / 2, 0);
    const merged0 = Math.min(from, blocks[ba][2 * ia]);
    const merged1 = Math.max(to, blocks[bb][2 * ib + 1]);
    if (ba === bb) {
      blocks[ba].splice(2 * ia, 2 * (ib - ia + 1), merged0, merged1);
      return;
    }
    // The merged range spans blocks: it ends block ba; the covered blocks go; block bb loses its head.
    const first = blocks[ba];
    first.length = 2 * ia;
    first.push(merged0, merged1);
    const last = blocks[bb];
    last.splice(0, 2 * (ib + 1));
    blocks.splice(ba + 1, bb - ba - (last.length === 0 ? 0 : 1));
  }

  copyInto(copy: GfnRangeSet): void {
    copy.blocks = this.blocks.map((b) => b.slice());
    copy.count = this.count;
  }

  private splitIfFull(bi: number): void {
    const b = this.blocks[bi];
    if (b.length <= 4 * BLOCK) return;
    this.blocks.splice(bi + 1, 0, b.splice(2 * BLOCK));
  }

  /** The last block whose first range starts at or before g (-1 if none). */
  private lastBlockStartingAtOrBefore(g: number): number {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid][0] <= g) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The first block whose last range ends at or after g (blocks.length if none). */
  private firstBlockEndingAtOrAfter(g: number): number {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid];
      if (b[b.length - 1] >= g) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Index of the last range of block b starting at or before g (b's first one starts at or before g). */
function lastStartAtOrBefore(b: number[], g: number): number {
  let lo = 0;
  let hi = b.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (b[2 * mid] <= g) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the first range of block b ending at or after g (b's last one ends at or after g). */
function firstEndAtOrAfter(b: number[], g: number): number {
  let lo = 0;
  let hi = b.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b[2 * mid + 1] >= g) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
