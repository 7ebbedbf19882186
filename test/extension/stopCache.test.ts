import * as assert from 'node:assert/strict';
import { StopCache } from '../../src/extension/common/stopCache';

describe('extension/common: StopCache (tree-view answers kept for one stop)', () => {
  it('fetches a key once per stop', async () => {
    const c = new StopCache<number>();
    let fetches = 0;
    const fetch = () => Promise.resolve(++fetches);
    assert.strictEqual(await c.at('s#1').get('vm1', fetch), 1);
    assert.strictEqual(await c.at('s#1').get('vm1', fetch), 1);
    assert.strictEqual(await c.at('s#1').get('vm2', fetch), 2);
    assert.strictEqual(await c.at('s#2').get('vm1', fetch), 3, 'a new stop fetches again');
  });

  it('forgets a failed fetch so that the next request retries', async () => {
    const c = new StopCache<string>();
    await assert.rejects(c.at('s#1').get('k', () => Promise.reject(new Error('adapter gone'))), /adapter gone/);
    assert.strictEqual(await c.at('s#1').get('k', () => Promise.resolve('ok')), 'ok');
  });

  it('drops one key on delete and all on clear', async () => {
    const c = new StopCache<number>();
    let n = 0;
    const fetch = () => Promise.resolve(++n);
    await c.at('s#1').get('a', fetch);
    await c.get('b', fetch);
    c.delete('a');
    assert.strictEqual(await c.get('a', fetch), 3);
    assert.strictEqual(await c.get('b', fetch), 2);
    c.clear();
    assert.strictEqual(await c.get('b', fetch), 4);
  });
});
