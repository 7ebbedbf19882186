// The status-bar item while a gvt session is stopped: each vGPU's failsafe state and trap count,
// and the kernel profile. Pure: text, tooltip (markdown) and whether to warn.

import type { KernelProfileName, VgpuSummary } from '../../debug/protocol';
import { plural } from './numbers';

export interface StatusModel {
  text: string;
  tooltip: string;
  warning: boolean;
}

/** At most this many vGPUs are named in the bar; the tooltip lists them all. */
const MAX_IN_BAR = 2;

export function statusModel(vgpus: readonly VgpuSummary[], profile: KernelProfileName | undefined, inKernel = false): StatusModel {
  const kernel = profile ?? 'newest';
  const failsafe = vgpus.filter((v) => v.failsafe);
  const shown = vgpus.slice(0, MAX_IN_BAR).map((v) => `${v.name} ${plural(v.traps, 'trap')}${v.failsafe ? ' FAILSAFE' : ''}`);
  if (vgpus.length > MAX_IN_BAR) shown.push(`+${vgpus.length - MAX_IN_BAR}`);
  const icon = failsafe.length ? '$(warning)' : '$(chip)';
  const text = vgpus.length ? `${icon} ${shown.join(' · ')} · ${kernel}` : `$(chip) no vGPU yet · ${kernel}`;
  const rows = vgpus.map((v) =>
    `| ${v.name} | ${v.failsafe ? '**failsafe**' : 'normal'} | ${v.traps} | ${v.registered} / ${v.tracked} | ${v.spts} | ${v.mms} | ${v.oos ? 'on' : 'off'} |`);
  const tooltip = [
    `**GVT** — kernel profile \`${kernel}\`${inKernel ? ' — stopped inside a kernel call' : ''}`,
    '',
    ...(vgpus.length
      ? ['| vGPU | mode | traps | records / tracked | spts | PPGTTs | oos |', '|---|---|---|---|---|---|---|', ...rows]
      : ['No vGPU has been created yet.']),
    '',
    'Click to show the Page Track Table.',
  ].join('\n');
  return { text, tooltip, warning: failsafe.length > 0 };
}
