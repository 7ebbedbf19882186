// The global pool of out-of-sync pages (gvt->gtt.oos_page_free_list_head / _use_list_head).
// Built only when out-of-sync is enabled; 8192 pages (preallocated_oos_pages) of 4 KiB snapshots.

import type { Spt } from './spt';

export const PREALLOCATED_OOS_PAGES = 8192;

export class OosPage {
  spt: Spt | null = null;
  /** A snapshot of the guest page: 512 entries as (lo, hi) pairs. */
  mem = new Uint32Array(1024);
  constructor(readonly id: number) {}
}

export class OosPool {
  /** Free list, head first. Pages are made lazily so an unused pool costs nothing. */
  private free: OosPage[] = [];
  private made = 0;
  /** In-use list, oldest first. */
  readonly inUse: OosPage[] = [];

  constructor(readonly capacity = PREALLOCATED_OOS_PAGES) {}

  get freeCount(): number {
    return this.capacity - this.inUse.length;
  }

  takeFree(): OosPage | undefined {
    const p = this.free.shift();
    if (p) return p;
    if (this.made < this.capacity) return new OosPage(this.made++);
    return undefined;
  }

  release(p: OosPage): void {
    const i = this.inUse.indexOf(p);
    if (i >= 0) this.inUse.splice(i, 1);
    this.free.push(p);
  }

  use(p: OosPage): void {
    this.inUse.push(p);
  }

  /** A deep copy, with the map from old pages to new ones (owners are re-linked by the caller). */
  clone(): { pool: OosPool; pages: Map<OosPage, OosPage> } {
    const pool = new OosPool(this.capacity);
    const pages = new Map<OosPage, OosPage>();
    const copy = (p: OosPage): OosPage => {
      let c = pages.get(p);
      if (!c) {
        c = new OosPage(p.id);
        c.mem.set(p.mem);
        pages.set(p, c);
      }
      return c;
    };
    pool.made = this.made;
    pool.free = this.free.map(copy);
    for (const p of this.inUse) pool.inUse.push(copy(p));
    return { pool, pages };
  }
}
