// How alike two names are, for hints that guess what was meant: a targetPort name against the
// declared port names, a selector value against the values the pods carry.

/** Edit distance with adjacent transpositions (optimal string alignment): "htpp" is 1 from "http". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/**
 * Close enough to be a typo or a prefixed variant: at most two edits that leave most of the
 * longer name as it was ("db" and "ui" are not alike), or one name inside the other (3+ characters).
 */
export function plausiblyMeant(target: string, name: string): boolean {
  const distance = editDistance(target, name);
  return (
    (distance <= 2 && distance * 2 < Math.max(target.length, name.length)) ||
    (Math.min(target.length, name.length) >= 3 && (target.includes(name) || name.includes(target)))
  );
}

/** The candidate `word` most plausibly meant (the fewest edits), for "did you mean" hints; undefined when none is alike. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (!plausiblyMeant(word, candidate)) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
