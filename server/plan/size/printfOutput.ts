// What `printf FORMAT [ARG...]` prints, for the conversions a Dockerfile writes files with
// (%s, %b, %d, %i, %c, %%, with `-` and `0`, width and precision); undefined for any other
// (%f, %x, the `+`, ` ` and `#` flags, ...).
// The format is reused while arguments remain, as POSIX printf does.

/** A conversion: flags, width, precision, kind. */
const CONVERSION = /%([-+ #0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', "'": "'" };

/** Resolves backslash escapes; `octalNeedsZero` is %b's form (`\0NNN`), the format's is `\NNN`. */
function unescape(text: string, octalNeedsZero: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\' || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    const octal = (octalNeedsZero ? /^0([0-7]{0,3})/ : /^([0-7]{1,3})/).exec(text.slice(i + 1));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[1] || '0', 8) & 0xff);
      i += octal[0].length;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

function pad(text: string, flags: string, width: number | undefined): string {
  if (width === undefined || text.length >= width) return text;
  if (flags.includes('-')) return text + ' '.repeat(width - text.length);
  if (flags.includes('0') && /^-?\d+$/.test(text)) {
    const sign = text.startsWith('-') ? '-' : '';
    return sign + '0'.repeat(width - text.length) + text.slice(sign.length);
  }
  return ' '.repeat(width - text.length) + text;
}

/** One conversion of one argument (missing: empty, or 0 for numbers); undefined when not modelled. */
function convert(kind: string, arg: string | undefined): string | undefined {
  if (kind === 's') return arg ?? '';
  if (kind === 'b') return unescape(arg ?? '', true);
  if (kind === 'c') return (arg ?? '').slice(0, 1);
  if (kind === 'd' || kind === 'i') return arg === undefined ? '0' : /^[-+]?\d+$/.test(arg) ? String(Number(arg)) : undefined;
  return undefined;
}

/** printf's output for `format` and `args`; undefined for conversions it does not model. */
export function printfOutput(format: string, args: readonly string[]): string | undefined {
  let out = '';
  let rest = args;
  for (;;) {
    let used = 0;
    let last = 0;
    for (const m of format.matchAll(CONVERSION)) {
      out += unescape(format.slice(last, m.index), false);
      last = m.index + m[0].length;
      const [, flags, width, precision, kind] = m;
      if (kind === '%') {
        out += '%';
        continue;
      }
      const converted = /[+ #]/.test(flags) ? undefined : convert(kind, rest[used++]);
      if (converted === undefined) return undefined;
      const text = precision !== undefined && (kind === 's' || kind === 'b') ? converted.slice(0, Number(precision)) : converted;
      out += pad(text, flags, width === undefined ? undefined : Number(width));
    }
    out += unescape(format.slice(last), false);
    rest = rest.slice(used);
    if (used === 0 || rest.length === 0) return out;
  }
}
