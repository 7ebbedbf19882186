// The console forms of the questions over the recorded run: `history [VGPU] gfn GFN`, `history
// [VGPU] gpa GPA`, `history [VGPU] spt GFN [INDEX]`, `history [VGPU] dma GFN`, `history [VGPU] vgpu` (each may end with
// `from STEP` and `to STEP`), and `why [VGPU] gfn GFN`, `why [VGPU] spt GFN INDEX`, `why [VGPU]
// gpu va VA`. Numbers are DSL expressions over the names in scope. Parsed into the same
// arguments the gvt/history and gvt/why requests take.

import { leadingName, numbersOf, type Lookup } from './expressions';
import type { HistoryArguments, WhyArguments } from './protocol';

export const HISTORY_USAGE = 'history [VGPU] gfn GFN | gpa GPA | spt GFN [INDEX] | dma GFN | vgpu  [from STEP] [to STEP]';
export const WHY_USAGE = 'why [VGPU] gfn GFN | spt GFN INDEX | gpu va VA';

/** The leading vGPU name, if the text starts with one of `vgpus`. */
function takeVgpu(text: string, vgpus: ReadonlySet<string>): { vgpu?: string; rest: string } {
  const { name, rest } = leadingName(text, (w) => vgpus.has(w));
  return { vgpu: name, rest };
}

export function parseHistory(text: string, vgpus: ReadonlySet<string>, lookup: Lookup): HistoryArguments | string {
  const taken = takeVgpu(text.trim(), vgpus);
  const vgpu = taken.vgpu;
  let rest = taken.rest;
  let fromStep: number | undefined;
  let toStep: number | undefined;
  // `from STEP` and `to STEP`, word by word (a pattern over the whole text backtracked on long
  // runs of spaces: 100 KB of them took seconds).
  const words = rest.split(/\s+/);
  const cut = words.findIndex((w, i) => i > 0 && (w === 'from' || w === 'to'));
  if (cut > 0) {
    rest = words.slice(0, cut).join(' ');
    for (let i = cut; i < words.length; ) {
      const key = words[i];
      let j = i + 1;
      while (j < words.length && words[j] !== 'from' && words[j] !== 'to') j++;
      const n = numbersOf(words.slice(i + 1, j).join(' '), 1, 1, lookup, HISTORY_USAGE);
      if (typeof n === 'string') return n;
      if (key === 'from') fromStep = n[0];
      else toStep = n[0];
      i = j;
    }
  }
  const what = /^(gfn|gpa|spt|dma|vgpu)\b/.exec(rest)?.[1];
  const args = rest.slice(what?.length ?? 0).trim();
  const base = { ...(vgpu ? { vgpu } : {}), ...(fromStep !== undefined ? { fromStep } : {}), ...(toStep !== undefined ? { toStep } : {}) };
  switch (what) {
    case 'gfn':
    case 'gpa':
    case 'dma': {
      const n = numbersOf(args, 1, 1, lookup, HISTORY_USAGE);
      if (typeof n === 'string') return n;
      return { ...base, subject: what === 'gpa' ? { kind: 'gpa', gpa: n[0] } : { kind: what, gfn: n[0] } };
    }
    case 'spt': {
      const n = numbersOf(args, 1, 2, lookup, HISTORY_USAGE);
      if (typeof n === 'string') return n;
      if (n[1] !== undefined && (n[1] < 0 || n[1] > 511)) return 'INDEX must be 0..511';
      return { ...base, subject: n[1] === undefined ? { kind: 'spt', gfn: n[0] } : { kind: 'spt', gfn: n[0], index: n[1] } };
    }
    case 'vgpu':
      if (args !== '') return `usage: ${HISTORY_USAGE}`;
      return { ...base, subject: { kind: 'vgpu' } };
    default:
      return `usage: ${HISTORY_USAGE}`;
  }
}

export function parseWhy(text: string, vgpus: ReadonlySet<string>, lookup: Lookup): WhyArguments | string {
  const { vgpu, rest } = takeVgpu(text.trim(), vgpus);
  const base = vgpu ? { vgpu } : {};
  const m = /^(gfn|spt|gpu\s+va)\b/.exec(rest);
  const args = rest.slice(m?.[0].length ?? 0).trim();
  switch (m?.[1].replace(/\s+/, ' ')) {
    case 'gfn': {
      const n = numbersOf(args, 1, 1, lookup, WHY_USAGE);
      return typeof n === 'string' ? n : { ...base, subject: { kind: 'gfn', gfn: n[0] } };
    }
    case 'spt': {
      const n = numbersOf(args, 2, 2, lookup, WHY_USAGE);
      if (typeof n === 'string') return n;
      if (n[1] < 0 || n[1] > 511) return 'INDEX must be 0..511';
      return { ...base, subject: { kind: 'spt', gfn: n[0], index: n[1] } };
    }
    case 'gpu va': {
      const n = numbersOf(args, 1, 1, lookup, WHY_USAGE);
      return typeof n === 'string' ? n : { ...base, subject: { kind: 'gpuVa', va: n[0] } };
    }
    default:
      return `usage: ${WHY_USAGE}`;
  }
}
