// "Did you mean ...?": the closest known name within a small edit distance (like BuildKit's suggest).

function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The option closest to `value` (case-insensitive when asked), or undefined when none is close. */
export function suggestName(value: string, options: Iterable<string>, caseInsensitive = false): string | undefined {
  if (value === '') return undefined;
  const limit = value.length <= 3 ? 1 : 2;
  const v = caseInsensitive ? value.toLowerCase() : value;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const option of options) {
    if (option === value) continue;
    const d = distance(v, caseInsensitive ? option.toLowerCase() : option, limit);
    if (d < bestDistance || (d === bestDistance && best !== undefined && option < best)) {
      best = option;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
