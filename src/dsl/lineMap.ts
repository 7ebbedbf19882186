// Offsets <-> 0-based {line, character}, for the edges only (the CLI prints them 1-based as
// FILE:LINE:COL; LSP and DAP use them 0-based). Everything inside src/dsl works in offsets.
// Line breaks are \n, \r\n and a lone \r, as the scanner counts them; characters are UTF-16
// code units, as LSP's default position encoding.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineMap {
  /** Offset of the first character of each line; lineStarts[0] === 0. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The position of an offset (clamped to 0..text.length). Binary search over line starts. */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  /** The offset of a position; a character past the line's end clamps to the end of that line. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    return Math.max(start, Math.min(start + position.character, this.lineEnd(position.line)));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** The offset just before the line break that ends the line (or text.length on the last line). */
  lineEnd(line: number): number {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    if (l + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[l + 1];
    return next >= 2 && this.text.charCodeAt(next - 2) === 13 && this.text.charCodeAt(next - 1) === 10 ? next - 2 : next - 1;
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}
