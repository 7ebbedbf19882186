// The read-only memory document: hex dump, 64-bit entries, base64.
import * as assert from 'node:assert/strict';
import { fromBase64, hexDump, qwords } from '../../src/extension/common/hexDump';

describe('extension: memory document', () => {
  it('decodes base64 as Node does', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 4096]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      assert.deepEqual(fromBase64(Buffer.from(bytes).toString('base64')), bytes, `${n} bytes`);
    }
  });

  it('reads little-endian 64-bit words', () => {
    const b = new Uint8Array(16);
    b.set([0x03, 0x10, 0x80, 0, 0, 0, 0, 0], 8);
    b[15] = 0x80;
    assert.deepEqual(qwords(b), [{ index: 0, value: 0n }, { index: 1, value: 0x8000000000801003n }]);
  });

  it('dumps 16 bytes a line with ASCII, then the non-zero entries', () => {
    const data = new Uint8Array(32);
    data.set([0x03, 0x10, 0x80], 8);
    data.set([0x41, 0x42], 16);
    const text = hexDump({ title: 'vm1 gfn 0x103', address: 0x103000, data, unreadable: 0 });
    assert.equal(text, [
      'vm1 gfn 0x103',
      '',
      '0x00103000  00 00 00 00 00 00 00 00  03 10 80 00 00 00 00 00  |................|',
      '0x00103010  41 42 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |AB..............|',
      '',
      'Non-zero 64-bit entries (2):',
      '  [  1] 0x00103008  0x0000000000801003',
      '  [  2] 0x00103010  0x0000000000004241',
      '',
    ].join('\n'));
  });

  it('says how much could not be read', () => {
    assert.match(hexDump({ title: 't', address: 0, data: new Uint8Array(3), unreadable: 4093 }), /4093 bytes past the end could not be read/);
  });
});
