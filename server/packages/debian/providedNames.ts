// The virtual names a Provides field gives (`parseRelations(field).map((g) => g[0].name)`), read
// from its bytes: a Provides field of a Rust library lists dozens of names, and parsing every
// field into relations allocated ~30 MB while bookworm's index was read.
import { parseRelations } from './relations';

/** The lower-cased name handed to `onName` (grown for a longer name). */
let SCRATCH = Buffer.alloc(256);

const COMMA = 0x2c;
const BAR = 0x7c;

function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function isAlphanumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
}

function isNameByte(b: number): boolean {
  return isAlphanumeric(b) || b === 0x2b || b === 0x2e || b === 0x2d;
}

/** Plain ASCII without the `[arch]` and `<profile>` parts parseRelations removes first. */
function isPlain(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b >= 0x80 || b === 0x5b || b === 0x3c) return false;
  }
  return true;
}

/**
 * Calls `onName(name, start, end)` with each group's first name, lower-cased, in order; `name`
 * is a scratch buffer, valid during the call.
 */
export function forEachProvidedName(bytes: Buffer, start: number, end: number, onName: (name: Buffer, start: number, end: number) => void): void {
  if (!isPlain(bytes, start, end)) {
    for (const group of parseRelations(bytes.toString('utf8', start, end))) {
      const name = Buffer.from(group[0].name, 'utf8');
      onName(name, 0, name.length);
    }
    return;
  }
  let scratch = SCRATCH;
  for (let groupStart = start; groupStart <= end; ) {
    let groupEnd = bytes.indexOf(COMMA, groupStart);
    if (groupEnd < 0 || groupEnd > end) groupEnd = end;
    for (let alt = groupStart; alt <= groupEnd; ) {
      let altEnd = bytes.indexOf(BAR, alt);
      if (altEnd < 0 || altEnd > groupEnd) altEnd = groupEnd;
      let i = alt;
      while (i < altEnd && isSpace(bytes[i])) i++;
      if (i < altEnd && isAlphanumeric(bytes[i])) {
        let nameEnd = i;
        while (nameEnd < altEnd && isNameByte(bytes[nameEnd])) nameEnd++;
        if (scratch.length < nameEnd - i) scratch = SCRATCH = Buffer.alloc(2 * (nameEnd - i));
        for (let k = i; k < nameEnd; k++) {
          const b = bytes[k];
          scratch[k - i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
        }
        onName(scratch, 0, nameEnd - i);
        break;
      }
      alt = altEnd + 1;
    }
    groupStart = groupEnd + 1;
  }
}
