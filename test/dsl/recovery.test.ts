// Error recovery: each broken line is one diagnostic at the right place, the statements around
// it survive, and no input (random garbage, every prefix of a sample, random mutations) makes
// the scanner, parser or checker throw or hang.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stmt } from '../../src/dsl/ast';
import { check } from '../../src/dsl/checker';
import { parse } from '../../src/dsl/parser';
import { where } from './diagnosticText';

const SAMPLE = readFileSync(join(__dirname, '../../../test/dsl/golden/all-statements.gvt'), 'utf8');

const kinds = (ss: readonly Stmt[]): string => ss.map((s) => (s.kind === 'repeat' ? `repeat{${kinds(s.body)}}` : s.kind)).join(' ');

describe('dsl/parser recovery', () => {
  it('three independent errors on three lines: three diagnostics, the statements between survive', () => {
    const src = ['vgpu vm1', 'register vm1 gfn 0x10 handler', 'enable vm1 gfn 0x10', 'write vm1 gpa 0x1000 u33 5', 'submit vm1', 'frobnicate vm1', 'expect trap'].join('\n');
    const r = parse(src);
    assert.deepEqual(where(src, r.diagnostics), ['unexpected-token@2:30+0', 'unexpected-token@4:22+3', 'unknown-statement@6:1+10']);
    assert.equal(kinds(r.program.statements), 'vgpu enable submit expectTrap');
  });

  const cases: [string, string[], string][] = [
    // source, diagnostics, surviving statements
    ['print 1 2\nprint 3', ['expected-end-of-line@1:9+1'], 'print print'],
    ['print (1 + 2\nprint 3', ['unexpected-token@1:13+0'], 'print'],
    ['print 1 +\nprint 2 +\nprint 3 +', ['expected-expression@1:10+0', 'expected-expression@2:10+0', 'expected-expression@3:10+0'], ''],
    ['print 1 @ 2\nprint 2', ['invalid-character@1:9+1'], 'print print'],
    ['print "abc\nprint 1', ['unterminated-string@1:7+4'], 'print'],
    ['vgpu vm1 memory\nsubmit vm1', ['expected-expression@1:16+0'], 'vgpu submit'],
    ['let x = 0a\nprint x', ['invalid-number@1:9+2'], 'let print'],
    ['let x = 99999999999999999999999\nprint x', ['number-too-large@1:9+23'], 'let print'],
    ['write vm1 gpa 0 bytes 0a fff\nprint 1', ['invalid-hex-byte@1:26+3'], 'print'],
    ['write vm1 gpa 0 bytes\nprint 1', ['invalid-hex-byte@1:22+0'], 'print'],
    ['map v va 0 gfn 0 size 8K', ['invalid-page-size@1:23+2'], ''],
    ['}\nprint 1', ['unmatched-brace@1:1+1'], 'print'],
    ['print 1 }', ['unmatched-brace@1:9+1'], 'print'],
    ['repeat 2 {\nprint 1', ['unclosed-block@1:1+6'], 'repeat{print}'],
    ['repeat 2 {\nrepeat 3 {\nprint 1\n}', ['unclosed-block@1:1+6'], 'repeat{repeat{print}}'],
    ['repeat 2 {\nprint 1 }\nprint 2', ['brace-not-alone@2:9+1'], 'repeat{print} print'],
    ['repeat 2 { print 1 }\nprint 2', ['expected-end-of-line@1:12+5'], 'repeat{} print'],
    ['repeat 2\nprint 1\n}', ['unexpected-token@1:9+0', 'unmatched-brace@3:1+1'], 'print'],
    ['repeat x y {\nprint 1\n}', ['unexpected-token@1:10+1'], 'repeat{print}'],
    ['repeat 2 as {\nprint 1\n}', ['unexpected-token@1:13+1'], 'repeat{print}'],
    ['repeat 2 {\n}\n}', ['unmatched-brace@3:1+1'], 'repeat{}'],
    ['kernel future', ['unexpected-token@1:8+6'], ''],
    ['expect 5', ['unexpected-token@1:8+1'], ''],
    ['expect vm1 gfn 1 maybe', ['unexpected-token@1:18+5'], ''],
    ['expect gpu vm1 va 0 -> 5', ['unexpected-token@1:24+1'], ''],
    ['regster vm1 gfn 1 handler log', ['unknown-statement@1:1+7'], ''],
    ['5 + 5', ['unexpected-token@1:1+1'], ''],
    ['oos vm1 maybe', ['unexpected-token@1:9+5'], ''],
    ['print ' + '('.repeat(600) + '1' + ')'.repeat(600), ['too-complex@1:507+1'], ''],
    ['print ' + Array(600).fill('1').join('+'), ['too-complex@1:508+1'], ''],
  ];
  for (const [src, want, survivors] of cases) {
    it(JSON.stringify(src.length > 60 ? src.slice(0, 57) + '...' : src), () => {
      const r = parse(src);
      assert.deepEqual(where(src, r.diagnostics), want);
      assert.equal(kinds(r.program.statements), survivors);
    });
  }

  it('the suggestion of an unknown statement', () => {
    assert.equal(parse('regster vm1 gfn 1 handler log').diagnostics[0].suggestion, 'register');
    assert.match(parse('unshadw vm1 root 1').diagnostics[0].message, /did you mean 'unshadow'/);
  });

  describe('never throws, always terminates', () => {
    const total = (src: string): void => {
      const r = parse(src);
      check(r.program, src);
      for (const d of r.diagnostics) assert.ok(d.start >= 0 && d.end >= d.start && d.end <= src.length, `span of ${d.code}`);
    };

    it('every prefix of the sample', () => {
      for (let n = 0; n <= SAMPLE.length; n++) total(SAMPLE.slice(0, n));
    });

    it('random byte mutations of the sample (deterministic)', () => {
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const alphabet = '{}()..->=+-*/%<>&|~!#"\\\n\r\t 0x9aFzK_E-EEXIST@$é\u0000';
      for (let k = 0; k < 2000; k++) {
        const chars = SAMPLE.split('');
        const edits = 1 + rnd(8);
        for (let e = 0; e < edits; e++) {
          const at = rnd(chars.length);
          const op = rnd(3);
          const ch = alphabet[rnd(alphabet.length)];
          if (op === 0) chars[at] = ch;
          else if (op === 1) chars.splice(at, 1);
          else chars.splice(at, 0, ch);
        }
        total(chars.join(''));
      }
    });

    it('random garbage', () => {
      let seed = 99;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      for (let k = 0; k < 300; k++) {
        let s = '';
        const len = rnd(400);
        for (let i = 0; i < len; i++) s += String.fromCharCode(rnd(4) === 0 ? rnd(0x3000) : 9 + rnd(120));
        total(s);
      }
      for (const s of ['', '\n', '{', '}', '{{{{', '}}}}', 'repeat', 'repeat {', 'expect', 'expect gpu', 'write', '"', '\\', '-', '-E', '0x', '..', '#']) total(s);
    });
  });
});
