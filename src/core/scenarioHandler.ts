// Handlers a scenario declares (`handler NAME returns CODE`) and the built-in `log`: each records
// the call (per-vGPU counts, and a handler-call trace event) and returns its fixed code.

import type { Gpa } from './address';
import type { PageTrackRecord, PageTrackTable, TrackHandler } from './pageTrackTable';

export class ScenarioHandler implements TrackHandler {
  constructor(readonly name: string, readonly returns: number) {}

  handle(table: PageTrackTable, _rec: PageTrackRecord, at: Gpa, _data: Uint8Array, bytes: number): number {
    const t = table.vgpu.tracer;
    t?.enter('scenario_handler', { handler: this.name, gpa: at, bytes });
    table.handlerCalls.set(this.name, (table.handlerCalls.get(this.name) ?? 0) + 1);
    t?.note({ kind: 'handler-call', vgpu: table.vgpu.name, handler: this.name, gpa: at, bytes, ret: this.returns });
    t?.leave('scenario_handler', this.returns);
    return this.returns;
  }
}

export const LOG_HANDLER = new ScenarioHandler('log', 0);
