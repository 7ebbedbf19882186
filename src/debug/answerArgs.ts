// Checking the arguments of gvt/history, gvt/why and gvt/exportTrace before anything uses them: a
// missing or malformed subject is a clear error response naming the field.

import { badArguments } from './errors';
import type { ExportTraceArguments, HistoryArguments, HistorySubject, WhyArguments, WhySubject } from './protocol';
import { optNumber } from './requestArgs';

type Args = Record<string, unknown>;

function subjectOf(a: Args, command: string): Args {
  const s = a.subject;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw badArguments(command, "'subject' is required: an object with a 'kind'");
  if (a.vgpu !== undefined && typeof a.vgpu !== 'string') throw badArguments(command, "'vgpu' must be a string");
  return s as Args;
}

function count(s: Args, command: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = s[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw badArguments(command, `'subject.${name}' must be an integer 0..${max === Number.MAX_SAFE_INTEGER ? 'n' : max}`);
  return v;
}

/** A gfn of the questions: below 2^40 (52-bit guest physical addresses), so its slot keys (gfn × 512 + index) stay exact. */
const MAX_SUBJECT_GFN = 2 ** 40 - 1;

/** The subject's gfn, if it has one that is out of range: the message to give (the console's and the request's). */
export function subjectGfnProblem(subject: HistorySubject | WhySubject): string | undefined {
  const g = 'gfn' in subject ? subject.gfn : undefined;
  return g !== undefined && g > MAX_SUBJECT_GFN ? `gfn 0x${g.toString(16)} is beyond any guest (a gfn is below 2^40)` : undefined;
}

export function historyArgs(a: Args): HistoryArguments {
  const command = 'gvt/history';
  const s = subjectOf(a, command);
  for (const k of ['fromStep', 'toStep', 'limit']) optNumber(a, command, k);
  let subject: HistorySubject;
  switch (s.kind) {
    case 'gfn':
      subject = { kind: 'gfn', gfn: count(s, command, 'gfn') };
      break;
    case 'gpa':
      subject = { kind: 'gpa', gpa: count(s, command, 'gpa') };
      break;
    case 'spt':
      subject = s.index === undefined ? { kind: 'spt', gfn: count(s, command, 'gfn') } : { kind: 'spt', gfn: count(s, command, 'gfn'), index: count(s, command, 'index', 511) };
      break;
    case 'dma':
      subject = { kind: 'dma', gfn: count(s, command, 'gfn') };
      break;
    case 'vgpu':
      subject = { kind: 'vgpu' };
      break;
    default:
      throw badArguments(command, "'subject.kind' must be 'gfn', 'gpa', 'spt', 'dma' or 'vgpu'");
  }
  const problem = subjectGfnProblem(subject);
  if (problem) throw badArguments(command, problem);
  return { ...(a as Partial<HistoryArguments>), subject };
}

export function whyArgs(a: Args): WhyArguments {
  const command = 'gvt/why';
  const s = subjectOf(a, command);
  let subject: WhySubject;
  switch (s.kind) {
    case 'gfn':
      subject = { kind: 'gfn', gfn: count(s, command, 'gfn') };
      break;
    case 'spt':
      subject = { kind: 'spt', gfn: count(s, command, 'gfn'), index: count(s, command, 'index', 511) };
      break;
    case 'gpuVa':
      subject = { kind: 'gpuVa', va: count(s, command, 'va') };
      break;
    default:
      throw badArguments(command, "'subject.kind' must be 'gfn', 'spt' or 'gpuVa'");
  }
  const problem = subjectGfnProblem(subject);
  if (problem) throw badArguments(command, problem);
  return { ...(typeof a.vgpu === 'string' ? { vgpu: a.vgpu } : {}), subject };
}

export function exportTraceArgs(a: Args): ExportTraceArguments {
  if (a.upTo !== undefined && a.upTo !== 'here' && a.upTo !== 'all') throw badArguments('gvt/exportTrace', "'upTo' must be 'here' or 'all'");
  return a as ExportTraceArguments;
}
