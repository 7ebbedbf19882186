// Completion (src/dsl/features/completion.ts): one line a case, source with the cursor `¦` →
// labels that must be offered (and, where it matters, labels that must not).

import { strict as assert } from 'node:assert';
import { analyze } from '../../src/dsl/features/analysis';
import { complete } from '../../src/dsl/features/completion';
import { plainOf } from '../../src/dsl/features/snippets';
import { cursor } from './cursor';

const P = 'vgpu vm1\nvgpu vm2\nhandler audit returns -EEXIST\nlet base = 0x1000\n';

function labels(src: string): string[] {
  const { text, offset } = cursor(src);
  return complete(analyze(text), offset).items.map((i) => i.label);
}

describe('server features: completion', () => {
  const cases: [string, string[], string[]][] = [
    // [source, must include, must not include]
    ['¦', ['vgpu', 'register', 'expect ret ==', 'shadow a 4-level PPGTT', 'repeat block'], ['vm1']],
    [P + 'reg¦', ['register', 'unregister'], []],
    [P + '¦', ['platform', 'ips', 'backing', 'dispatch'], []],
    [P + 'platform ¦', ['gen8', 'gen9', 'gen11'], ['vm1']],
    [P + 'backing vm1 gfn 1..2 ¦', ['huge', 'contiguous', 'scattered'], []],
    [P + 'shadow vm1 ¦', ['root', 'pdps'], []],
    [P + 'expect vm1 ¦', ['gfn', 'gpa', 'traps', 'mm', 'dma'], []],
    [P + 'expect vm1 gfn 1 ¦', ['stale', 'tracked'], []],
    [P + 'expect hazard ¦', ['use-after-free', 'dma-remap'], []],
    [P + 'repeat 2 {\n  ¦\n}', ['write', 'expect trap'], []],
    [P + 'write ¦', ['vm1', 'vm2'], ['audit', 'base', 'u64']],
    [P + 'write v¦', ['vm1', 'vm2'], []],
    [P + 'write vm1 ¦', ['gpa'], ['vm1']],
    [P + 'write vm1 gpa 0x10 ¦', ['u8', 'u16', 'u32', 'u64', 'bytes'], ['vm1']],
    [P + 'write vm1 gpa base + 8 ¦', ['u64', 'bytes'], []],
    [P + 'write vm1 gpa ¦', ['base'], ['u64', 'vm1']],
    [P + 'write vm1 gpa base + ¦', ['base'], ['u64']],
    [P + 'write vm1 gpa (base ¦', [], ['u64']],
    [P + 'expect ¦', ['ret', 'trap', 'no trap', 'gpu', 'vm1', 'vm2'], ['audit']],
    [P + 'expect ret == ¦', ['0', '-EEXIST', '-ENXIO', '-EINVAL', '-ESRCH', '-ENOMEM', '-EFAULT', 'base'], ['vm1']],
    [P + 'expect ret == -¦', ['-EEXIST'], ['0']],
    [P + 'expect ret == -EN¦', ['-ENXIO', '-ENOMEM'], []],
    [P + 'handler h2 returns ¦', ['0', '-EINVAL'], []],
    [P + 'handler ¦', [], ['audit', 'log']],
    [P + 'register vm1 gfn 1 handler ¦', ['audit', 'log'], ['ppgtt', 'vm1']],
    [P + 'register vm1 gfn 1 handler log ¦', ['priv'], []],
    [P + 'register vm1 gfn 1 ¦', ['handler'], []],
    [P + 'expect vm1 ¦', ['gfn', 'gpa', 'traps'], []],
    [P + 'expect vm1 gfn 3 ¦', ['tracked', 'untracked', 'registered', 'unregistered'], []],
    [P + 'expect vm1 gpa 8 u64 ¦', ['=='], []],
    [P + 'expect gpu vm1 va 0 ¦', ['->', 'fault', 'scratch'], []],
    [P + 'expect gpu ¦', ['vm1', 'vm2'], ['gfn', 'traps']],
    ['vgpu gpu\nexpect gpu ¦', ['gpu', 'gfn', 'traps'], []], // a vGPU called gpu: both readings
    [P + 'expect gpu vm1 va 0 -> ¦', ['gfn'], []],
    [P + 'map vm1 va 0 gfn 0x800 ¦', ['size'], []],
    [P + 'map vm1 va 0 gfn 0x800 size ¦', ['4K', '64K', '2M', '1G'], []],
    [P + 'kernel ¦', ['newest', 'legacy'], []],
    [P + 'oos vm1 ¦', ['on', 'off'], []],
    [P + 'vgpu vm3 ¦', ['memory'], []],
    [P + 'vgpu vm3 memory ¦', ['64M', 'base'], []],
    [P + 'repeat 4 as i {\n  write vm1 gpa base + ¦\n}', ['i', 'base'], []],
    [P + 'repeat 4 as i {\n}\nprint ¦', ['base'], ['i']],
    [P + 'let x = 1\nprint ¦', ['x', 'base'], []],
    [P + 'gpu vm1 ¦', ['read'], []],
    [P + 'memslot vm1 ¦', ['remove'], []],
    [P + 'pagetable vm1 root 0x100 ¦', ['pool'], []],
    // no completion in comments, strings, after a full statement, or on an unknown statement
    [P + '# write ¦', [], ['vm1', 'register']],
    [P + 'register vm1 gfn 1 handler log priv "a ¦', [], ['priv', 'vm1']],
    [P + 'submit vm1 ¦', [], ['vm1', 'register']],
    [P + 'frobnicate ¦', [], ['vm1']],
    [P + '}¦', [], ['register']],
  ];
  for (const [src, yes, no] of cases) {
    it(JSON.stringify(src.startsWith(P) ? src.slice(P.length) : src), () => {
      const got = labels(src);
      for (const y of yes) assert.ok(got.includes(y), `expected '${y}' in ${JSON.stringify(got)}`);
      for (const n of no) assert.ok(!got.includes(n), `did not expect '${n}' in ${JSON.stringify(got)}`);
    });
  }

  it('offers every name when 150,000 are visible (no spread of the list onto the call stack)', () => {
    const names = Array.from({ length: 150_000 }, (_, i) => `let v${i} = 1`).join('\n');
    const got = labels(`${names}\nlet w = v1 + ¦`);
    assert.ok(got.includes('v0') && got.includes('v149999'), `${got.length} items`);
  });

  it('replaces the word being typed, and an errno after a typed minus keeps the minus', () => {
    const { text, offset } = cursor(P + 'write vm¦');
    const r = complete(analyze(text), offset);
    assert.deepEqual(r.replace, { start: offset - 2, end: offset });
    const e = cursor(P + 'expect ret == -EE¦');
    const r2 = complete(analyze(e.text), e.offset);
    const item = r2.items.find((i) => i.label === '-EEXIST')!;
    assert.equal(item.insertText, 'EEXIST');
    assert.deepEqual(r2.replace, { start: e.offset - 2, end: e.offset });
  });

  it('statement snippets use the last vGPU defined before the cursor', () => {
    const { text, offset } = cursor(P + '¦');
    const reg = complete(analyze(text), offset).items.find((i) => i.label === 'register')!;
    assert.equal(reg.snippet, true);
    assert.equal(reg.insertText, 'register ${1:vm2} gfn ${2:0x100} handler ${3:log}');
    assert.equal(reg.plainText, 'register vm2 gfn 0x100 handler log');
  });

  it('the "shadow a 4-level PPGTT" block parses and checks cleanly once filled in', () => {
    const { text, offset } = cursor('¦');
    const block = complete(analyze(text), offset).items.find((i) => i.label === 'shadow a 4-level PPGTT')!;
    const filled = block.plainText!;
    assert.match(filled, /^vgpu vm1\npagetable vm1 root 0x100 pool 0x101\.\.0x1ff\nmap vm1 va 0x0 gfn 0x800\nshadow vm1 root 0x100\n/);
    assert.deepEqual(analyze(filled).diagnostics, []);
  });

  it('every statement snippet, filled with its defaults, is a valid statement', () => {
    const { text, offset } = cursor(P + 'map vm1 va 0 gfn 0x800\n¦');
    for (const item of complete(analyze(text), offset).items) {
      const body = item.plainText ?? item.label;
      const a = analyze(P + 'pagetable vm1 root 0x100 pool 0x101..0x1ff\n' + body + '\n');
      const errors = a.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'duplicate-vgpu' && d.code !== 'kernel-not-first');
      assert.deepEqual(errors, [], `${item.label}: ${body}`);
    }
  });

  const plain: [string, string][] = [
    ['a ${1:x} b $1', 'a x b x'],
    ['${1|u64,u32|} ${2:0}$0', 'u64 0'],
    ['repeat ${1:4} {\n\t$0\n}', 'repeat 4 {\n  \n}'],
  ];
  for (const [snippet, want] of plain) it(`plainOf ${JSON.stringify(snippet)}`, () => assert.equal(plainOf(snippet), want));
});
