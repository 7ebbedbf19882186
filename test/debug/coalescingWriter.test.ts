// The stdio adapter's writer: a turn's messages leave in one write, a flush (a stop) at once.

import * as assert from 'node:assert/strict';
import { CoalescingWriter, type WritableOut } from '../../src/debug/coalescingWriter';

function fakeOut(): WritableOut & { writes: string[]; ended: boolean; listeners: string[] } {
  const o = {
    writes: [] as string[],
    ended: false,
    listeners: [] as string[],
    write: (text: string) => o.writes.push(text),
    end: () => (o.ended = true),
    on: (event: string) => o.listeners.push(event),
  };
  return o;
}

describe('debug/coalescingWriter', () => {
  it('messages written in one turn leave in one write, at the end of the turn', () => {
    const out = fakeOut();
    const turnEnds: Array<() => void> = [];
    const w = new CoalescingWriter(out, (f) => turnEnds.push(f));
    w.stream.write('a');
    w.stream.write(new TextEncoder().encode('é'));
    w.stream.write('c');
    assert.deepEqual(out.writes, [], 'nothing before the turn ends');
    assert.equal(turnEnds.length, 1, 'one flush scheduled per batch');
    turnEnds[0]();
    assert.deepEqual(out.writes, ['aéc']);
    w.stream.write('d');
    assert.equal(turnEnds.length, 2, 'the next batch schedules its own flush');
    turnEnds[1]();
    assert.deepEqual(out.writes, ['aéc', 'd']);
  });

  it('a turn that writes a great deal writes as it goes (past 8 Mi characters pending), never one string of it all', () => {
    const out = fakeOut();
    const turnEnds: Array<() => void> = [];
    const w = new CoalescingWriter(out, (f) => turnEnds.push(f));
    const chunk = 'x'.repeat(1024 * 1024);
    for (let k = 0; k < 20; k++) w.stream.write(chunk);
    assert.equal(out.writes.length, 2, 'two writes of 9 Mi characters each before the turn ends');
    assert.ok(out.writes.every((t) => t.length === 9 * 1024 * 1024));
    for (const f of turnEnds) f();
    assert.equal(out.writes.map((t) => t.length).reduce((a, b) => a + b, 0), 20 * 1024 * 1024, 'nothing lost');
  });

  it('a flush (a stop) writes what is pending at once; the scheduled one then finds nothing', () => {
    const out = fakeOut();
    const turnEnds: Array<() => void> = [];
    const w = new CoalescingWriter(out, (f) => turnEnds.push(f));
    w.stream.write('response');
    w.stream.write('stopped');
    w.flush();
    assert.deepEqual(out.writes, ['responsestopped']);
    w.stream.write('gvt/stateChanged');
    turnEnds.forEach((f) => f());
    assert.deepEqual(out.writes, ['responsestopped', 'gvt/stateChanged']);
  });

  it('end writes what is pending first; error listeners reach the real stream', () => {
    const out = fakeOut();
    const w = new CoalescingWriter(out, () => {});
    w.stream.on('error', () => {});
    w.stream.write('last');
    w.stream.end();
    assert.deepEqual(out.writes, ['last']);
    assert.equal(out.ended, true);
    assert.deepEqual(out.listeners, ['error']);
  });
});
