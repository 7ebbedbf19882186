// npm run screenshots: the README's pictures (tour-*.png) from the run's screenshots into docs/images/.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGES, SHOTS_DIR } from './paths.mjs';

/** Copies them; undefined, or why there was nothing to keep. */
export function keepPictures() {
  const shots = existsSync(SHOTS_DIR) ? readdirSync(SHOTS_DIR).filter((f) => /^tour-.*\.png$/.test(f)).sort() : [];
  if (shots.length === 0) return 'the run took no tour-*.png screenshot';
  mkdirSync(IMAGES, { recursive: true });
  for (const f of shots) {
    copyFileSync(join(SHOTS_DIR, f), join(IMAGES, f));
    const kb = statSync(join(IMAGES, f)).size / 1024;
    console.log(`e2e: docs/images/${f} (${kb.toFixed(0)} KB)${kb > 300 ? ' -- over 300 KB, keep README pictures small' : ''}`);
  }
  return undefined;
}
