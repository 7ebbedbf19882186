// What the stdio adapter writes its messages through: those sent in one turn of the event loop
// leave in one write. Each write to the pipe is a system call that wakes the client (a third of the
// adapter's time over a run of `next`s, which send four messages each); a stop is written at once,
// with what preceded it (the response, the statement's output), since the client waits on it.

/** The part of a Node writable stream the writer uses. */
export interface WritableOut {
  write(text: string, encoding: 'utf8'): unknown;
  end(): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

const utf8 = new TextDecoder();

/** Pending characters past which a turn's messages leave at once (one string of them all must stay far below V8's longest). */
const FLUSH_AT = 8 * 1024 * 1024;

export class CoalescingWriter {
  private pending: string[] = [];
  private pendingLength = 0;

  /** `later`: runs a function at the end of this turn (process.nextTick). */
  constructor(
    private readonly out: WritableOut,
    private readonly later: (f: () => void) => void,
  ) {}

  /** What the adapter's base class writes to (it calls write, end and on('error')). */
  readonly stream = {
    write: (chunk: string | Uint8Array): boolean => {
      if (this.pending.length === 0) this.later(this.flush);
      const text = typeof chunk === 'string' ? chunk : utf8.decode(chunk);
      this.pending.push(text);
      this.pendingLength += text.length;
      // A turn that sends a great deal (a long live trace) writes as it goes.
      if (this.pendingLength > FLUSH_AT) this.flush();
      return true;
    },
    end: (): void => {
      this.flush();
      this.out.end();
    },
    on: (event: string, listener: (...args: unknown[]) => void): unknown => {
      this.out.on(event, listener);
      return this.stream;
    },
  };

  /** Writes what is pending now (a stop: the client waits on it). */
  readonly flush = (): void => {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    this.out.write(text, 'utf8');
  };
}
