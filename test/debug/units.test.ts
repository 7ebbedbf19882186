// The adapter's pure parts, table-driven: breakpoint names and hit conditions, logpoint
// templates, data-breakpoint ids and memory references, the timeline's replay, the trap log.

import * as assert from 'node:assert/strict';
import { StatementLines, parseDataId, parseGfnBreakpointName, parseHitCondition } from '../../src/debug/breakpoints';
import { numbersOf, parseLogMessage, renderLogMessage } from '../../src/debug/expressions';
import { memoryReference, parseMemoryReference } from '../../src/debug/memory';
import { Timeline } from '../../src/debug/timeline';
import { exportTrace } from '../../src/debug/traceExport';
import { collectTraps } from '../../src/debug/trapLog';
import { VariableViews } from '../../src/debug/variables';
import { loadScenario } from '../../src/dsl/scenario';
import { Interpreter } from '../../src/dsl/interpreter';

describe('debug units', () => {
  it('space-separated operands: `0x1 -1` is refused as ambiguous, not read as one operand 0x1 - 1', () => {
    const lookup = (n: string): number | undefined => (n === 'base' ? 0x40 : undefined);
    assert.deepEqual(numbersOf('0x103 1', 1, 2, lookup, 'U'), [0x103, 1]);
    assert.deepEqual(numbersOf('0x103 - 1', 1, 2, lookup, 'U'), [0x102]);
    assert.deepEqual(numbersOf('0x103-1 2', 1, 2, lookup, 'U'), [0x102, 2]);
    assert.deepEqual(numbersOf('(0x103 -1) (-1 + 2)', 1, 2, lookup, 'U'), [0x102, 1]);
    for (const text of ['0x103 -1', '0x1 +1', 'base -1 * 2', '(base) -1', '0x1 * 2 -1']) {
      const r = numbersOf(text, 1, 2, lookup, 'U');
      assert.equal(typeof r, 'string', text);
      assert.match(r as string, /reads as one operand, a (difference|sum): write it with a space after/, text);
    }
    // One expression only: nothing is ambiguous.
    assert.deepEqual(numbersOf('0x103 -1', 1, 1, lookup, 'U'), [0x102]);
  });

  it('variable references: one per container however often asked; console answers kept for the newest 1,000', () => {
    const v = new VariableViews();
    const scopes = v.scopes({ gfn: 0x40, bytes: 8 }).map((s) => s.variablesReference);
    for (let k = 0; k < 10_000; k++) assert.deepEqual(v.scopes({ gfn: 0x40, bytes: 8 }).map((s) => s.variablesReference), scopes);
    assert.equal(v.ref({ kind: 'trackRow', vgpu: 'vm1', gfn: 7 }), v.ref({ kind: 'trackRow', vgpu: 'vm1', gfn: 7 }));
    assert.notEqual(v.ref({ kind: 'trackRow', vgpu: 'vm1', gfn: 7 }), v.ref({ kind: 'trackRow', vgpu: 'vm1', gfn: 8 }));
    const first = v.ref({ kind: 'list', items: [] });
    let last = first;
    for (let k = 0; k < 1000; k++) last = v.ref({ kind: 'list', items: [] });
    assert.equal(v.get(first), undefined, 'the oldest answer expired');
    assert.ok(v.get(last));
    assert.ok(v.get(scopes[0]), 'state containers stay');
    v.reset();
    assert.equal(v.get(last), undefined, 'a stop forgets them all');
  });

  it('gfn breakpoint names', () => {
    const cases: Array<[string, unknown]> = [
      ['gfn 0x40', { vgpu: undefined, from: 0x40, to: 0x40 }],
      ['gfn 64', { vgpu: undefined, from: 64, to: 64 }],
      ['  gfn 0x1_00 ', { vgpu: undefined, from: 0x100, to: 0x100 }],
      ['gfn 0x100..0x1ff', { vgpu: undefined, from: 0x100, to: 0x1ff }],
      ['vm1 gfn 0x40', { vgpu: 'vm1', from: 0x40, to: 0x40 }],
      ['vm-2 gfn 1..2', { vgpu: 'vm-2', from: 1, to: 2 }],
      ['gfn 0x10 + 2', { vgpu: undefined, from: 0x12, to: 0x12 }],
    ];
    for (const [name, want] of cases) assert.deepEqual(parseGfnBreakpointName(name), want, name);
    for (const bad of ['foo', 'gfn', 'gfn gfn 1', 'gfn x', 'gfn 5..2', 'gfn 1..2..3', 'vm1 gfn', 'gfn 0xffffffffffff']) {
      assert.equal(typeof parseGfnBreakpointName(bad), 'string', bad);
    }
  });

  it('hit conditions', () => {
    const cases: Array<[string, number[]]> = [
      ['3', [3, 4, 5]],
      ['>= 3', [3, 4, 5]],
      ['> 3', [4, 5]],
      ['== 3', [3]],
      ['=3', [3]],
      ['< 3', [1, 2]],
      ['<= 2', [1, 2]],
      ['% 2', [2, 4]],
    ];
    for (const [text, hits] of cases) {
      const t = parseHitCondition(text);
      assert.equal(typeof t, 'function', text);
      assert.deepEqual([1, 2, 3, 4, 5].filter((h) => (t as (n: number) => boolean)(h)), hits, text);
    }
    for (const bad of ['', 'x', '>= x', '% 0', '3 4']) assert.equal(typeof parseHitCondition(bad), 'string', bad);
  });

  it('logpoint templates', () => {
    const t = parseLogMessage('i={i} sum={i + j} {{literal}}');
    assert.notEqual(typeof t, 'string');
    const lookup = (n: string): number | undefined => ({ i: 2, j: 3 })[n];
    assert.equal(renderLogMessage(t as Exclude<typeof t, string>, lookup), 'i=0x2 sum=0x5 {literal}');
    assert.equal(renderLogMessage(parseLogMessage('{nope}') as never, lookup), "<'nope' is not known here>");
    for (const bad of ['{i', '{i +}', '{}']) assert.equal(typeof parseLogMessage(bad), 'string', bad);
  });

  it('data breakpoint ids and memory references round-trip', () => {
    assert.deepEqual(parseDataId('track:vm1:0x40'), { kind: 'track', vgpu: 'vm1', from: 0x40, to: 0x40 });
    assert.deepEqual(parseDataId('mem:vm-2:0x1000:8'), { kind: 'mem', vgpu: 'vm-2', from: 0x1000, to: 0x1007 });
    for (const bad of ['track:vm1:40', 'mem:vm1:0x10:0', 'mem:vm1:0x10', 'x']) assert.equal(parseDataId(bad), undefined, bad);
    for (const [vgpu, space, base, off] of [['vm1', 'gpa', 0x103000, 0], ['vm1', 'spt', 0x100007, 0], ['g', 'spt', 0x100007, 0x18]] as const) {
      const ref = memoryReference(vgpu, space, base, off);
      const a = parseMemoryReference(ref)!;
      assert.equal(a.base + a.offset, base + off, ref);
      assert.equal(a.space, space);
    }
    assert.equal(parseMemoryReference('vm1:gpa:zz'), undefined);
  });

  it('the timeline replays any position exactly (checkpoints, thinning, edits)', () => {
    const text = 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 3000 as i {\n  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i\n}\n';
    const s = loadScenario('t.gvt', text);
    const t = new Timeline(s.program, {}, undefined, 0); // checkpoints every 64 statements, whatever the clock
    const state = (i: Interpreter): string => {
      const v = i.machine.vgpu('vm1');
      return `${i.stepCount}:${v?.traps ?? -1}:${v ? v.memory.readU64(0x40000 as never) : 0}:${i.state.slots.join(',')}`;
    };
    const truth: string[] = [state(t.interp)];
    while (!t.interp.done) {
      t.interp.step();
      t.afterStep();
      truth.push(state(t.interp));
    }
    assert.ok(t.checkpointCount <= 512 && t.checkpointCount > 2);
    for (const pos of [0, 1, 3, 255, 256, 257, 1000, 2999, 3004, 17, 1500]) {
      t.seek(pos);
      assert.equal(state(t.interp), truth[pos], `seek ${pos}`);
    }
    t.seek(100);
    t.addEdit({ description: 'poke', apply: (i) => i.machine.vgpu('vm1')!.memory.writeInPage(0x40000 as never, new Uint8Array([0xaa])) });
    t.seek(50);
    t.seek(100);
    assert.equal(t.interp.machine.vgpu('vm1')!.memory.readBytes(0x40000 as never, 1)[0], 0xaa);
    assert.deepEqual(t.allEdits().map((e) => [e.pos, e.edit.description]), [[100, 'poke']]);
  });

  it('checkpoints are spaced by statement time: the time stopped between steps does not count', () => {
    const text = 'vgpu vm1\nrepeat 1000 as i {\n  write vm1 gpa 0x40000 u8 i\n}\n';
    const realNow = Date.now;
    let clock = 1_000_000;
    Date.now = () => clock;
    try {
      const t = new Timeline(loadScenario('t.gvt', text).program, {}, undefined, 5);
      const step = (): void => {
        t.interp.step();
        t.afterStep();
      };
      // 300 `next`s, each statement instantaneous, a second stopped after each: one checkpoint.
      for (let n = 0; n < 300; n++) {
        step();
        t.idle();
        clock += 1000;
      }
      assert.equal(t.checkpointCount, 1, 'idle time between steps is not statement time');
      // Statements that take 0.1 ms each, run without stopping: 5 ms of them after 50 (position 350).
      for (let n = 0; n < 100; n++) {
        clock += 0.1;
        step();
      }
      assert.equal(t.checkpointCount, 2, 'a checkpoint once the statements since the last took 5 ms');
      assert.deepEqual(t.checkpointPositions(), [0, 384], 'the first look at the clock after 5 ms of statements (at 350) is at 384');
    } finally {
      Date.now = realNow;
    }
  });

  it('a hot loop that calls afterStep only when quietSteps runs out checkpoints where calling it every step does', () => {
    const text = 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 5000 as i {\n  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i\n}\n';
    const every = new Timeline(loadScenario('t.gvt', text).program, {}, undefined, 0);
    while (!every.interp.done) {
      every.interp.step();
      every.afterStep();
    }
    const quiet = new Timeline(loadScenario('t.gvt', text).program, {}, undefined, 0);
    let skipped = 0;
    let left = quiet.quietSteps();
    while (!quiet.interp.done) {
      quiet.interp.step();
      if (left > 0) {
        left--;
        skipped++;
      } else {
        quiet.afterStep();
        left = quiet.quietSteps();
      }
      if (quiet.position === 2000) quiet.reached(quiet.position);
    }
    quiet.reached(quiet.position);
    assert.ok(skipped > 4000, `most statements skipped afterStep (${skipped})`);
    assert.deepEqual(quiet.checkpointPositions(), every.checkpointPositions());
    assert.equal(quiet.furthest, every.furthest);
    quiet.seek(100);
    quiet.addEdit({ description: 'poke', apply: (i) => i.machine.vgpu('vm1')!.memory.writeInPage(0x40000 as never, new Uint8Array([0xaa])) });
    assert.equal(quiet.quietSteps(), 0, 'with an edit recorded, every statement goes through afterStep (it may have one to apply)');
  });

  it('the trap log is found by replay: exact, newest last, filtered by vGPU', () => {
    const text = 'vgpu vm1\nvgpu vm2\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nregister vm2 gfn 0x41 handler log\nenable vm2 gfn 0x41\nrepeat 3000 as i {\n  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i\n  write vm2 gpa 0x41000 u8 i\n}\n';
    const s = loadScenario('t.gvt', text);
    const t = new Timeline(s.program);
    while (!t.interp.done) {
      t.interp.step();
      t.afterStep();
    }
    const scratch = new Interpreter(s.program);
    const index = new StatementLines(s);
    const all = collectTraps(t, scratch, index, t.position, 5);
    assert.deepEqual(all.map((e) => [e.vgpu, e.line]), [['vm2', 9], ['vm1', 8], ['vm2', 9], ['vm1', 8], ['vm2', 9]]);
    assert.equal(all[4].step, t.position - 1);
    const vm1 = collectTraps(t, scratch, index, 2000, 3, 'vm1');
    // vm1's writes are statements 7 + 2i; the last before position 2000 is i = 996.
    assert.deepEqual(vm1.map((e) => e.gpa), [994, 995, 996].map((i) => 0x40000 + (i % 512) * 8));
    assert.equal(collectTraps(t, scratch, index, t.position, 5000).length, 5000);
  });
});

describe('debug units: text parsed from clients stays linear', () => {
  it('hit conditions, gfn breakpoint names: long runs of spaces are read (and refused) at once', () => {
    const spaces = ' '.repeat(100_000);
    assert.equal(typeof parseHitCondition(`${spaces}x`), 'string');
    assert.equal(typeof parseHitCondition(`>=${spaces}3${spaces}`), 'function');
    assert.equal(typeof parseGfnBreakpointName(`gfn 1${spaces}x`), 'string');
    assert.deepEqual(parseGfnBreakpointName(`${spaces}vm1 gfn 0x40..0x41${spaces}`), { vgpu: 'vm1', from: 0x40, to: 0x41 });
  });
});

describe('debug units: exported traces', () => {
  it('a trace too long to be one string is refused with a message, not an internal error', () => {
    const s = loadScenario('t.gvt', 'repeat 100 as i {\n  print i\n}\n');
    const tl = new Timeline(s.program);
    const whole = exportTrace(tl, s, 1000, 1_000_000);
    assert.equal(typeof whole, 'object');
    const r = exportTrace(tl, s, 1000, 1_000_000, 2000);
    assert.match(r as string, /longer than 2000 characters, more than one file can be made of here/);
  });
});
