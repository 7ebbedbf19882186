// Kernel hazards as they happen (use-after-free, dangling records, DMA leaks, undefined behaviour):
// a count and the distinct kinds since the driver last asked, kept whether or not a tracer
// listens, so a scenario's `expect hazard` and the debugger's kernel-hazard stop work in every mode.

import type { HazardKind } from './events';

export class HazardLog {
  /** Hazards since the machine was built. */
  total = 0;
  /** The distinct kinds since the last mark(), first seen first: bounded by the kinds there are, however many hazards a statement raises. */
  private recent: HazardKind[] = [];

  record(kind: HazardKind): void {
    this.total++;
    if (!this.recent.includes(kind)) this.recent.push(kind);
  }

  /** Starts a fresh list of recent kinds for the statement about to act (no new array when there were none: it runs before every statement that acts). */
  mark(): void {
    if (this.recent.length !== 0) this.recent = [];
  }

  since(): readonly HazardKind[] {
    return this.recent;
  }

  cloneInto(copy: HazardLog): void {
    copy.total = this.total;
    copy.recent = this.recent.slice();
  }
}
