// The interpreter: statements drive the core as the language reference says, loops and names
// work, the pc walks repeat bodies one statement at a time, and snapshots restore exactly.
import * as assert from 'node:assert/strict';
import { Interpreter } from '../../src/dsl/interpreter';
import { loadScenario } from '../../src/dsl/scenario';
import { DEFAULT_RUN_LIMITS } from '../../src/dsl/limits';
import type { ScenarioEvent } from '../../src/dsl/scenarioEvents';
import type { Stmt } from '../../src/dsl/ast';

function load(text: string): Interpreter {
  const s = loadScenario('t.gvt', text);
  const errors = s.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'scenario has no errors');
  return new Interpreter(s.program);
}

function run(text: string): { interp: Interpreter; events: ScenarioEvent[] } {
  const interp = load(text);
  const events: ScenarioEvent[] = [];
  interp.setListener((e) => events.push(e), true);
  interp.run();
  return { interp, events };
}

const failed = (events: ScenarioEvent[]): string[] => events.flatMap((e) => (e.kind === 'expect' && !e.ok ? [e.message] : []));

describe('Interpreter', () => {
  it('sets ret from page-track calls and checks it with expect', () => {
    const { events, interp } = run('vgpu vm1\nregister vm1 gfn 1 handler log\nexpect ret == 0\nregister vm1 gfn 1 handler log\nexpect ret == -EEXIST\nexpect ret == -17\n');
    assert.deepEqual(failed(events), []);
    assert.equal(interp.state.expectsPassed, 3);
  });

  it('expect hazard sees every kind a statement raised, however many hazards came first (65 dma-leaks, then a dangling record)', () => {
    const { events } = run(`vgpu vm1 memory 1G
write vm1 gpa 0x10000 u64 0x11003
write vm1 gpa 0x11000 u64 0x0003
repeat 65 as k {
  write vm1 gpa k * 8 u64 ((0x1000 + k * 0x200) << 12) | 0x83
}
shadow vm1 root 0x10
expect ret == 0
unshadow vm1 root 0x10
expect hazard dma-leak
expect hazard dangling-record
`);
    assert.deepEqual(failed(events), []);
  });

  it('a runtime error quoting a long name cuts it as diagnostics do', () => {
    const name = 'w'.repeat(100_000);
    const interp = new Interpreter(loadScenario('t.gvt', `vgpu a\nvgpu ${name}\n`).program, { limits: { ...DEFAULT_RUN_LIMITS, vgpus: 1 } });
    interp.run();
    assert.match(interp.error!.message, /^vGPU 'w{40}… \(100000 characters\)' not created/);
    assert.ok(interp.error!.message.length < 400, interp.error!.message);
  });

  it('memslot removals stop at 100,000 separate ranges with an error at the statement; one that merges still runs', () => {
    const { interp, events } = run(`vgpu vm1 memory 1G
repeat 100000 as i {
  memslot vm1 remove gfn (2 * i)..(2 * i)
}
memslot vm1 remove gfn 1..1
expect ret == 0
memslot vm1 remove gfn 250000..250000
expect ret == 0
memslot vm1 remove gfn 250002..250002
`);
    assert.deepEqual(failed(events), []);
    assert.equal(interp.error?.message, "vGPU 'vm1': more than 100000 separate removed memslot ranges");
  });

  it('reports a failed expect and goes on', () => {
    const { events, interp } = run('vgpu vm1\nexpect ret == -ENXIO\nfind vm1 gfn 3\nexpect ret == -ENXIO\n');
    assert.deepEqual(failed(events), ['expected ret == -ENXIO, got 0']);
    assert.equal(interp.state.expectsPassed, 1);
    assert.equal(interp.done, true);
  });

  it('runs repeat bodies with the loop name bound, nested, with let and 64-bit expressions', () => {
    const { events } = run([
      'vgpu vm1',
      'let base = 0x2000',
      'repeat 3 as i {',
      '  repeat 2 as j {',
      '    write vm1 gpa base + (i*2 + j)*8 u64 0xFFFF_FFFF_FFFF_FFFF - i',
      '  }',
      '}',
      'expect vm1 gpa 0x2028 u64 == 0xFFFF_FFFF_FFFF_FFFD',
      'expect vm1 gpa 0x2000 u64 == 0xFFFF_FFFF_FFFF_FFFF',
      'print 1 << 63',
    ].join('\n'));
    assert.deepEqual(failed(events), []);
    const p = events.find((e) => e.kind === 'print');
    assert.ok(p && p.kind === 'print' && p.value === 1n << 63n);
  });

  it('steps one statement at a time, one body line per iteration', () => {
    const interp = load('vgpu vm1\nrepeat 2 as i {\n  write vm1 gpa i*8 u8 1\n  write vm1 gpa i*8+1 u8 2\n}\nfind vm1 gfn 0\n');
    const lines: number[] = [];
    const text = 'vgpu vm1\nrepeat 2 as i {\n  write vm1 gpa i*8 u8 1\n  write vm1 gpa i*8+1 u8 2\n}\nfind vm1 gfn 0\n';
    const lineOf = (s: Stmt): number => text.slice(0, s.start).split('\n').length;
    while (!interp.done) lines.push(lineOf(interp.step()!));
    assert.deepEqual(lines, [1, 2, 3, 4, 3, 4, 6]);
    assert.equal(interp.stepCount, 7);
  });

  it('repeat 0 skips its body', () => {
    const { interp } = run('vgpu vm1\nrepeat 0 {\n  write vm1 gpa 0 u8 1\n}\nexpect vm1 gpa 0 u8 == 0\n');
    assert.equal(interp.state.expectsFailed, 0);
  });

  it('an empty repeat body is one statement however many times it repeats; a body that is one counts each time against the statements limit', () => {
    const text = 'vgpu vm1\nrepeat 0x100000000 as i {\n}\nprint 1\n';
    const { interp } = run(text);
    assert.equal(interp.stepCount, 3);
    assert.equal(interp.error, undefined);
    // Its name ends at the last iteration, as walking the iterations left it.
    assert.equal(interp.variables().find((v) => v.name === 'i')?.value, 0xffffffff);
    const s = loadScenario('t.gvt', 'repeat 0x100000000 {\n  repeat 0x100000000 {\n  }\n}\n');
    const nested = new Interpreter(s.program, { limits: { ...DEFAULT_RUN_LIMITS, statements: 1000 } });
    nested.run();
    assert.equal(nested.stepCount, 1000);
    assert.match(nested.error?.message ?? '', /statements/);
  });

  it('a va beyond 48 bits computed at run time is a runtime error for map, unmap, gpu read and expect gpu (it unmapped va 0 before)', () => {
    for (const stmt of ['map vm1 va x gfn 0x800', 'unmap vm1 va x', 'gpu vm1 read va x', 'expect gpu vm1 va x fault']) {
      const s = loadScenario('t.gvt', `vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nmap vm1 va 0 gfn 0x800\nshadow vm1 root 0x100\nlet x = 1 << 48\n${stmt}\n`);
      const interp = new Interpreter(s.program);
      interp.run();
      assert.match(interp.error?.message ?? '', /va 0x1000000000000 is beyond the 48-bit PPGTT/, stmt);
      assert.equal(interp.stepCount, 6, stmt);
    }
  });

  it('a guest table pointing back into itself leads the GPU to GVT\'s own shadow table page: said so, not "unpinned"', () => {
    const { events } = run('vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nmap vm1 va 0x0 gfn 0x800\nwrite vm1 gpa 0x100008 u64 0x100003\nshadow vm1 root 0x100\ngpu vm1 read va 0x8000000000\n');
    const gpu = events.find((e) => e.kind === 'gpu');
    assert.ok(gpu && gpu.kind === 'gpu');
    const o = gpu.walk.outcome;
    assert.ok(o.kind === 'page' && o.hostTable === true && o.unpinned === undefined && o.gfn === undefined, JSON.stringify(o));
  });

  it('traps only on protected pages and tells the handler the original gpa', () => {
    const { events } = run('vgpu vm1\nhandler h returns -EFAULT\nregister vm1 gfn 0x40 handler h\nenable vm1 gfn 0x40\nwrite vm1 gpa 0x40ff8 u64 5\nexpect trap\nexpect ret == -EFAULT\nwrite vm1 gpa 0x41000 u64 5\nexpect no trap\nexpect ret == 0\nexpect vm1 traps == 1\n');
    assert.deepEqual(failed(events), []);
    const call = events.find((e) => e.kind === 'core' && e.event.kind === 'handler-call');
    assert.ok(call && call.kind === 'core' && call.event.kind === 'handler-call' && call.event.gpa === 0x40ff8 && call.event.bytes === 8);
  });

  it('reports kernel frames in call order for a trapped PTE write', () => {
    const { events } = run('vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nmap vm1 va 0 gfn 0x800\nshadow vm1 root 0x100\nmap vm1 va 0x1000 gfn 0x801\n');
    const last = events.filter((e) => e.kind === 'enter' && e.stmt.kind === 'map').map((e) => (e.kind === 'enter' ? e.fn : ''));
    const i = last.indexOf('kvmgt_page_track_write');
    assert.deepEqual(last.slice(i, i + 6), [
      'kvmgt_page_track_write', 'intel_vgpu_page_track_handler', 'ppgtt_write_protection_handler',
      'ppgtt_handle_guest_write_page_table_bytes', 'ppgtt_handle_guest_write_page_table', 'ppgtt_handle_guest_entry_add',
    ]);
  });

  it('stops at a runtime error with its span', () => {
    const { interp, events } = run('vgpu vm1\nrepeat 2 as z {\n  print 1 / z\n}\nprint 2\n');
    assert.ok(interp.error);
    assert.match(interp.error.message, /division by zero/i);
    assert.equal(events.filter((e) => e.kind === 'print').length, 0);
  });

  it('applies the kernel profile of the first line, and the launch override wins', () => {
    assert.equal(run('kernel legacy\nvgpu vm1\n').interp.machine.profile, 'legacy');
    const s = loadScenario('t.gvt', 'kernel legacy\nvgpu vm1\n');
    const i = new Interpreter(s.program, { profile: 'newest' });
    i.run();
    assert.equal(i.machine.profile, 'newest');
  });

  it('snapshot and restore give back the exact state, and replay is deterministic', () => {
    const text = 'vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nmap vm1 va 0 gfn 0x800\nshadow vm1 root 0x100\nrepeat 4 as i {\n  map vm1 va 0x1000 * (i + 1) gfn 0x900 + i\n}\nunmap vm1 va 0x2000\n';
    const a = load(text);
    a.run(4);
    const snap = a.snapshot();
    a.run();
    const endTraps = a.machine.vgpu('vm1')!.traps;
    const endRecords = a.machine.vgpu('vm1')!.pageTrack.size;
    a.restore(snap);
    assert.equal(a.stepCount, 4);
    assert.equal(a.machine.vgpu('vm1')!.traps, 0);
    a.run();
    assert.equal(a.machine.vgpu('vm1')!.traps, endTraps);
    assert.equal(a.machine.vgpu('vm1')!.pageTrack.size, endRecords);
    assert.equal(a.done, true);
  });
});
