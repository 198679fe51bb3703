// "Did you mean ...?" suggestions, as BuildKit adds them to unknown names.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest candidate within a small edit distance, if any. */
export function closestName(name: string, candidates: readonly string[], caseSensitive: boolean): string | undefined {
  if (name.length > 32) return undefined;
  const norm = (s: string) => (caseSensitive ? s : s.toLowerCase());
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(name.length / 3) + 1));
  for (const c of candidates) {
    const d = distance(norm(name), norm(c));
    if (d > 0 && d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
