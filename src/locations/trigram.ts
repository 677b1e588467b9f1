/**
 * Trigram similarity as pg_trgm computes it (`similarity()`), on already normalised text: each
 * word padded with two spaces before and one after, its three-letter runs taken as a set, and
 * the share of the two sets' union they have in common. The import's place matcher uses it in
 * memory so that it suggests what `location=` suggests ("Did you mean …?") without a query per row.
 */
export function trigrams(norm: string): Set<string> {
  const out = new Set<string>();
  for (const word of norm.split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    const padded = [...`  ${word} `];
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3).join(''));
  }
  return out;
}

export function trigramSimilarity(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return common / (a.size + b.size - common);
}

/** Levenshtein distance (insertions, deletions, substitutions), by code point. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}
