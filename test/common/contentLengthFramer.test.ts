// The Content-Length framer both protocol servers read through: whatever a client sends, every
// well-formed message after it still arrives, and what was skipped is reported.
import * as assert from 'node:assert/strict';
import { ContentLengthFramer } from '../../src/common/contentLengthFramer';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function feed(chunks: Array<string | Buffer>, maxBody?: number): { messages: string[]; problems: string[] } {
  const messages: string[] = [];
  const problems: string[] = [];
  const f = new ContentLengthFramer({ message: (b) => messages.push(Buffer.from(b).toString('utf8')), problem: (p) => problems.push(p) }, maxBody);
  for (const c of chunks) f.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  return { messages, problems };
}

describe('common: Content-Length framer', () => {
  const ok = frame('{"seq":2}');
  const cases: Array<[string, string, RegExp | undefined]> = [
    // [case, bytes before a good message, problem reported]
    ['a length that is not a number', 'Content-Length: abc\r\n\r\n{"x":1}', /'abc' is not a length/],
    ['a negative length', 'Content-Length: -5\r\n\r\n{}', /'-5' is not a length/],
    ['a length over the limit', 'Content-Length: 99999999999\r\n\r\n', /over the limit/],
    ['a BOM before the header', '\ufeff', /not a message header/],
    ['junk between messages', 'hello there', /not a message header/],
    ['a body shorter than announced', 'Content-Length: 3\r\n\r\n{"seq":9,"type":"request"}', /not a message header/],
    ['a header block without its blank line', 'Content-Length: 5\r\nX: ' + 'y'.repeat(9000), /without its blank line/],
    ['a header ending in LF LF instead of CRLF CRLF', 'Content-Length: 2\n\n{}', /without its blank line/],
  ];
  for (const [name, before, problem] of cases) {
    it(`resynchronises after ${name}`, () => {
      const r = feed([before, ok]);
      assert.equal(r.messages[r.messages.length - 1], '{"seq":2}');
      if (problem) assert.ok(r.problems.some((p) => problem.test(p)), r.problems.join(' | '));
    });
  }

  it('reads messages split anywhere, byte by byte, with multi-byte characters', () => {
    const text = frame('{"a":"é€"}') + frame('{"b":2}');
    const r = feed([...Buffer.from(text)].map((b) => Buffer.from([b])));
    assert.deepEqual(r.messages, ['{"a":"é€"}', '{"b":2}']);
    assert.deepEqual(r.problems, []);
  });

  it('reads a large body in many chunks without copying it over and over (linear)', () => {
    const big = '{"x":"' + 'z'.repeat(8 * 1024 * 1024) + '"}';
    const bytes = Buffer.from(frame(big));
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 4096) chunks.push(bytes.subarray(i, i + 4096));
    const r = feed(chunks);
    assert.equal(r.messages.length, 1);
    assert.equal(r.messages[0].length, big.length);
  });

  it('finds the header whatever the case of its name, as the stock readers do', () => {
    const r = feed(['content-length: 2\r\n\r\n{}CONTENT-LENGTH: 3\r\n\r\n[1]Content-length: 1\r\n\r\n7']);
    assert.deepEqual(r.messages, ['{}', '[1]', '7']);
    assert.deepEqual(r.problems, []);
  });

  it('a message whose handling throws is reported, and the rest of the chunk is still read', () => {
    const messages: string[] = [];
    const problems: string[] = [];
    const f = new ContentLengthFramer({
      message: (b) => {
        const text = Buffer.from(b).toString('utf8');
        if (text.includes('boom')) throw new TypeError('boom');
        messages.push(text);
      },
      problem: (p) => problems.push(p),
    });
    f.push(Buffer.from(frame('{"boom":1}') + frame('{"after":2}')));
    assert.deepEqual(messages, ['{"after":2}']);
    assert.match(problems.join(' | '), /could not be handled.*boom/);
  });

  it('junk that goes on for many chunks is reported once until the next header', () => {
    const junk = Array.from({ length: 50 }, () => 'x'.repeat(65536));
    const r = feed([...junk, ok, 'more junk', ok]);
    assert.deepEqual(r.messages, ['{"seq":2}', '{"seq":2}']);
    assert.equal(r.problems.length, 2, r.problems.join(' | '));
  });

  it('a body over the limit is dropped by its length, whatever it contains (a header in it is not read as one)', () => {
    const big = '{"text":"' + 'a'.repeat(200) + ' content-length: 1\\r\\n\\r\\n' + '"}';
    const r = feed([frame(big).slice(0, 60), frame(big).slice(60), ok], 100);
    assert.deepEqual(r.messages, ['{"seq":2}']);
    assert.equal(r.problems.length, 1, r.problems.join(' | '));
    assert.match(r.problems[0], /over the limit of 100 bytes/);
  });

  it('ignores other headers', () => {
    const r = feed(['Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{}']);
    assert.deepEqual(r.messages, ['{}']);
  });
});
