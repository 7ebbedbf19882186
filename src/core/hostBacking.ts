// How the host backs a vGPU's guest memory, per gfn range: what pinning a 2M range finds
// (docs/kernel-model.md §7.3, §7.9). Frame numbers stay base + gfn whatever the kind (so traces
// stay comparable); the kind decides what gvt_pin_guest_page and is_2MB_gtt_possible see.
//   huge        transparent huge pages: contiguous, and PageTransHuge (the default)
//   contiguous  4K host pages that happen to be physically contiguous (not THP)
//   scattered   4K host pages, not contiguous: a 2M pin fails its contiguity check

import type { Gfn } from './address';

export type BackingKind = 'huge' | 'contiguous' | 'scattered';

export const BACKING_KINDS: readonly BackingKind[] = ['huge', 'contiguous', 'scattered'];

interface BackingRange {
  readonly from: number;
  readonly to: number;
  readonly kind: BackingKind;
}

export class HostBacking {
  /** Later ranges win; everything else is `huge`. Few entries: scenarios declare a handful. */
  private ranges: BackingRange[] = [];

  set(from: Gfn, to: Gfn, kind: BackingKind): void {
    this.ranges.push({ from, to, kind });
  }

  kindOf(g: number): BackingKind {
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const r = this.ranges[i];
      if (g >= r.from && g <= r.to) return r.kind;
    }
    return 'huge';
  }

  /** The ranges as declared (for the views). */
  list(): readonly BackingRange[] {
    return this.ranges;
  }

  /** gvt_pin_guest_page's contiguity check over n pages: the first page that breaks it, or -1. */
  firstNonContiguous(g: number, n: number): number {
    if (this.ranges.length === 0) return -1;
    for (let k = 0; k < n; k++) if (this.kindOf(g + k) === 'scattered') return g + k;
    return -1;
  }

  /** is_2MB_gtt_possible (5.x): PageTransHuge on the host page behind the first gfn. */
  isTransHuge(g: number): boolean {
    return this.kindOf(g) === 'huge';
  }

  cloneInto(copy: HostBacking): void {
    copy.ranges = this.ranges.slice();
  }
}
