// What a guest CPU store did (Vgpu.guestStore): whether it trapped into GVT, and what the
// dispatcher answered (the kernel drops that answer; the scenario's `ret` shows it).

export interface StoreResult {
  /** The store (or a page of it) reached the dispatcher. */
  trapped: boolean;
  /** The first non-zero dispatcher result, else 0. */
  ret: number;
  /** How many pages of the store trapped. */
  traps: number;
}
