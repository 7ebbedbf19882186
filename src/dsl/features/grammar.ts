// The shape of each statement, slot by slot, as completion needs it: which keyword, name or
// expression may come next. A description of parseStatement.ts's grammar (docs/language.md,
// plus the extensions of docs/language.md), not a second parser: the parser stays the judge of
// what is valid; this only says what to offer.

import { PLATFORMS } from '../../core/platform';
import { PROFILES } from '../../core/profile';
import { HAZARD_NAMES } from '../ast';
import type { Keyword } from '../statementSpec';
import type { TokenKind } from '../scanner';

import type { ExprRole } from '../operands';
export type { ExprRole } from '../operands';

export type Elem =
  /** One of these keywords; `phrase` completes several words at once (`no trap`). */
  | { readonly k: 'word'; readonly words: readonly string[]; readonly phrase?: string }
  /** A use of a vGPU or of a handler. */
  | { readonly k: 'vgpu' }
  | { readonly k: 'handler' }
  /** A new name (nothing to offer). */
  | { readonly k: 'define'; readonly what: 'vgpu' | 'handler' | 'value' }
  | { readonly k: 'expr'; readonly role: ExprRole }
  | { readonly k: 'punct'; readonly p: TokenKind }
  | { readonly k: 'string' }
  /** Hex bytes to the end of the line. */
  | { readonly k: 'bytes' }
  /** A page size: 4K, 64K, 2M or 1G. */
  | { readonly k: 'pageSize' }
  | { readonly k: 'opt'; readonly seq: readonly Elem[] }
  | { readonly k: 'alt'; readonly seqs: readonly (readonly Elem[])[] };

const w = (...words: string[]): Elem => ({ k: 'word', words });
const e = (role: ExprRole): Elem => ({ k: 'expr', role });
const p = (punct: TokenKind): Elem => ({ k: 'punct', p: punct });
const opt = (...seq: Elem[]): Elem => ({ k: 'opt', seq });
const alt = (...seqs: Elem[][]): Elem => ({ k: 'alt', seqs });
const VGPU: Elem = { k: 'vgpu' };
const HANDLER: Elem = { k: 'handler' };

const WIDTHS = ['u8', 'u16', 'u32', 'u64'] as const;
const TRACK_STATES = ['tracked', 'untracked', 'registered', 'unregistered', 'stale'] as const;
const BACKING_NAMES = ['huge', 'contiguous', 'scattered'] as const;
export const PAGE_SIZES = ['4K', '64K', '2M', '1G'] as const;

const gfnForm: readonly Elem[] = [VGPU, w('gfn'), e('gfn')];
const vgpuOnly: readonly Elem[] = [VGPU];
const pdpsForm: readonly Elem[] = [w('pdps'), e('gfn'), e('gfn'), e('gfn'), e('gfn')];
const shadowForm: readonly Elem[] = [VGPU, alt([w('root'), e('gfn')], [...pdpsForm])];

/** Statement keyword → what follows it. */
export const STATEMENT_GRAMMAR: Readonly<Record<Keyword, readonly Elem[]>> = {
  kernel: [w(...PROFILES)],
  vgpu: [{ k: 'define', what: 'vgpu' }, opt(w('memory'), e('memory'))],
  handler: [{ k: 'define', what: 'handler' }, w('returns'), e('code')],
  let: [{ k: 'define', what: 'value' }, p('='), e('value')],
  repeat: [e('count'), opt(w('as'), { k: 'define', what: 'value' }), p('{')],
  register: [VGPU, w('gfn'), e('gfn'), w('handler'), HANDLER, opt(w('priv'), { k: 'string' })],
  unregister: gfnForm,
  enable: gfnForm,
  disable: gfnForm,
  find: gfnForm,
  write: [VGPU, w('gpa'), e('gpa'), alt([w(...WIDTHS), e('value')], [w('bytes'), { k: 'bytes' }])],
  read: [VGPU, w('gpa'), e('gpa'), w(...WIDTHS)],
  dispatch: [VGPU, w('gpa'), e('gpa'), w('bytes'), e('count')],
  pagetable: [VGPU, alt([w('root'), e('gfn')], [...pdpsForm]), w('pool'), e('gfn'), p('..'), e('gfn')],
  map: [VGPU, w('va'), e('va'), w('gfn'), e('gfn'), opt(w('size'), { k: 'pageSize' })],
  unmap: [VGPU, w('va'), e('va')],
  shadow: shadowForm,
  unshadow: shadowForm,
  submit: vgpuOnly,
  failsafe: vgpuOnly,
  reset: vgpuOnly,
  attach: vgpuOnly,
  detach: vgpuOnly,
  oos: [VGPU, w('on', 'off')],
  platform: [w(...PLATFORMS)],
  ips: [VGPU, w('on', 'off')],
  backing: [VGPU, w('gfn'), e('gfn'), p('..'), e('gfn'), w(...BACKING_NAMES)],
  memslot: [VGPU, w('remove'), w('gfn'), e('gfn'), p('..'), e('gfn')],
  gpu: [VGPU, w('read'), w('va'), e('va')],
  print: [e('value')],
  expect: [
    alt(
      [w('ret'), p('=='), e('code')],
      [w('trap')],
      [{ k: 'word', words: ['no'], phrase: 'no trap' }, w('trap')],
      [w('hazard'), opt(w(...HAZARD_NAMES))],
      [{ k: 'word', words: ['no'], phrase: 'no hazard' }, w('hazard')],
      [w('gpu'), VGPU, w('va'), e('va'), alt([p('->'), w('gfn'), e('gfn')], [w('fault', 'scratch')])],
      [VGPU, alt(
        [w('gfn'), e('gfn'), w(...TRACK_STATES)],
        [w('gpa'), e('gpa'), w(...WIDTHS), p('=='), e('value')],
        [w('traps'), p('=='), e('count')],
        [w('mm'), e('gfn'), w('refs'), p('=='), e('count')],
        [w('dma'), w('gfn'), e('gfn'), opt(w('size'), { k: 'pageSize' }), w('refs'), p('=='), e('count')],
      )],
    ),
  ],
};

/** Every word the grammar uses as a keyword somewhere (statement or sub-keyword). */
export const ALL_KEYWORDS: ReadonlySet<string> = (() => {
  const out = new Set<string>(Object.keys(STATEMENT_GRAMMAR));
  const walk = (seq: readonly Elem[]): void => {
    for (const el of seq) {
      if (el.k === 'word') el.words.forEach((x) => out.add(x));
      else if (el.k === 'opt') walk(el.seq);
      else if (el.k === 'alt') el.seqs.forEach(walk);
    }
  };
  Object.values(STATEMENT_GRAMMAR).forEach(walk);
  return out;
})();
