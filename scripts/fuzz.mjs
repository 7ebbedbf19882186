// `npm run fuzz [-- --count N] [--seed S]`: the fuzzer of test/fuzz for a long run (default 100,000
// inputs): mutated samples and generated scenarios through scanner, parser, checker, every editor
// feature and the interpreter, with the core's invariants after every generated statement.
// Prints progress and counts; exits 1 on any failure, printing the first few inputs to reproduce.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const count = arg('--count', 100_000);
const seed = arg('--seed', Date.now() % 1_000_000);

const built = spawnSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(2);
const { fuzz } = createRequire(import.meta.url)('../out/test/fuzz/fuzzer.js');

const t0 = Date.now();
console.log(`fuzz: ${count} inputs from seed ${seed}`);
const failures = fuzz(seed, count, (done) => {
  if (done % 10_000 === 0) console.log(`  ${done} inputs, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
console.log(`fuzz: ${count} inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${failures.length} failure(s)`);
for (const f of failures.slice(0, 3)) console.log(`\n${f.problem}\n--- input (seed ${seed}) ---\n${f.input}`);
process.exitCode = failures.length ? 1 : 0;
