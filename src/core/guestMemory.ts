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
  /**
   * The last page looked up (the trap path touches one page-table page several times per store).
   * Valid for reads whatever its generation: a page shared with a snapshot is never written, since
   * both sides copy it first, and `pages` changes only in writable(), which refreshes this.
   */
  private lastGfn = -1;
  private lastPage: Page | undefined;

  /** sizeBytes / PAGE_SIZE, computed once: every DMA map asks (through the memslot check). */
  readonly pageCount: number;

  /** Called when a page comes into existence (the run's budget of guest pages counts them). */
  onNewPage: (() => void) | null = null;
  /** Called when a page shared with a snapshot is copied before a write (what history costs). */
  onCopiedPage: (() => void) | null = null;

  constructor(readonly sizeBytes: number, pages?: Map<number, Page>) {
    this.pages = pages ?? new Map();
    this.pageCount = sizeBytes / PAGE_SIZE;
  }

  /** Pages that exist (were written). */
  get touched(): number {
    return this.pages.size;
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

  /** The page of gfn if it exists (through the one-page cache). */
  private page(gfn: number): Page | undefined {
    if (gfn === this.lastGfn) return this.lastPage;
    const page = this.pages.get(gfn);
    this.lastGfn = gfn;
    this.lastPage = page;
    return page;
  }

  private writable(gfn: number): Page {
    const page = this.page(gfn);
    return page !== undefined && page.gen === this.gen ? page : this.ownPage(gfn, page);
  }

  /** A page this memory owns: new (zeroed) or copied from one shared with a snapshot. */
  private ownPage(gfn: number, shared: Page | undefined): Page {
    if (shared === undefined) this.onNewPage?.();
    else this.onCopiedPage?.();
    const buf = shared === undefined ? new ArrayBuffer(PAGE_SIZE) : shared.bytes.slice().buffer;
    const page = { bytes: new Uint8Array(buf), words: new Uint32Array(buf), gen: this.gen };
    this.pages.set(gfn, page);
    this.lastGfn = gfn;
    this.lastPage = page;
    return page;
  }

  /** Writes bytes that lie within one page (the caller splits at page boundaries). */
  writeInPage(at: Gpa, data: Uint8Array): void {
    const gfn = Math.floor(at / PAGE_SIZE);
    const off = at - gfn * PAGE_SIZE;
    const page = this.writable(gfn);
    if (data.length === 8 && (off & 3) === 0) {
      // An aligned 8-byte store (a GTT entry): two word writes instead of a TypedArray.set call.
      const w = off >>> 2;
      page.words[w] = data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24);
      page.words[w + 1] = data[4] | (data[5] << 8) | (data[6] << 16) | (data[7] << 24);
    } else {
      page.bytes.set(data, off);
    }
  }

  /** Fills one whole page with zeroes. */
  zeroPage(gfn: Gfn): void {
    if (this.page(gfn)) this.writable(gfn).bytes.fill(0);
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

  /** A page as 1024 little-endian words, for reading entries (undefined: never written, all zero). */
  pageWords(gfn: Gfn): Uint32Array | undefined {
    return this.page(gfn)?.words;
  }

  /** Low and high 32 bits of the 8-byte entry at an 8-aligned gpa. */
  readEntryLo(at: Gpa): number {
    const gfn = Math.floor(at / PAGE_SIZE);
    const page = this.page(gfn);
    return page ? page.words[(at - gfn * PAGE_SIZE) >>> 2] : 0;
  }

  readEntryHi(at: Gpa): number {
    const gfn = Math.floor(at / PAGE_SIZE);
    const page = this.page(gfn);
    return page ? page.words[((at - gfn * PAGE_SIZE) >>> 2) + 1] : 0;
  }

  readU64(at: Gpa): bigint {
    const b = this.readBytes(at, 8);
    return new DataView(b.buffer).getBigUint64(0, true);
  }
}
