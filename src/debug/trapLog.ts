// gvt/trapLog: the most recent trapped stores before a timeline position, found when asked by
// replaying the history into a scratch interpreter with a trap observer, newest checkpoint
// segment first, until enough traps are found. Nothing is kept while the scenario runs, so a
// million-trap continue pays nothing for it, and the log is exact after any step back or edit.

import { errnoName } from '../core';
import type { StatementLines } from './breakpoints';
import type { Interpreter } from '../dsl/interpreter';
import type { TrapLogEntry } from './protocol';
import type { Timeline } from './timeline';

/** At most this many entries per request. */
export const TRAP_LOG_SIZE = 2000;
/** Statements replayed at most to answer one request (older traps are left out). */
const MAX_REPLAY = 2_000_000;

export function collectTraps(timeline: Timeline, scratch: Interpreter, index: StatementLines, pos: number, last: number, vgpu?: string): TrapLogEntry[] {
  const cps = timeline.checkpointPositions().filter((c) => c < pos);
  let found: TrapLogEntry[] = [];
  let replayed = 0;
  for (let i = cps.length - 1; i >= 0 && found.length < last && replayed < MAX_REPLAY; i--) {
    const from = cps[i];
    const to = i === cps.length - 1 ? pos : cps[i + 1];
    const segment: TrapLogEntry[] = [];
    timeline.replayRange(scratch, from, to, (v, at, bytes) => {
      if (vgpu !== undefined && v.name !== vgpu) return;
      const stmt = scratch.current();
      const gfn = Math.floor(at / 4096);
      const handler = v.pageTrack.find(gfn as never)?.handler.name;
      const entry: TrapLogEntry = { step: scratch.stepCount - 1, line: stmt ? (index.lineOf.get(stmt) ?? 0) + 1 : 0, vgpu: v.name, gpa: at, gfn, bytes, record: v.trapRecordState(gfn), ...(handler ? { handler } : {}) };
      segment.push(entry);
      return (ret: number) => {
        entry.result = ret;
        entry.resultText = errnoName(ret);
      };
    });
    replayed += to - from;
    found = segment.concat(found);
  }
  return found.slice(-last);
}
