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

/** Splits the value of `flag` (from `valueIndex` in its processed word) into fields. */
export function parseFlagOptions(flag: RawFlag, valueIndex: number): RawFlagOption[] {
  const { word } = flag;
  const table = flag.map;
  const off = (i: number): number => (table ? table[i] : flag.start + i);
  const options: RawFlagOption[] = [];
  let i = valueIndex;
  while (i <= word.length) {
    const begin = i;
    let field: string;
    let fieldOffset: (k: number) => number;
    if (word[i] === '"') {
      const offsets: number[] = [];
      field = '';
      i++;
      while (i < word.length) {
        if (word[i] === '"') {
          if (word[i + 1] === '"') { field += '"'; offsets.push(off(i)); i += 2; continue; }
          i++;
          break;
        }
        field += word[i];
        offsets.push(off(i));
        i++;
      }
      while (i < word.length && word[i] !== ',') { field += word[i]; offsets.push(off(i)); i++; }
      fieldOffset = (k) => offsets[k] ?? off(i);
    } else {
      let stop = word.indexOf(',', i);
      if (stop < 0) stop = word.length;
      field = word.slice(i, stop);
      fieldOffset = (k) => off(begin + k);
      i = stop;
    }
    const start = off(begin);
    const end = off(i);
    if (field.length > 0 || i < word.length) {
      const eq = field.indexOf('=');
      options.push({
        key: eq < 0 ? field : field.slice(0, eq),
        value: eq < 0 ? undefined : field.slice(eq + 1),
        start,
        end,
        keyEnd: eq < 0 ? end : fieldOffset(eq),
        valueStart: eq < 0 ? undefined : eq + 1 < field.length ? fieldOffset(eq + 1) : end,
      });
    }
    i++;
  }
  return options;
}
