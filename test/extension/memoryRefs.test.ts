// Page memory references in the adapter's format, and the memory documents' URIs.
import * as assert from 'node:assert/strict';
import { guestPageReference, memoryDocUri, parseMemoryDocUri, sptPageReference } from '../../src/extension/common/memoryRefs';

// The format protocol.ts documents: `VGPU:gpa:0xADDR` and `VGPU:spt:0xMFN`.
const FORMAT = /^([A-Za-z_][A-Za-z0-9_-]*):(gpa|spt):0x([0-9a-f]+)$/;

describe('extension: memory references', () => {
  it('a guest page by gfn, a shadow table by mfn', () => {
    assert.equal(guestPageReference('vm1', 0x103), 'vm1:gpa:0x103000');
    assert.equal(sptPageReference('vm-2', 0x100007), 'vm-2:spt:0x100007');
    for (const r of [guestPageReference('vm_1', 0), sptPageReference('a', 1)]) assert.match(r, FORMAT);
  });

  it('memory document URIs round-trip', () => {
    const spec = { sessionId: 'abc-123', memoryReference: 'vm1:gpa:0x103000', count: 4096, title: 'vm1 gfn 0x103' };
    const u = memoryDocUri(spec);
    assert.equal(u.scheme, 'gvt-memory');
    assert.equal(u.path, '/vm1 gfn 0x103.hexdump');
    assert.deepEqual(parseMemoryDocUri(u.path, u.query), spec);
    assert.equal(parseMemoryDocUri('/x.hexdump', 'ref=a'), undefined);
    assert.equal(memoryDocUri({ ...spec, title: 'a/b?c' }).path, '/a_b_c.hexdump');
  });
});
