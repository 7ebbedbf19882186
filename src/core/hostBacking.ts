// How the host backs a vGPU's guest memory, per gfn range: what pinning a 2M range finds
// (docs/kernel-model.md §7.3, §7.9). Frame numbers stay base + gfn whatever the kind (so traces
// stay comparable); the kind decides what gvt_pin_guest_page and is_2MB_gtt_possible see.
//   huge        transparent huge pages: contiguous, and PageTransHuge (the default)
//   contiguous  4K host pages that happen to be physically contiguous (not THP)
//   scattered   4K host pages, not contiguous: a 2M pin fails its contiguity check

import type { Gfn } from './address';

export type BackingKind = 'huge' | 'contiguous' | 'scattered';

export const BACKING_KINDS: readonly BackingKind[] = ['huge', 'contiguous', 'scattered'];

/** Backing ranges a vGPU may have apart (each `backing` statement adds at most two). */
export const MAX_BACKING_RANGES = 100_000;

/**
 * Disjoint gfn ranges that are not `huge` (the default), ascending; neighbours of one kind are
 * merged, and a later `backing` over a range replaces what was there. A lookup is a binary search
 * (a list of every `backing` ever run, scanned per page of a 2M pin, grew without bound and made
 * pins quadratic).
 */
export class HostBacking {
  private from: number[] = [];
  private to: number[] = [];
  private kinds: BackingKind[] = [];

  /** Sets [from, to] to kind; false (and nothing changed) when that would pass MAX_BACKING_RANGES. */
  set(from: Gfn, to: Gfn, kind: BackingKind): boolean {
    const n = this.from.length;
    let i = this.firstEndingAtOrAfter(from);
    let j = i;
    while (j < n && this.from[j] <= to) j++;
    // [i, j): the ranges [from, to] overlaps; what they have outside it stays.
    const f: number[] = [];
    const t: number[] = [];
    const k: BackingKind[] = [];
    const piece = (a: number, b: number, c: BackingKind): void => {
      f.push(a);
      t.push(b);
      k.push(c);
    };
    if (i < j && this.from[i] < from) piece(this.from[i], from - 1, this.kinds[i]);
    if (kind !== 'huge') piece(from, to, kind);
    if (i < j && this.to[j - 1] > to) piece(to + 1, this.to[j - 1], this.kinds[j - 1]);
    // Merge with the neighbours when they touch and have the same kind.
    if (f.length > 0 && i > 0 && this.to[i - 1] === f[0] - 1 && this.kinds[i - 1] === k[0]) {
      i--;
      f[0] = this.from[i];
    }
    const last = f.length - 1;
    if (f.length > 0 && j < n && this.from[j] === t[last] + 1 && this.kinds[j] === k[last]) {
      t[last] = this.to[j];
      j++;
    }
    for (let q = f.length - 1; q > 0; q--) {
      if (t[q - 1] === f[q] - 1 && k[q - 1] === k[q]) {
        t[q - 1] = t[q];
        f.splice(q, 1);
        t.splice(q, 1);
        k.splice(q, 1);
      }
    }
    if (n - (j - i) + f.length > MAX_BACKING_RANGES) return false;
    this.from.splice(i, j - i, ...f);
    this.to.splice(i, j - i, ...t);
    this.kinds.splice(i, j - i, ...k);
    return true;
  }

  /** Index of the first range ending at or after g (the count when none does). */
  private firstEndingAtOrAfter(g: number): number {
    let lo = 0;
    let hi = this.to.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.to[mid] < g) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  kindOf(g: number): BackingKind {
    const i = this.firstEndingAtOrAfter(g);
    return i < this.from.length && this.from[i] <= g ? this.kinds[i] : 'huge';
  }

  /** gvt_pin_guest_page's contiguity check over n pages: the first page that breaks it, or -1. */
  firstNonContiguous(g: number, n: number): number {
    for (let i = this.firstEndingAtOrAfter(g); i < this.from.length && this.from[i] <= g + n - 1; i++) {
      if (this.kinds[i] === 'scattered') return Math.max(this.from[i], g);
    }
    return -1;
  }

  /** The ranges that are not `huge`, ascending (tests compare machines by them). */
  ranges(): Array<{ readonly from: number; readonly to: number; readonly kind: BackingKind }> {
    return this.from.map((f, i) => ({ from: f, to: this.to[i], kind: this.kinds[i] }));
  }

  /** is_2MB_gtt_possible (5.x): PageTransHuge on the host page behind the first gfn. */
  isTransHuge(g: number): boolean {
    return this.kindOf(g) === 'huge';
  }

  cloneInto(copy: HostBacking): void {
    copy.from = this.from.slice();
    copy.to = this.to.slice();
    copy.kinds = this.kinds.slice();
  }
}
