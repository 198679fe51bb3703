// The byte size of an uncompressed layer tar as BuildKit (containerd's archive writer over Go's
// archive/tar) writes it: 512-byte USTAR headers, PAX extended headers where USTAR cannot hold
// a field, content padded to 512 bytes, hard links and directories as bare headers, every parent
// directory of a changed path included, and two 512-byte zero blocks at the end.
import { cleanGoPath } from './goPath';

export const TAR_BLOCK = 512;
const USTAR_NAME = 100;
const USTAR_PREFIX = 155;
const USTAR_LINK = 100;
const USTAR_USER = 32;
const MAX_OCTAL_ID = 0o7777777;
const MAX_OCTAL_SIZE = 0o77777777777;

export type LayerEntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'whiteout' | 'other';

/** One path of a layer. */
export interface LayerEntry {
  /** Path inside the image (absolute or relative to `/`). */
  path: string;
  kind: LayerEntryKind;
  /** Content bytes for regular files. */
  size: number;
  /** Symlink target, or hard-link target path. */
  linkTarget?: string;
  /** Hard-link identity: later entries with the same inode become hard links. */
  inode?: string;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
}

export interface TarLayerSize {
  /** Size of the uncompressed layer tar (the diff blob). */
  tarBytes: number;
  /** Regular-file content bytes (what `du`-like tools and `docker history` count). */
  contentBytes: number;
  /** Number of tar entries, parent directories included. */
  entryCount: number;
}

function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / TAR_BLOCK) * TAR_BLOCK;
}

/** Go's splitUSTARPath: can a long ASCII name be stored as prefix + name? */
function fitsUstarSplit(name: string): boolean {
  let length = name.length;
  if (length <= USTAR_NAME || !isAscii(name)) return false;
  if (length > USTAR_PREFIX + 1) length = USTAR_PREFIX + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.lastIndexOf('/', length - 1);
  const nameLength = name.length - i - 1;
  return !(i <= 0 || nameLength > USTAR_NAME || nameLength === 0 || i > USTAR_PREFIX);
}

/** Length of one PAX record `"%d %s=%s\n"`, the length counting itself (Go's formatPAXRecord). */
export function paxRecordLength(key: string, value: string): number {
  const base = Buffer.byteLength(key) + Buffer.byteLength(value) + 3;
  return base + String(base + String(base).length).length;
}

/** Bytes of the PAX records Go's archive/tar needs for this header (name already in tar form); 0 when none. */
function paxRecordBytes(name: string, entry: LayerEntry, link: string | undefined): number {
  let total = 0;
  // For ASCII text the byte length is the string length; a long name may still fit as prefix + name.
  if (name.length > USTAR_NAME ? !fitsUstarSplit(name) : !isAscii(name)) total += paxRecordLength('path', name);
  if (link !== undefined && (!isAscii(link) || link.length > USTAR_LINK)) total += paxRecordLength('linkpath', link);
  if (entry.kind === 'file' && entry.size > MAX_OCTAL_SIZE) total += paxRecordLength('size', String(entry.size));
  if ((entry.uid ?? 0) > MAX_OCTAL_ID) total += paxRecordLength('uid', String(entry.uid));
  if ((entry.gid ?? 0) > MAX_OCTAL_ID) total += paxRecordLength('gid', String(entry.gid));
  if (entry.uname !== undefined && (!isAscii(entry.uname) || entry.uname.length > USTAR_USER)) total += paxRecordLength('uname', entry.uname);
  if (entry.gname !== undefined && (!isAscii(entry.gname) || entry.gname.length > USTAR_USER)) total += paxRecordLength('gname', entry.gname);
  return total;
}

/** `path` made absolute and cleaned (without the `//` that would send a rooted path the slow way). */
export function rootedPath(path: string): string {
  return cleanGoPath(path.startsWith('/') ? path : '/' + path);
}

/** The tar form of a path: relative to `/`, directories with a trailing slash. */
export function tarName(path: string, kind: LayerEntryKind): string {
  return tarNameOfClean(rootedPath(path), kind);
}

/** `tarName` of a path already absolute and clean. */
function tarNameOfClean(rooted: string, kind: LayerEntryKind): string {
  const clean = rooted.slice(1);
  if (kind === 'dir') return clean + '/';
  if (kind === 'whiteout') {
    const slash = clean.lastIndexOf('/');
    return `${clean.slice(0, slash + 1)}.wh.${clean.slice(slash + 1)}`;
  }
  return clean;
}

/** Bytes one entry takes in the tar (PAX header, USTAR header, padded content). */
export function tarEntryBytes(entry: LayerEntry, name = tarName(entry.path, entry.kind), link = entry.linkTarget): number {
  const records = paxRecordBytes(name, entry, entry.kind === 'symlink' || entry.kind === 'hardlink' ? link : undefined);
  const paxBytes = records === 0 ? 0 : TAR_BLOCK + roundUp(records);
  return paxBytes + TAR_BLOCK + (entry.kind === 'file' ? roundUp(entry.size) : 0);
}

/**
 * Size of the layer tar holding `entries`, with every missing parent directory added (as the
 * differ does), hard links resolved by `inode`, later duplicates of a path replacing earlier ones.
 */
export function tarLayerSize(entries: Iterable<LayerEntry>, options: { includeParents?: boolean } = {}): TarLayerSize {
  const byPath = new Map<string, LayerEntry>();
  for (const entry of entries) {
    const clean = rootedPath(entry.path);
    if (clean === '/') continue;
    byPath.delete(clean);
    byPath.set(clean, clean === entry.path ? entry : { ...entry, path: clean });
  }
  if (options.includeParents !== false) {
    for (const path of [...byPath.keys()]) {
      for (let parent = path.slice(0, path.lastIndexOf('/')); parent !== ''; parent = parent.slice(0, parent.lastIndexOf('/'))) {
        if (!byPath.has(parent)) byPath.set(parent, { path: parent, kind: 'dir', size: 0 });
      }
    }
  }
  let tarBytes = 2 * TAR_BLOCK;
  let content = 0;
  const firstByInode = new Map<string, string>();
  for (const entry of byPath.values()) {
    let effective = entry;
    if (entry.kind === 'file' && entry.inode !== undefined) {
      const first = firstByInode.get(entry.inode);
      if (first === undefined) firstByInode.set(entry.inode, tarNameOfClean(entry.path, 'file'));
      else effective = { ...entry, kind: 'hardlink', size: 0, linkTarget: first };
    }
    if (effective.kind === 'file') content += effective.size;
    tarBytes += tarEntryBytes(effective, tarNameOfClean(effective.path, effective.kind));
  }
  return { tarBytes, contentBytes: content, entryCount: byPath.size };
}
