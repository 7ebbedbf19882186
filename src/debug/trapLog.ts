// The most recent trapped stores, by timeline position (gvt/trapLog). A bounded ring: cheap to keep
// on during a million-trap run. Going back in time drops the entries of statements not yet run
// again; replaying them forward for real adds them back.

import type { TrapRecordState } from '../core';
import type { TrapLogEntry } from './protocol';

export const TRAP_LOG_SIZE = 2000;

export class TrapLog {
  private readonly ring: TrapLogEntry[] = [];
  private head = 0; // index of the oldest entry once the ring is full

  push(step: number, line: number, vgpu: string, gpa: number, bytes: number, record: TrapRecordState): void {
    const e: TrapLogEntry = { step, line, vgpu, gpa, gfn: Math.floor(gpa / 4096), bytes, record };
    if (this.ring.length < TRAP_LOG_SIZE) this.ring.push(e);
    else {
      this.ring[this.head] = e;
      this.head = (this.head + 1) % TRAP_LOG_SIZE;
    }
  }

  /** Entries in time order. */
  entries(): TrapLogEntry[] {
    return this.ring.length < TRAP_LOG_SIZE ? this.ring.slice() : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  /** Drops entries of statements at or after `step` (they have not happened at this position). */
  truncate(step: number): void {
    const n = this.ring.length;
    if (n === 0 || this.ring[(this.head + n - 1) % n].step < step) return;
    const kept = this.entries().filter((e) => e.step < step);
    this.ring.length = 0;
    this.ring.push(...kept);
    this.head = 0;
  }

  clear(): void {
    this.ring.length = 0;
    this.head = 0;
  }
}
