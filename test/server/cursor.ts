// Sources with a cursor: `¦` marks the offset a feature is asked about (a character the
// language never uses), and is removed from the text.

export function cursor(src: string): { text: string; offset: number } {
  const offset = src.indexOf('¦');
  if (offset < 0) throw new Error(`no cursor mark in ${JSON.stringify(src)}`);
  return { text: src.slice(0, offset) + src.slice(offset + 1), offset };
}
