// The global pool of out-of-sync pages (gvt->gtt.oos_page_free_list_head / _use_list_head).
// Built only when out-of-sync is enabled; 8192 pages (preallocated_oos_pages) of 4 KiB snapshots.

export const PREALLOCATED_OOS_PAGES = 8192;

/** The vGPU side that holds a page in use: evicting the page syncs it back through it (the pool is global). */
export interface OosPageUser<S> {
  evict(page: OosPage<S>): number;
}

/** S: the shadow page table type (the pool knows nothing of it). */
export class OosPage<S> {
  spt: S | null = null;
  user: OosPageUser<S> | null = null;
  /** A snapshot of the guest page: 512 entries as (lo, hi) pairs. */
  mem = new Uint32Array(1024);
  constructor(readonly id: number) {}
}

export class OosPool<S> {
  /** Free list, head first. Pages are made lazily so an unused pool costs nothing. */
  private free: OosPage<S>[] = [];
  private made = 0;
  /** In-use list, oldest first. */
  readonly inUse: OosPage<S>[] = [];

  constructor(readonly capacity = PREALLOCATED_OOS_PAGES) {}

  get freeCount(): number {
    return this.capacity - this.inUse.length;
  }

  takeFree(): OosPage<S> | undefined {
    const p = this.free.shift();
    if (p) return p;
    if (this.made < this.capacity) return new OosPage<S>(this.made++);
    return undefined;
  }

  release(p: OosPage<S>): void {
    const i = this.inUse.indexOf(p);
    if (i >= 0) this.inUse.splice(i, 1);
    this.free.push(p);
  }

  use(p: OosPage<S>): void {
    this.inUse.push(p);
  }

  /** A deep copy, with the map from old pages to new ones (spts and users are re-linked by their owners). */
  clone(): { pool: OosPool<S>; pages: Map<OosPage<S>, OosPage<S>> } {
    const pool = new OosPool<S>(this.capacity);
    const pages = new Map<OosPage<S>, OosPage<S>>();
    const copy = (p: OosPage<S>): OosPage<S> => {
      let c = pages.get(p);
      if (!c) {
        c = new OosPage<S>(p.id);
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
