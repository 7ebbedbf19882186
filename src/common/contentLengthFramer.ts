// The `Content-Length: N\r\n\r\n<body>` framing that DAP and LSP share, read so that no input can
// deafen the reader: a header that is not a number, negative, too large, a BOM or any junk before
// a header, a body shorter or longer than announced. Whatever cannot be read is reported and
// skipped up to the next `Content-Length:` (its name in any case), and reading goes on; a body
// over the limit (up to four times it) is skipped by its announced length instead. Linear in the input (a growable
// buffer, compacted as it is consumed). Pure: bytes in, message bodies out; no Node, no protocol.

/** The header's name, lower case: it is found whatever its case (`content-length:` is as good). */
const HEADER_BYTES = Uint8Array.from('content-length:', (c) => c.charCodeAt(0));
/** An ASCII letter's lower case (other bytes as they are). */
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
/** An over-limit body up to this many times the limit is skipped by its length (see readHeader). */
const DISCARD_FACTOR = 4;
/** A header block longer than this without its blank line is junk. */
const MAX_HEADER_BYTES = 8 * 1024;

export interface FramerSink {
  /** A whole body, as announced by its header (parse it; a parse failure is the caller's to report). */
  message(body: Uint8Array): void;
  /** Something was skipped to resynchronise. */
  problem(text: string): void;
}

export class ContentLengthFramer {
  private data = new Uint8Array(64 * 1024);
  private start = 0;
  private end = 0;
  /** The body length announced by the last header, or -1 while looking for a header. */
  private expect = -1;
  /** Junk was reported since the last header: more of it, chunk after chunk, is not reported again. */
  private junkReported = false;
  /** Bytes of a body over the limit still to drop: skipped by its length, never searched for a header. */
  private discard = 0;

  /** maxBodyBytes: a larger body is skipped (its header says how long it is); may be changed later. */
  constructor(private readonly sink: FramerSink, public maxBodyBytes = 64 * 1024 * 1024) {}

  push(chunk: Uint8Array): void {
    if (this.discard > 0) {
      const n = Math.min(this.discard, chunk.length);
      this.discard -= n;
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.append(chunk);
    for (;;) {
      if (this.expect >= 0) {
        if (this.end - this.start < this.expect) return;
        const body = this.data.slice(this.start, this.start + this.expect);
        this.start += this.expect;
        this.expect = -1;
        // A message whose handling throws must not take the rest of this chunk with it.
        try {
          this.sink.message(body);
        } catch (e) {
          this.sink.problem(`a message could not be handled and was skipped (${e instanceof Error ? e.message : String(e)})`);
        }
        continue;
      }
      if (!this.readHeader()) return;
    }
  }

  private append(chunk: Uint8Array): void {
    const live = this.end - this.start;
    if (this.end + chunk.length > this.data.length) {
      const need = live + chunk.length;
      const next = need > this.data.length ? new Uint8Array(Math.max(need, this.data.length * 2)) : this.data;
      if (next === this.data) this.data.copyWithin(0, this.start, this.end);
      else next.set(this.data.subarray(this.start, this.end), 0);
      this.data = next;
      this.start = 0;
      this.end = live;
    }
    this.data.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Finds and reads one header block; false when more input is needed. */
  private readHeader(): boolean {
    const at = this.indexOf(HEADER_BYTES, this.start);
    if (at < 0) {
      // Keep a tail that may be the start of a header split across chunks; report real junk once.
      const keep = Math.min(this.end - this.start, HEADER_BYTES.length - 1);
      const drop = this.end - this.start - keep;
      if (drop > 0) this.skip(this.start, this.start + drop);
      this.start = this.end - keep;
      return false;
    }
    if (at > this.start) this.skip(this.start, at);
    this.junkReported = false;
    this.start = at;
    const blank = this.indexOfCrlfCrlf(at);
    if (blank < 0) {
      if (this.end - at > MAX_HEADER_BYTES) {
        this.sink.problem(`a header of more than ${MAX_HEADER_BYTES} bytes without its blank line: skipped`);
        this.start = at + HEADER_BYTES.length;
        return true;
      }
      return false;
    }
    // A second header before this one's blank line: this one never ended (`\n\n` for `\r\n\r\n`),
    // and reading up to that blank line would swallow the next, good, message.
    const next = this.indexOf(HEADER_BYTES, at + HEADER_BYTES.length, blank);
    if (next >= 0) {
      this.sink.problem('a header without its blank line (\\r\\n\\r\\n) was skipped up to the next header');
      this.start = next;
      return true;
    }
    const header = this.ascii(at, blank);
    this.start = blank + 4;
    let length: number | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,12}$/.test(value)) {
        this.sink.problem(`Content-Length '${value.slice(0, 40)}' is not a length: the message is skipped`);
        return true;
      }
      length = Number(value);
    }
    if (length === undefined) return true;
    if (length > this.maxBodyBytes) {
      this.sink.problem(`Content-Length ${length} is over the limit of ${this.maxBodyBytes} bytes: the message is skipped`);
      // A message a few times the limit is dropped by its length, so nothing in it (a document
      // quoting a header) is read as a header. A length far beyond any message is a broken header:
      // waiting for that many bytes would deafen the reader, so the next header is looked for.
      if (length > DISCARD_FACTOR * this.maxBodyBytes) return true;
      const here = Math.min(length, this.end - this.start);
      this.start += here;
      this.discard = length - here;
      return this.discard === 0;
    }
    this.expect = length;
    return true;
  }

  private skip(from: number, to: number): void {
    if (this.junkReported) return;
    for (let i = from; i < to; i++) {
      const c = this.data[i];
      if (c !== 0x20 && c !== 0x0d && c !== 0x0a && c !== 0x09) {
        this.sink.problem(`skipped ${to - from} byte(s) that are not a message header${to - from >= 65536 ? ' (more may follow, not reported again until the next header)' : ''}`);
        this.junkReported = true;
        return;
      }
    }
  }

  private ascii(from: number, to: number): string {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(this.data[i]);
    return s;
  }

  /** Where needle starts at or after `from`, wholly before `before` (default: the data's end); -1 if nowhere. */
  private indexOf(needle: Uint8Array, from: number, before = this.end): number {
    const d = this.data;
    const last = before - needle.length;
    outer: for (let i = from; i <= last; i++) {
      if (lower(d[i]) !== needle[0]) continue;
      for (let k = 1; k < needle.length; k++) if (lower(d[i + k]) !== needle[k]) continue outer;
      return i;
    }
    return -1;
  }

  private indexOfCrlfCrlf(from: number): number {
    const d = this.data;
    const stop = Math.min(this.end - 3, from + MAX_HEADER_BYTES);
    for (let i = from; i < stop; i++) {
      if (d[i] === 0x0d && d[i + 1] === 0x0a && d[i + 2] === 0x0d && d[i + 3] === 0x0a) return i;
    }
    return -1;
  }
}

/**
 * A framer whose bodies are JSON objects (a DAP or JSON-RPC message each): a body that is not
 * JSON, or not an object, is reported and skipped. `decode` turns UTF-8 bytes into text (the
 * caller's Buffer; this file knows no Node).
 */
export function jsonMessageFramer(decode: (bytes: Uint8Array) => string, onMessage: (msg: object) => void, onProblem: (text: string) => void, maxBodyBytes?: number): ContentLengthFramer {
  return new ContentLengthFramer({
    message: (body) => {
      let msg: unknown;
      try {
        msg = JSON.parse(decode(body));
      } catch (e) {
        onProblem(`a message that is not JSON was skipped (${e instanceof Error ? e.message : String(e)})`);
        return;
      }
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) onProblem('a message that is not a JSON object was skipped');
      else onMessage(msg);
    },
    problem: onProblem,
  }, maxBodyBytes);
}
