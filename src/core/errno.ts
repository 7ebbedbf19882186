// Linux x86 error numbers used by the GVT-g page-track and PPGTT paths (docs/kernel-model.md §2).
// Kernel functions return 0 or a negative errno; the simulation does the same.

export const ESRCH = 3;
export const ENXIO = 6;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EEXIST = 17;
export const EINVAL = 22;
export const EBADRQC = 56;

export const ERRNO_BY_NAME: Readonly<Record<string, number>> = {
  ESRCH, ENXIO, ENOMEM, EFAULT, EEXIST, EINVAL, EBADRQC,
};

const NAME_BY_ERRNO = new Map<number, string>(Object.entries(ERRNO_BY_NAME).map(([k, v]) => [v, k]));

/** `-17` → `-EEXIST`, `0` → `0`, anything else as a signed decimal. */
export function errnoName(ret: number): string {
  if (ret < 0) {
    const name = NAME_BY_ERRNO.get(-ret);
    if (name) return `-${name}`;
  }
  return String(ret);
}
