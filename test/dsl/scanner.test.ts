// The scanner: one line a case, source → tokens as `kind:raw[=value]`.

import { strict as assert } from 'node:assert';
import { scan, type Token } from '../../src/dsl/scanner';

function show(src: string, t: Token): string {
  const raw = src.slice(t.start, t.end);
  const label = t.kind === raw ? raw : `${t.kind}:${raw.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}`;
  if (t.kind === 'number') return `${label}=${t.value ?? '?'}`;
  if (t.kind === 'errno') return `${label}=${t.value}`;
  if (t.kind === 'string') return `${label}=${JSON.stringify(t.text)}`;
  return label;
}

const tokens = (src: string): string => scan(src).tokens.toArray().filter((t) => t.kind !== 'eof').map((t) => show(src, t)).join(' ');
const diags = (src: string): string => scan(src).diagnostics.map((d) => `${d.code}@${d.start}:${d.end}`).join(' ');

describe('dsl/scanner', () => {
  it('keeps at most 10,000 diagnostics whatever their kind (invalid escapes and unterminated strings too)', () => {
    for (const line of ['"\\q\\q\\q\\q"\n', '"open\n', '@\n']) {
      const r = scan(line.repeat(20_000));
      assert.equal(r.diagnostics.length, 10_000, JSON.stringify(line));
    }
  });

  const cases: [string, string][] = [
    ['register vm1 gfn 0x100', 'name:register name:vm1 name:gfn number:0x100=256'],
    ['42 0x2a 0X2A 0x4000_0000 1_000', 'number:42=42 number:0x2a=42 number:0X2A=42 number:0x4000_0000=1073741824 number:1_000=1000'],
    ['4K 64M 1G 0x10K 2048K', 'number:4K=4096 number:64M=67108864 number:1G=1073741824 number:0x10K=16384 number:2048K=2097152'],
    ['0xFFFF_FFFF_FFFF_FFFF 0x1_0000_0000_0000_0000', 'number:0xFFFF_FFFF_FFFF_FFFF=18446744073709551615 number:0x1_0000_0000_0000_0000=18446744073709551616'],
    ['9007199254740993', 'number:9007199254740993=9007199254740993'],
    ['0a 1c 4k 1__0 1_ 0x 0xG 08', 'number:0a=? number:1c=? number:4k=? number:1__0=? number:1_=? number:0x=? number:0xG=? number:08=8'],
    ['ff E4 _x a1', 'name:ff name:E4 name:_x name:a1'],
    ['a-b vm-1 a- b a -b a--b', 'name:a-b name:vm-1 name:a - name:b name:a - name:b name:a - - name:b'],
    ['x-1 x -1 x->', 'name:x-1 name:x - number:1=1 name:x ->'],
    ['-EEXIST -ENXIO -EINVAL -ENOMEM -ESRCH -EFAULT -EBADRQC', 'errno:-EEXIST=-17 errno:-ENXIO=-6 errno:-EINVAL=-22 errno:-ENOMEM=-12 errno:-ESRCH=-3 errno:-EFAULT=-14 errno:-EBADRQC=-56'],
    ['-EFOO -Eexist -X', '- name:EFOO - name:Eexist - name:X'],
    ['5-EEXIST', 'number:5=5 errno:-EEXIST=-17'],
    ['"a b" "q\\"x" "b\\\\s"', 'string:"a b"="a b" string:"q\\"x"="q\\"x" string:"b\\\\s"="b\\\\s"'],
    ['{ } ( ) .. -> =', '{ } ( ) .. -> ='],
    ['+ - * / % << >> & | ~ == != < <= > >= && || !', '+ - * / % << >> & | ~ == != < <= > >= && || !'],
    ['a<<b>=c!=!d', 'name:a << name:b >= name:c != ! name:d'],
    ['1..2 0x1..0x2', 'number:1=1 .. number:2=2 number:0x1=1 .. number:0x2=2'],
    ['a # comment ~!@\nb', 'name:a newline:\\n name:b'],
    ['a\r\nb\rc\n', 'name:a newline:\\r\\n name:b newline:\\r name:c newline:\\n'],
  ];
  for (const [src, want] of cases) it(JSON.stringify(src), () => assert.equal(tokens(src), want));

  describe('lexical errors', () => {
    const errors: [string, string, string][] = [
      ['a @ b', 'name:a name:b', 'invalid-character@2:3'],
      ['a @$` b', 'name:a name:b', 'invalid-character@2:5'],
      ['a . b', 'name:a name:b', 'invalid-character@2:3'],
      ['print "abc\nx', 'name:print string:"abc="abc" newline:\\n name:x', 'unterminated-string@6:10'],
      ['"a\\nb"', 'string:"a\\nb"="a\\\\nb"', 'invalid-escape@2:4'],
      ['"x', 'string:"x="x"', 'unterminated-string@0:2'],
      ['é', '', 'invalid-character@0:1'],
    ];
    for (const [src, want, diag] of errors) {
      it(JSON.stringify(src), () => {
        assert.equal(tokens(src), want);
        assert.equal(diags(src), diag);
      });
    }
  });

  it('tokens carry their line; comments are kept as spans; eof ends the list', () => {
    const r = scan('a\n# c\nb');
    assert.deepEqual(r.tokens.toArray().map((t) => t.line), [0, 0, 1, 2, 2]);
    assert.deepEqual(r.comments, [{ start: 2, end: 5 }]);
    assert.equal(r.tokens.at(r.tokens.length - 1).kind, 'eof');
  });
});
