// The debug adapter (src/debug, the simulator behind it), bundled as its own file
// (dist/lazy/debugSession.js, see scripts/build.mjs) so activation does not parse it:
// debugAdapter.ts loads it when the first gvt debug session starts.
export { GvtDebugSession } from '../../debug/gvtDebugSession';
