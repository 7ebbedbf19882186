// A minimal DAP client over the adapter's stdio that keeps every message in arrival order: what
// the golden transcripts are made of (DebugClient hides the interleaving of events and responses),
// and what lets a test send bytes no well-behaved client would (malformed messages).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ADAPTER } from './dapHelpers';

export type Message = DebugProtocol.Response | DebugProtocol.Event | DebugProtocol.Request;

export class RawDapClient {
  readonly log: Array<{ dir: 'in' | 'out'; msg: Message }> = [];
  private readonly proc: ChildProcessWithoutNullStreams;
  private buf = Buffer.alloc(0);
  private seq = 1;
  private readonly waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  private readonly unclaimed: Message[] = [];

  constructor() {
    this.proc = spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.data(d));
  }

  private data(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/.exec(this.buf.subarray(0, head).toString())?.[1]);
      if (this.buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString()) as Message;
      this.buf = this.buf.subarray(head + 4 + len);
      this.log.push({ dir: 'in', msg });
      const i = this.waiters.findIndex((w) => w.match(msg));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
      else this.unclaimed.push(msg);
    }
  }

  /** Writes bytes as they are, header or none (for framing tests). */
  writeBytes(bytes: string | Buffer): void {
    this.proc.stdin.write(bytes);
  }

  /** The adapter's resident memory in bytes (Linux /proc), for memory-bound tests. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }

  /** Sends raw bytes (for malformed-message tests). */
  sendRaw(text: string): void {
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    const msg = { seq: this.seq++, type: 'request', command, arguments: args } as DebugProtocol.Request;
    this.log.push({ dir: 'out', msg });
    this.sendRaw(JSON.stringify(msg));
    return this.wait((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === msg.seq) as Promise<DebugProtocol.Response>;
  }

  /** The next message matching (one already received and not yet claimed counts). */
  wait(match: (m: Message) => boolean, timeout = 10_000): Promise<Message> {
    const i = this.unclaimed.findIndex(match);
    if (i >= 0) return Promise.resolve(this.unclaimed.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for a message')), timeout);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  }

  event(name: string, timeout?: number): Promise<DebugProtocol.Event> {
    return this.wait((m) => m.type === 'event' && (m as DebugProtocol.Event).event === name, timeout) as Promise<DebugProtocol.Event>;
  }

  /** Forgets unclaimed messages (they stay in the log). */
  drain(): void {
    this.unclaimed.length = 0;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && !this.proc.killed;
  }

  stop(): void {
    this.proc.kill();
  }
}
