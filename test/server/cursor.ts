// Sources with a cursor: `¦` marks the offset a feature is asked about (a character the
// language never uses), and is removed from the text.

export function cursor(src: string): { text: string; offset: number } {
  const offset = src.indexOf('¦');
  if (offset < 0) throw new Error(`no cursor mark in ${JSON.stringify(src)}`);
  return { text: src.slice(0, offset) + src.slice(offset + 1), offset };
}

/** The offset of the n-th (0-based) occurrence of needle, plus delta. */
export function offsetOf(text: string, needle: string, n = 0, delta = 0): number {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' #${n} not in text`);
  }
  return at + delta;
}
