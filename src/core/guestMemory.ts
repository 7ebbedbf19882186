// Sparse guest physical memory: only pages that were touched exist (a 2G guest costs the pages
// written). Pages are copy-on-write between snapshots, so a snapshot is a shallow map copy.
// Little-endian, as on x86.

import { PAGE_SIZE, type Gfn, type Gpa } from './address';

interface Page {
  bytes: Uint8Array;
  words: Uint32Array; // the same buffer, for 8-byte entry reads
  gen: number; // the generation that owns this page; older ones are shared with a snapshot
}

let nextGeneration = 1;

export class GuestMemory {
  private pages: Map<number, Page>;
  private gen = nextGeneration++;

  constructor(readonly sizeBytes: number, pages?: Map<number, Page>) {
    this.pages = pages ?? new Map();
  }

  get pageCount(): number {
    return this.sizeBytes / PAGE_SIZE;
  }

  contains(gfn: Gfn): boolean {
    return gfn >= 0 && gfn < this.pageCount;
  }

  /** gfns of the pages that exist (were written), ascending. */
  touchedGfns(): Gfn[] {
    return [...this.pages.keys()].sort((a, b) => a - b) as Gfn[];
  }

  /** A copy-on-write clone: both sides copy a page before their next write to it. */
  clone(): GuestMemory {
    const copy = new GuestMemory(this.sizeBytes, new Map(this.pages));
    this.gen = nextGeneration++;
    return copy;
  }

  private writable(gfn: number): Page {
    let page = this.pages.get(gfn);
    if (page === undefined) {
      const buf = new ArrayBuffer(PAGE_SIZE);
      page = { bytes: new Uint8Array(buf), words: new Uint32Array(buf), gen: this.gen };
      this.pages.set(gfn, page);
    } else if (page.gen !== this.gen) {
      const buf = page.bytes.slice().buffer;
      page = { bytes: new Uint8Array(buf), words: new Uint32Array(buf), gen: this.gen };
      this.pages.set(gfn, page);
    }
    return page;
  }

  /** Writes bytes that lie within one page (the caller splits at page boundaries). */
  writeInPage(at: Gpa, data: Uint8Array): void {
    const gfn = Math.floor(at / PAGE_SIZE);
    this.writable(gfn).bytes.set(data, at - gfn * PAGE_SIZE);
  }

  /** Fills one whole page with zeroes. */
  zeroPage(gfn: Gfn): void {
    if (this.pages.has(gfn)) this.writable(gfn).bytes.fill(0);
  }

  readBytes(at: Gpa, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const a = at + done;
      const gfn = Math.floor(a / PAGE_SIZE);
      const off = a - gfn * PAGE_SIZE;
      const n = Math.min(length - done, PAGE_SIZE - off);
      const page = this.pages.get(gfn);
      if (page) out.set(page.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Low and high 32 bits of the 8-byte entry at an 8-aligned gpa. */
  readEntryLo(at: Gpa): number {
    const gfn = Math.floor(at / PAGE_SIZE);
    const page = this.pages.get(gfn);
    return page ? page.words[(at - gfn * PAGE_SIZE) >>> 2] : 0;
  }

  readEntryHi(at: Gpa): number {
    const gfn = Math.floor(at / PAGE_SIZE);
    const page = this.pages.get(gfn);
    return page ? page.words[((at - gfn * PAGE_SIZE) >>> 2) + 1] : 0;
  }

  readU64(at: Gpa): bigint {
    const b = this.readBytes(at, 8);
    return new DataView(b.buffer).getBigUint64(0, true);
  }
}
