// What a guest CPU store did (Vgpu.guestStore): whether it trapped into GVT, and what the
// dispatcher answered (the kernel drops that answer; the scenario's `ret` shows it).

export interface StoreResult {
  /** The store (or a page of it) reached the dispatcher. */
  readonly trapped: boolean;
  /** The first non-zero dispatcher result, else 0. */
  readonly ret: number;
  /** How many pages of the store trapped. */
  readonly traps: number;
}

/** What almost every store returns, shared: a store allocates nothing unless it spans pages or fails. */
export const NOT_TRAPPED: StoreResult = Object.freeze({ trapped: false, ret: 0, traps: 0 });
const TRAPPED_ONCE: StoreResult = Object.freeze({ trapped: true, ret: 0, traps: 1 });

export function storeResult(traps: number, ret: number): StoreResult {
  if (ret === 0 && traps <= 1) return traps === 0 ? NOT_TRAPPED : TRAPPED_ONCE;
  return { trapped: traps > 0, ret, traps };
}
