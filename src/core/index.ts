// The public face of the simulation core: what src/dsl and the tests use.

export * from './address';
export * from './errno';
export * from './events';
export * from './gen8Entry';
export { GuestMemory } from './guestMemory';
export { HostMemory, HostLimitReached } from './hostMemory';
export { DmaMap, type DmaMapping, type ReplacedMapping } from './dmaMap';
export { Kvmgt, MAX_REMOVED_RANGES } from './kvmgt';
export { PageTrackTable, PageTrackRecord, type TrackHandler } from './pageTrackTable';
export { ShadowPpgtt, levelName } from './shadowPpgtt';
export { Spt, ENTRIES_PER_PAGE } from './spt';
export { OosPool, OosPage, PREALLOCATED_OOS_PAGES } from './oosPool';
export { OosSync } from './oosSync';
export { PpgttMm, type RootType } from './ppgttMm';
export { PpgttMmList } from './ppgttMmList';
export { type Platform, PLATFORMS, PLATFORM_DESCRIPTIONS, ipsEnabled } from './platform';
export { HostBacking, type BackingKind, BACKING_KINDS, MAX_BACKING_RANGES } from './hostBacking';
export { gpuWalk, guestWalk, walkPageNote, type WalkResult, type WalkOutcome, type WalkStep } from './gpuWalker';
export { GuestPpgttBuilder, type MapSize, type BuildError } from './guestPpgttBuilder';
export { Vgpu, type TrapObserver, type TrapRecordState } from './vgpu';
export { type StoreResult } from './storeResult';
export { Machine } from './machine';
export { isProtected, oosPages, postShadowQueue, recordFacts, vgpuCounts, vgpuFacts, type RecordFacts, type VgpuCounts, type VgpuFacts } from './inspect';
export { HazardLog } from './hazardLog';
export { ScenarioHandler, LOG_HANDLER } from './scenarioHandler';
export { type KernelProfile, PROFILES, PROFILE_DESCRIPTIONS } from './profile';
export { MAX_GUEST_PAGES, GGTT_SCRATCH_MFN } from './hostMemory';
