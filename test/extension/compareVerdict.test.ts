// What Compare Kernel Versions makes of `gvt-scenario diff --json`.
import * as assert from 'node:assert/strict';
import { compareVerdict } from '../../src/extension/common/compareVerdict';

const summary = '{"kind":"summary","divergences":0,"traceOnly":0,"divergencesListed":0,"traceOnlyListed":0}';

describe('extension: compare verdict', () => {
  it('the first divergence', () => {
    const out = `{"kind":"configs","a":"newest","b":"legacy"}\n{"kind":"divergence","file":"f.gvt","line":17,"step":11,"a":[],"b":[]}\n{"kind":"divergence","file":"f.gvt","line":18,"step":12,"a":[],"b":[]}\n${summary}\n`;
    assert.deepEqual(compareVerdict(out, 'f.gvt'), { kind: 'diverges', line: 17 });
  });

  it('the same behaviour, and up to where both runs stopped (diff exits 2 then, and it is still a comparison)', () => {
    assert.deepEqual(compareVerdict(`{"kind":"configs","a":"newest","b":"legacy"}\n${summary}\n`, 'f.gvt'), { kind: 'same', text: 'GVT: f.gvt behaves the same under newest and legacy.' });
    const stopped = '{"kind":"stopped","config":"newest","file":"f.gvt","line":2,"col":9,"message":"division by zero"}\n{"kind":"stopped","config":"legacy","file":"f.gvt","line":2,"col":9,"message":"division by zero"}';
    assert.deepEqual(compareVerdict(`${stopped}\n${summary}\n`, 'f.gvt'), { kind: 'same', text: 'GVT: f.gvt behaves the same under newest and legacy up to line 2, where both runs stopped: division by zero.' });
  });

  it('no summary line: the diff did not run', () => {
    assert.deepEqual(compareVerdict('', 'f.gvt'), { kind: 'failed' });
  });
});
