// A large, valid scenario for the scale test and for timing the scanner, parser and checker.

/** A realistic mix: definitions, loops, stores, expects; 50,000 lines. */
export function largeScenario(lines = 50_000): string {
  const out = ['kernel newest', 'vgpu vm1 memory 1G', 'handler h returns 0', 'let base = 0x40000'];
  let k = 0;
  while (out.length < lines - 8) {
    const g = 0x100 + (k % 0x3000);
    out.push(
      `# block ${k}`,
      `register vm1 gfn ${g} handler h priv "page ${k}"`,
      `enable vm1 gfn 0x${g.toString(16)}`,
      `repeat 4 as i {`,
      `  write vm1 gpa base + i*8 + ${k % 64} * 0x1000 u64 0x1122_3344_5566_7788 ^ 0`.replace(' ^ 0', ''),
      `}`,
      `expect vm1 gfn ${g} tracked`,
      `expect ret == 0`,
    );
    k++;
  }
  while (out.length < lines) out.push('expect no trap');
  return out.join('\n') + '\n';
}
