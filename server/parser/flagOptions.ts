// Comma-separated `key=value` fields of a flag value such as `--mount=type=cache,target=/x`
// (CSV: a field may be double-quoted, `""` inside quotes is a quote).
import type { RawFlag } from './splitCommand';

export interface RawFlagOption {
  key: string;
  value: string | undefined;
  /** Offsets in the instruction text. */
  start: number;
  end: number;
  keyEnd: number;
  valueStart?: number;
}

/** Splits the value of `flag` (after `=`) into fields. */
export function parseFlagOptions(flag: RawFlag, valueIndex: number): RawFlagOption[] {
  const { word, map } = flag;
  const options: RawFlagOption[] = [];
  let i = valueIndex;
  while (i <= word.length) {
    let field = '';
    const fieldMap: number[] = [];
    const begin = i;
    if (word[i] === '"') {
      i++;
      while (i < word.length) {
        if (word[i] === '"') {
          if (word[i + 1] === '"') { field += '"'; fieldMap.push(map[i]); i += 2; continue; }
          i++;
          break;
        }
        field += word[i];
        fieldMap.push(map[i]);
        i++;
      }
      while (i < word.length && word[i] !== ',') { field += word[i]; fieldMap.push(map[i]); i++; }
    } else {
      while (i < word.length && word[i] !== ',') { field += word[i]; fieldMap.push(map[i]); i++; }
    }
    const start = map[begin];
    const end = map[i];
    if (field.length > 0 || i < word.length) {
      const eq = field.indexOf('=');
      const keyEnd = eq < 0 ? end : fieldMap[eq];
      options.push({
        key: eq < 0 ? field : field.slice(0, eq),
        value: eq < 0 ? undefined : field.slice(eq + 1),
        start,
        end,
        keyEnd,
        valueStart: eq < 0 ? undefined : (fieldMap[eq + 1] ?? end),
      });
    }
    i++;
  }
  return options;
}
