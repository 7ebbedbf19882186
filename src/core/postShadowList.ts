// vgpu->gtt.post_shadow_list_head: the spts whose 4-byte writes wait for the flush, in the order
// they were queued. Linked as the kernel's list is, so queueing, removal and "the one after"
// (list_for_each_safe's cached next) cost the same however long the list: an array's indexOf and
// filter made a flush of 60,000 queued tables take 36 s.

import type { Spt } from './spt';

interface Link {
  readonly spt: Spt;
  prev: Link | null;
  next: Link | null;
}

export class PostShadowList implements Iterable<Spt> {
  private readonly links = new Map<Spt, Link>();
  private head: Link | null = null;
  private tail: Link | null = null;

  get length(): number {
    return this.links.size;
  }

  get first(): Spt | undefined {
    return this.head?.spt;
  }

  /** list_add_tail (a queued spt is not queued again). */
  push(spt: Spt): void {
    if (this.links.has(spt)) return;
    const link: Link = { spt, prev: this.tail, next: null };
    if (this.tail) this.tail.next = link;
    else this.head = link;
    this.tail = link;
    this.links.set(spt, link);
  }

  /** list_del_init. */
  remove(spt: Spt): void {
    const link = this.links.get(spt);
    if (!link) return;
    if (link.prev) link.prev.next = link.next;
    else this.head = link.next;
    if (link.next) link.next.prev = link.prev;
    else this.tail = link.prev;
    this.links.delete(spt);
  }

  /** The spt queued after `spt` (undefined at the end, or when `spt` is not queued). */
  after(spt: Spt): Spt | undefined {
    return this.links.get(spt)?.next?.spt;
  }

  clear(): void {
    this.links.clear();
    this.head = null;
    this.tail = null;
  }

  *[Symbol.iterator](): Iterator<Spt> {
    for (let l = this.head; l; l = l.next) yield l.spt;
  }
}
