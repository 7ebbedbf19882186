// The little the extension reads from a scenario's text itself: its `kernel` line (for the
// kernel-profile default and the status bar) and, when the adapter does not say, the line that
// registered a page-track record ("Reveal Registration"). Line-based and forgiving: anything it
// does not recognise is simply not a match (the language server and the adapter do the real parsing).

import type { KernelProfileName } from '../../debug/protocol';
import { parseNumber } from './numbers';

const stripComment = (line: string): string => {
  // `#` outside a string starts a comment.
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (c === '#' && !inString) return line.slice(0, i);
  }
  return line;
};

/** The profile named by the scenario's first statement, if that is a `kernel` line. */
export function scenarioKernel(text: string): KernelProfileName | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw).trim();
    if (line === '') continue;
    const m = /^kernel\s+(newest|legacy)$/.exec(line);
    return m ? (m[1] as KernelProfileName) : undefined;
  }
  return undefined;
}

/**
 * 1-based lines that may have registered `vgpu`'s record for `gfn`: `register VGPU gfn GFN` with a
 * literal gfn; for the `ppgtt` handler (GVT registers table pages itself), the `shadow VGPU` lines
 * and the guest-driver lines (`map`) whose stores may make GVT shadow a new table page.
 */
export function registrationCandidates(text: string, vgpu: string, gfn: number, handler: string): number[] {
  const lines = text.split(/\r?\n/);
  const out: number[] = [];
  const v = vgpu.replace(/[-]/g, '\\-');
  const register = new RegExp(`^register\\s+${v}\\s+gfn\\s+(\\S+)\\s+handler\\b`);
  const shadow = new RegExp(`^shadow\\s+${v}\\s+root\\s+(\\S+)$`);
  const map = new RegExp(`^map\\s+${v}\\s+va\\b`);
  lines.forEach((raw, i) => {
    const line = stripComment(raw).trim();
    if (handler === 'ppgtt') {
      if (shadow.test(line) || map.test(line)) out.push(i + 1);
      return;
    }
    const m = register.exec(line);
    if (m && parseNumber(m[1]) === gfn) out.push(i + 1);
  });
  return out;
}

/**
 * The candidate to reveal: for `register`, the last one at or before the current line (the one
 * that created the live record); for ppgtt, the last `shadow` line at or before it, else the first
 * candidate. Undefined when there is none.
 */
export function pickRegistration(text: string, vgpu: string, gfn: number, handler: string, currentLine: number | undefined): number | undefined {
  const c = registrationCandidates(text, vgpu, gfn, handler);
  if (c.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  const preferred = handler === 'ppgtt' ? c.filter((l) => /^\s*shadow\b/.test(lines[l - 1])) : c;
  const pool = preferred.length ? preferred : c;
  const before = currentLine === undefined ? pool : pool.filter((l) => l <= currentLine);
  return before.length ? before[before.length - 1] : pool[0];
}
