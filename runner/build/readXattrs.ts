// Extended attributes of a whole tree in one `getfattr -R -d` (package `attr`): what a layer
// snapshot needs (overlay opaque markers, file capabilities, user.* attributes) without one
// process per file. Node has no xattr API.
import { execFile } from 'child_process';
import { unescapeDumpPath } from '../layers/specialFiles';

/** Absolute path -> attribute name -> value. */
export type XattrTable = Map<string, Map<string, Buffer>>;

/** Attributes below `dir` whose names match `pattern` (a getfattr -m regex). Symlinks are not followed. */
export function readXattrs(dir: string, pattern: string): Promise<XattrTable> {
  return new Promise((resolve, reject) => {
    execFile('getfattr', ['-R', '-P', '-d', '-m', pattern, '-e', 'hex', '--absolute-names', '--', dir], { maxBuffer: 1 << 28 }, (err, stdout) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e && e.code === 'ENOENT') {
        reject(new Error("cannot read extended attributes: getfattr is missing (install the 'attr' package)"));
        return;
      }
      // A non-zero exit with output (e.g. a file vanished meanwhile) still lists the rest.
      resolve(parseXattrDump(stdout ?? ''));
    });
  });
}

/** Parses `getfattr -d -e hex` output. */
export function parseXattrDump(text: string): XattrTable {
  const table: XattrTable = new Map();
  let current: Map<string, Buffer> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = new Map();
      table.set(unescapeDumpPath(line.slice(8)), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) continue;
    const value = line.slice(eq + 1);
    current.set(line.slice(0, eq), value.startsWith('0x') ? Buffer.from(value.slice(2), 'hex') : Buffer.from(value.replace(/^"|"$/g, '')));
  }
  for (const [file, attrs] of table) if (attrs.size === 0) table.delete(file);
  return table;
}
