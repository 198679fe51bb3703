// USTAR headers with PAX extensions, as Go's archive/tar writes them for image layers. Written by
// hand because PAX values must be raw bytes (file capabilities are binary), which tar-stream's
// string-based PAX encoder cannot carry.

export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

const typeFlags: Record<TarEntryType, string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

export interface TarEntry {
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the Unix epoch. */
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes (`SCHILY.xattr.<name>` records). */
  xattrs?: ReadonlyMap<string, Buffer>;
}

export const BLOCK = 512;
const MAX_OCTAL_8 = 0o7777777;
const MAX_OCTAL_12 = 0o77777777777;

/** Zero padding after `size` bytes of content. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function octal(buf: Buffer, value: number, offset: number, width: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'latin1');
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

function ustarHeader(e: TarEntry, name: Buffer, linkname: Buffer, typeFlag: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0, 0, Math.min(name.length, 100));
  octal(h, e.mode & 0o7777, 100, 8);
  octal(h, Math.min(e.uid, MAX_OCTAL_8), 108, 8);
  octal(h, Math.min(e.gid, MAX_OCTAL_8), 116, 8);
  octal(h, Math.min(size, MAX_OCTAL_12), 124, 12);
  octal(h, Math.max(0, Math.min(e.mtime, MAX_OCTAL_12)), 136, 12);
  h.write(typeFlag, 156, 1, 'latin1');
  linkname.copy(h, 157, 0, Math.min(linkname.length, 100));
  h.write('ustar\u000000', 257, 8, 'latin1');
  octal(h, e.devmajor ?? 0, 329, 8);
  octal(h, e.devminor ?? 0, 337, 8);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

/** The header block(s) of one entry: a PAX header first when a field does not fit USTAR. */
export function encodeTarHeader(e: TarEntry): Buffer {
  const name = Buffer.from(e.name);
  const linkname = Buffer.from(e.linkname ?? '');
  const records: Buffer[] = [];
  if (name.length > 100) records.push(paxRecord('path', name));
  if (linkname.length > 100) records.push(paxRecord('linkpath', linkname));
  if (e.size > MAX_OCTAL_12) records.push(paxRecord('size', Buffer.from(String(e.size))));
  if (e.uid > MAX_OCTAL_8) records.push(paxRecord('uid', Buffer.from(String(e.uid))));
  if (e.gid > MAX_OCTAL_8) records.push(paxRecord('gid', Buffer.from(String(e.gid))));
  for (const [key, value] of [...(e.xattrs ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    records.push(paxRecord(`SCHILY.xattr.${key}`, value));
  }
  const header = ustarHeader(e, name, linkname, typeFlags[e.type], e.type === 'file' ? e.size : 0);
  if (records.length === 0) return header;
  const pax = Buffer.concat(records);
  const paxName = Buffer.from('PaxHeader');
  const paxHeader = ustarHeader({ ...e, size: pax.length }, paxName, Buffer.alloc(0), 'x', pax.length);
  return Buffer.concat([paxHeader, pax, Buffer.alloc(padding(pax.length)), header]);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);
