// COPY/ADD --chmod as a function of each file's mode: octal (`0755`, the whole mode) or chmod(1)'s
// symbolic form (`u+x,g-w`, `a=rX`, `go=u`), applied to every copied file and directory. The
// symbolic form ignores the umask (an omitted "who" means all), X adds execute to directories and
// to files that are executable for someone, s and t set set-id and sticky bits.
import { BuildError } from './buildError';

export type ModeChange = (mode: number, isDirectory: boolean) => number;

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[ugo]|[rwxXst]*))+)$/;

/** Parses a --chmod value; throws a BuildError naming the value when it is neither form. */
export function parseChmod(text: string): ModeChange {
  if (/^[0-7]+$/.test(text)) {
    const mode = parseInt(text, 8);
    if (mode > 0o7777) throw new BuildError(`invalid --chmod '${text}': an octal mode is at most 7777`);
    return () => mode;
  }
  const clauses = text.split(',').map((clause) => {
    const m = CLAUSE.exec(clause);
    if (!m) throw new BuildError(`invalid --chmod '${text}': '${clause}' is neither an octal mode nor a symbolic one like u+x,g-w`);
    const who = m[1].replace(/a/g, 'ugo') || 'ugo';
    const mask = [...new Set(who)].reduce((bits, w) => bits | WHO_BITS[w], 0);
    const ops = [...m[2].matchAll(/([-+=])([ugo]|[rwxXst]*)/g)].map((op) => ({ op: op[1], perms: op[2] }));
    return { mask, ops };
  });
  return (start, isDirectory) => {
    let mode = start & 0o7777;
    for (const { mask, ops } of clauses) {
      for (const { op, perms } of ops) {
        let bits = 0;
        if (/^[ugo]$/.test(perms)) {
          // copy another class's permissions (rwx) to the classes named
          const shift = perms === 'u' ? 6 : perms === 'g' ? 3 : 0;
          const rwx = (mode >> shift) & 7;
          bits = (rwx << 6) | (rwx << 3) | rwx;
        } else {
          for (const p of perms) {
            if (p === 'r') bits |= 0o444;
            else if (p === 'w') bits |= 0o222;
            else if (p === 'x') bits |= 0o111;
            else if (p === 'X') bits |= isDirectory || (mode & 0o111) !== 0 ? 0o111 : 0;
            else if (p === 's') bits |= 0o6000;
            else if (p === 't') bits |= 0o1000;
          }
        }
        bits &= mask;
        if (op === '+') mode |= bits;
        else if (op === '-') mode &= ~bits;
        else mode = (mode & ~(mask & 0o777)) | bits;
      }
    }
    return mode & 0o7777;
  };
}
