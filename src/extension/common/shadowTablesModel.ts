// The Shadow Page Tables view as the user reads it: vGPU → PPGTT mm (root) → spt by level →
// entries, each guest entry beside its shadow entry, decoded (present, RW, PS/IPS, target gfn or
// mfn, scratch), with mismatches, post-shadow and out-of-sync states marked. Turns
// gvt/shadowTables bodies into ItemModels. Pure.

import type { DmaMappingRow, EntryTarget, PpgttMmNode, ShadowEntryRow, SptSummary, VgpuShadowTables } from '../../debug/protocol';
import { ItemContext } from './ids';
import { Color, type IconModel, type ItemModel } from './itemModel';
import { hex, plural } from './numbers';

export function vgpuShadowItem(v: VgpuShadowTables): ItemModel {
  const parts = [plural(v.mms.length, 'PPGTT'), plural(v.sptCount, 'spt')];
  if (v.unreachable.length) parts.push(`${v.unreachable.length} unreachable`);
  if (v.postShadowQueue.length) parts.push(`${v.postShadowQueue.length} queued for post-shadow`);
  if (v.dmaTotal) parts.push(plural(v.dmaTotal, 'DMA mapping'));
  if (!v.attached) parts.push('detached');
  return {
    label: v.vgpu,
    description: parts.join(' · '),
    icon: { id: 'vm', color: v.unreachable.length ? Color.warning : undefined },
    collapsible: v.mms.length || v.unreachable.length || v.dmaTotal ? 'expanded' : 'none',
  };
}

/** kvmgt's DMA cache of a vGPU, as a group under it. */
export function dmaGroupItem(v: VgpuShadowTables): ItemModel {
  const refs = v.dma.reduce((n, d) => n + d.refs, 0);
  return {
    label: 'DMA mappings',
    description: `${v.dmaTotal} gfn(s) pinned and mapped · ${plural(refs, 'reference')}${v.dmaTotal > v.dma.length ? ` · first ${v.dma.length} shown` : ''}`,
    tooltip: "kvmgt's DMA cache (gvt_dma): one entry per gfn, pinned and mapped for the GPU, with the references shadow entries hold. Mapping a gfn again with another size replaces its entry, even while shadow entries still use the old one.",
    icon: { id: 'pin' },
    collapsible: 'collapsed',
  };
}

export function dmaItem(d: DmaMappingRow): ItemModel {
  const size = d.pages === 1 ? '4K' : '2M';
  return {
    label: `gfn ${hex(d.gfn)}`,
    description: `${size} → mfn ${hex(d.mfn)} · ${plural(d.refs, 'reference')}`,
    tooltip: `gfn \`${hex(d.gfn)}\`${d.pages > 1 ? `..\`${hex(d.gfn + d.pages - 1)}\`` : ''} pinned and mapped as one ${size} mapping at host frame \`${hex(d.mfn)}\`, held by ${plural(d.refs, 'shadow entry reference', 'shadow entry references')}.`,
    icon: { id: 'pinned' },
    collapsible: 'none',
  };
}

export function mmItem(mm: PpgttMmNode): ItemModel {
  const parts = [mm.shadowed ? 'shadowed' : 'not shadowed'];
  if (mm.active) parts.push('active (the GPU walks it)');
  parts.push(`refcount ${mm.refs}`, `pincount ${mm.pincount}`);
  const l3 = mm.rootType === 'L3';
  const shadowedBy = mm.roots.length ? `, shadowed by the table(s) at mfn ${mm.roots.map((r) => `\`${hex(r.mfn)}\``).join(', ')}.` : ', not shadowed.';
  return {
    label: l3 ? `PPGTT (32-bit) pdps ${mm.pdps.map((g) => hex(g)).join(' ')}` : `PPGTT root gfn ${hex(mm.rootGfn)}`,
    description: parts.join(' · '),
    tooltip: (l3
      ? `**${mm.vgpu}**: the guest's 32-bit (3-level) PPGTT: four root pointers, each a page directory (0 = none)`
      : `**${mm.vgpu}**: the guest's 4-level PPGTT whose PML4 is gfn \`${hex(mm.rootGfn)}\``) + shadowedBy +
      `\n\nReference count ${mm.refs}: each CREATE notification (\`shadow\`) takes one, each DESTROY (\`unshadow\`) and a vGPU reset drop one; the mm is released at 0.`,
    icon: { id: mm.active ? 'circuit-board' : 'type-hierarchy', color: mm.active ? Color.info : undefined },
    collapsible: mm.roots.length ? 'expanded' : 'none',
  };
}

export function unreachableGroupItem(count: number): ItemModel {
  return {
    label: 'Unreachable shadow tables',
    description: `${count}: no PPGTT reaches them`,
    tooltip: 'Shadow page tables still allocated that no mm reaches: leaked by a failed populate, or the sub-tables of a gfn-0 record.',
    icon: { id: 'warning', color: Color.warning },
    collapsible: 'collapsed',
  };
}

/** The states of an spt worth a glance, most alarming first. */
export function sptMarks(s: SptSummary): string[] {
  const m: string[] = [];
  if (s.mismatches) m.push(plural(s.mismatches, 'mismatch', 'mismatches'));
  if (s.oos) m.push('out of sync');
  if (s.postShadow) m.push(`${s.postShadow} post-shadow`);
  return m;
}

/** A table's or entry's icon, the most urgent state first: shadow ≠ guest, a write waiting for the post-shadow flush, out of sync. */
function stateIcon(mismatch: boolean, postShadow: boolean, oos: boolean, otherwise: IconModel): IconModel {
  if (mismatch) return { id: 'error', color: Color.error };
  if (postShadow) return { id: 'history', color: Color.changed };
  if (oos) return { id: 'sync-ignored', color: Color.warning };
  return otherwise;
}

export function sptItem(s: SptSummary): ItemModel {
  const marks = sptMarks(s);
  const parts = [...marks, `${s.present} present`, `ref ${s.refcount}`];
  if (s.gfn !== 0) parts.push(s.tracked ? 'tracked' : 'untracked');
  if (s.pdeIps) parts.push('64K');
  const icon = stateIcon(s.mismatches > 0, s.postShadow > 0, s.oos, { id: 'symbol-structure' });
  const guest = s.gfn !== 0 ? `gfn ${hex(s.gfn)}` : 'split 2M';
  return {
    label: `${s.level} ${guest}`,
    description: `→ mfn ${hex(s.mfn)} · ${parts.join(' · ')}`,
    tooltip: [
      `**${s.level}** shadow table of ${s.vgpu}`,
      '',
      `| | |`,
      `|---|---|`,
      `| guest page | ${s.gfn !== 0 ? `gfn \`${hex(s.gfn)}\`` : 'none (the sub-table of a split 2M entry)'} |`,
      `| shadow page | mfn \`${hex(s.mfn)}\` |`,
      `| refcount | ${s.refcount} |`,
      `| present entries | ${s.present} |`,
      `| write-protected | ${s.tracked ? 'yes' : 'no'} |`,
      `| out of sync | ${s.oos ? 'yes (OOS page attached, protection off)' : 'no'} |`,
      `| post-shadow | ${s.postShadow ? `${s.postShadow} entries wait for the flush` : 'none'} |`,
      `| mismatches | ${s.mismatches} |`,
      ...(s.pdeIps ? ['| 64K | the parent PDE has IPS |'] : []),
    ].join('\n'),
    icon,
    contextValue: sptContext(s),
    collapsible: 'collapsed',
  };
}

const sptContext = (s: SptSummary): string => (s.gfn !== 0 ? ItemContext.sptWithGuest : ItemContext.sptShadowOnly);

const SIZES: ReadonlyArray<[number, string]> = [[512 * 512, '1G'], [512, '2M'], [16, '64K'], [1, '4K']];
export const sizeOfPages = (pages: number): string => SIZES.find(([n]) => n === pages)?.[1] ?? `${pages} pages`;

export function targetText(t: EntryTarget): string {
  switch (t.kind) {
    case 'none':
      return 'not present';
    case 'table':
      return `table mfn ${hex(t.mfn)}${t.gfn > 0 ? ` (gfn ${hex(t.gfn)})` : ''}`;
    case 'page':
      return `${sizeOfPages(t.pages)} page mfn ${hex(t.mfn)}${t.gfn !== undefined ? ` (gfn ${hex(t.gfn)})` : ''}`;
    case 'scratch':
      return `scratch mfn ${hex(t.mfn)}`;
  }
}

const isZeroHex = (h: string): boolean => /^(0x)?0*$/i.test(h);

const flagsText = (flags: readonly string[]): string => (flags.length ? flags.join(' ') : '—');

/**
 * An entry row: guest on the label, shadow in the description. An entry that points at a shadow
 * table expands to that table's entries (the table's level and marks are on the entry).
 */
export function entryItem(e: ShadowEntryRow, table: SptSummary): ItemModel {
  const guest = e.guestGfn !== undefined ? `${flagsText(e.guestFlags)} → gfn ${hex(e.guestGfn)}` : isZeroHex(e.guest) ? 'empty' : `${flagsText(e.guestFlags)} (not present)`;
  const target = e.child ? `${e.child.level} ${targetText(e.shadowTarget)}` : targetText(e.shadowTarget);
  const childMarks = e.child ? sptMarks(e.child) : [];
  const shadow = `${flagsText(e.shadowFlags)} → ${target}${childMarks.length ? ` (${childMarks.join(', ')})` : ''}`;
  const marks: string[] = [];
  if (e.mismatch) marks.push('≠');
  if (e.postShadow) marks.push('post-shadow');
  if (e.oos) marks.push('oos');
  const icon = stateIcon(Boolean(e.mismatch), e.postShadow, e.oos,
    e.scratch ? { id: 'circle-slash', color: Color.muted } : { id: e.child ? 'list-tree' : 'symbol-field' });
  const idx = `[${e.index}]`;
  return {
    label: `${idx} guest ${guest}`,
    highlights: e.mismatch ? [[0, idx.length]] : undefined,
    description: `${marks.length ? marks.join(' ') + ' ' : ''}shadow ${shadow}`,
    tooltip: [
      `**entry ${e.index}** (\`${hex(e.index)}\`)`,
      '',
      `| | guest | shadow |`,
      `|---|---|---|`,
      `| value | \`${e.guest}\` | \`${e.shadow}\` |`,
      `| flags | ${flagsText(e.guestFlags)} | ${flagsText(e.shadowFlags)} |`,
      `| points at | ${e.guestGfn !== undefined ? `gfn \`${hex(e.guestGfn)}\`` : '—'} | ${targetText(e.shadowTarget)} |`,
      '',
      ...(e.mismatch ? [`**Mismatch:** ${e.mismatch}`, ''] : []),
      ...(e.postShadow ? ['A partial (4-byte) write to this entry waits for the post-shadow flush (`submit`).', ''] : []),
      ...(e.oos ? ['The page is out of sync: guest entries may be ahead of the shadow until the next submission.', ''] : []),
      ...(e.scratch ? ['The shadow entry points at a scratch page or table: the GPU reads zeroes there.'] : []),
      ...(e.child ? [`Expands to the ${e.child.level} shadow table at mfn \`${hex(e.child.mfn)}\`${childMarks.length ? `: ${childMarks.join(', ')}` : ''}.`] : []),
    ].join('\n'),
    icon,
    contextValue: sptContext(table),
    collapsible: e.child ? 'collapsed' : 'none',
  };
}
