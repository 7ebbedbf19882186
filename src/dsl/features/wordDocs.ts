// Short explanations of the sub-keywords, the built-in handlers and the error codes, for hovers
// and completion details. Error meanings are Linux's strerror texts plus where GVT-g returns them
// (docs/kernel-model.md §2).

import { ERRNO_BY_NAME } from '../../core/errno';

export const WORD_DOCS: Readonly<Record<string, string>> = {
  gfn: 'guest frame number: a 4 KiB guest page (gpa >> 12)',
  gpa: 'guest physical address (gfn << 12 | offset)',
  va: 'GPU virtual address, walked through the PPGTT (48 bits, 4 levels)',
  root: 'the gfn of the PPGTT\'s top-level table (PML4)',
  pool: 'the gfns the guest driver allocates new table pages from, lowest free first',
  memory: 'guest memory size, a multiple of 4K (default 64M)',
  returns: 'the code the handler returns on every call',
  handler: 'the page-track handler called when a store to the gfn traps',
  priv: 'a string kept in the record (the kernel\'s `priv` pointer)',
  size: 'page size of the mapping: 4K (PTE), 64K (PTE, IPS in the PDE), 2M (PDE with PS) or 1G (PDPE with PS)',
  bytes: 'raw bytes, two hex digits each, stored in order',
  u8: '1-byte little-endian value',
  u16: '2-byte little-endian value',
  u32: '4-byte little-endian value',
  u64: '8-byte little-endian value',
  tracked: 'a record exists and its `tracked` flag is set (write protection requested)',
  untracked: 'a record exists and its `tracked` flag is clear',
  registered: 'a record exists, tracked or not',
  unregistered: 'no record exists for the gfn',
  ret: 'the result of the last statement that sets it (0 or a negative errno)',
  trap: 'the last guest store reached the page-track dispatcher',
  no: '`no trap`: the last guest store did not reach the dispatcher',
  traps: 'how many stores (pages of stores) of this vGPU have trapped so far',
  fault: 'the shadow walk hits a non-present entry: a GPU page fault',
  scratch: 'the shadow walk ends on a scratch page: the GPU reads zeroes, no fault',
  as: 'the loop variable, 0 .. COUNT-1',
  on: 'turn the out-of-sync optimisation on',
  off: 'turn the out-of-sync optimisation off (the default)',
  newest: 'model the newest kernels (about Linux 6.6+): the default',
  legacy: 'model legacy kernels (about 4.19 to 5.18)',
  remove: 'remove the memslot range from kvmgt\'s protect table',
  read: 'a GPU read through the shadow PPGTT',
};

export const BUILTIN_HANDLER_DOCS: Readonly<Record<string, string>> = {
  log: 'Built-in handler: records each call and returns 0.',
  ppgtt:
    "Built-in handler: GVT's shadow-PPGTT write-protection handler (`ppgtt_write_protection_handler`). Only `shadow` attaches it: `register ... handler ppgtt` is an error.",
};

interface ErrnoDoc {
  readonly text: string;
  readonly gvt: string;
}

const ERRNO_DOCS: Readonly<Record<string, ErrnoDoc>> = {
  ESRCH: { text: 'No such process', gvt: 'the hypervisor add/remove on a detached vGPU (KVMGT not attached)' },
  ENXIO: { text: 'No such device or address', gvt: '`enable`/`disable`/`find` without a record; the dispatcher for a gfn with no record; a leaf gfn without a memslot when shadowing (newest)' },
  ENOMEM: { text: 'Cannot allocate memory', gvt: 'allocating a page-track record, spt or mm failed' },
  EFAULT: { text: 'Bad address', gvt: 'a guest memory access the hypervisor could not complete' },
  EEXIST: { text: 'File exists', gvt: '`register` of a gfn that already has a record; `shadow` when another tracker owns a table page' },
  EINVAL: { text: 'Invalid argument', gvt: 'no memslot for the gfn; a 1G entry when shadowing; a trapped write that is not 4 or 8 bytes; `unshadow` of a root never shadowed' },
  EBADRQC: { text: 'Invalid request code', gvt: 'a workload dispatch failure that marks the vGPU unhealthy' },
};

export const ERRNO_NAMES: readonly string[] = Object.keys(ERRNO_BY_NAME);

/** `-EEXIST` → its value and meaning, as markdown; undefined for an unknown name. */
export function errnoMarkdown(name: string): string | undefined {
  if (!Object.hasOwn(ERRNO_DOCS, name) || !Object.hasOwn(ERRNO_BY_NAME, name)) return undefined;
  const value = ERRNO_BY_NAME[name];
  const doc = ERRNO_DOCS[name];
  return `**-${name}** = -${value} (${doc.text})\n\nIn GVT-g: ${doc.gvt}.`;
}

/** The errno name of a negative value (`-17` → `EEXIST`). */
export function errnoNameOf(value: bigint): string | undefined {
  for (const [name, v] of Object.entries(ERRNO_BY_NAME)) if (BigInt(-v) === value) return name;
  return undefined;
}
