/**
 * "Did you mean …?" for misspelt names (unknown keys, unknown tasks in
 * `requires`, unknown commands in events).
 */

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbours (the usual typos), case-insensitive.
 */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  const rows: number[][] = [Array.from({ length: right.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= left.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[left.length]![right.length]!;
}

/** The closest candidate within a third of the name's length (at least 1, at most 3 edits), or undefined. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A misspelt word and the name it likely meant: a diagnostic carries it, the editor offers the replacement. */
export interface DidYouMean {
  readonly word: string;
  readonly suggestion: string;
}

/** `{ didYouMean }` to spread into a diagnostic when there is a suggestion, else nothing. */
export function didYouMeanOf(word: string, suggestion: string | undefined): { readonly didYouMean?: DidYouMean } {
  return suggestion === undefined ? {} : { didYouMean: { word, suggestion } };
}
