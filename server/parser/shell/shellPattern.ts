// Shell wildcard patterns of ${VAR#pat}, ${VAR%pat} and ${VAR/pat/rep}, as BuildKit converts them
// to regular expressions (`*` and `?` only, no bracket expressions).

const regexSpecials = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

/** Converts a shell pattern to a RegExp; throws a message string on an invalid escape. */
export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? '.*' : '.*?';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') { out += star; continue; }
    if (c === '?') { out += '.'; continue; }
    if (c === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue; // escape belongs to ${}, not to the pattern
      if (next !== '*' && next !== '?' && next !== '\\') throw new PatternError(`invalid escape '\\${next ?? ''}'`);
      out += '\\' + next;
      i++;
      continue;
    }
    if (regexSpecials.has(c)) out += '\\';
    out += c;
  }
  return new RegExp(out, 'u');
}

export class PatternError extends Error {}

/** `${value#pattern}` / `${value##pattern}`. */
export function trimPrefixPattern(pattern: string, value: string, greedy: boolean): string {
  const match = shellPatternToRegex(pattern, greedy, true).exec(value);
  return match ? value.slice(match.index + match[0].length) : value;
}

/** `${value%pattern}` / `${value%%pattern}`: reverse both and trim a prefix. */
export function trimSuffixPattern(pattern: string, value: string, greedy: boolean): string {
  const reversed = trimPrefixPattern(reversePattern(pattern), reverseString(value), greedy);
  return reverseString(reversed);
}

function reverseString(text: string): string {
  return Array.from(text).reverse().join('');
}

/** Reverses a pattern while keeping each `\x` escape in front of its character. */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last;) {
    const at = last - i;
    if (chars[i] === '\\' && i !== last) {
      out[at - 1] = '\\';
      out[at] = chars[i + 1];
      i += 2;
    } else {
      out[at] = chars[i];
      i++;
    }
  }
  return out.join('');
}

/** `${value/pattern/replacement}` (first match) or `${value//pattern/replacement}` (all). */
export function replacePattern(pattern: string, replacement: string, value: string, all: boolean): string {
  const re = shellPatternToRegex(pattern, true, false);
  if (!all) {
    const m = re.exec(value);
    return m ? value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length) : value;
  }
  const global = new RegExp(re.source, 'gu');
  return value.replace(global, () => replacement);
}
