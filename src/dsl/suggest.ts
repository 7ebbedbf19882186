// "Did you mean": the closest known word to a misspelt one, for unknown statements, vGPUs,
// handlers and names. Bounded: keywords are few, and a file's definitions are looked at within a
// budget per file (SuggestBudget).

/** Edit distance (insert, delete, substitute, swap of neighbours), giving up above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/** Longer words are not misspellings anyone types: they get no suggestion. */
const MAX_SUGGESTED_LENGTH = 64;

/**
 * Work one file's suggestions may do in all (SuggestBudget), in candidates looked at and in cells of
 * the distance tables: each unknown name is compared with every name in scope, so 10 k unknown
 * names among 10 k defined ones took 38 s on every edit, and 300 unknown 64-character names among
 * 700 that differ only at their ends took 11 s (every comparison a full table). Past either,
 * unknown names are still reported, without a suggestion.
 */
const CANDIDATES_PER_FILE = 200_000;
const CELLS_PER_FILE = 20_000_000;

/** What is left of a file's suggestion work (shared by every `closest` of one check). */
export class SuggestBudget {
  left = CANDIDATES_PER_FILE;
  cells = CELLS_PER_FILE;
}

/** The closest candidate within a distance that scales with the word (1 for short words), if any. */
export function closest(word: string, candidates: Iterable<string>, budget?: SuggestBudget): string | undefined {
  // The distance costs |word| x |candidate|: a name of a million characters would take hours.
  if (word.length > MAX_SUGGESTED_LENGTH) return undefined;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (budget && budget.left-- <= 0) return undefined;
    if (c === word || c === '' || c.length > MAX_SUGGESTED_LENGTH) continue;
    if (budget && (budget.cells -= word.length * c.length) < 0) return undefined;
    // Only a closer candidate matters now: the table gives up sooner.
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(word, c, Math.min(limit, Math.ceil(bestDistance) - 1));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` or ''. */
export const didYouMean = (s: string | undefined): string => (s === undefined ? '' : ` (did you mean '${s}'?)`);
