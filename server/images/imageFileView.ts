// The files of an image as its layers stack up (OCI whiteouts applied), read from the layer tars
// in one pass. Contents are kept only for the paths `keep` selects (package databases and
// configuration: small files); other files are listed with their size.
import * as path from 'path';
import type { Readable } from 'stream';
import * as tar from 'tar-stream';

export type ViewEntryKind = 'file' | 'dir' | 'symlink' | 'link' | 'other';

export interface ViewEntry {
  kind: ViewEntryKind;
  size: number;
  /** Symlink target, or (hard link) the absolute path of the linked file. */
  target?: string;
  /** Content, when `keep` asked for it. */
  content?: Buffer;
}

export interface ImageFileView {
  /** Absolute, normalised path (`/etc/apt/sources.list`) -> entry. */
  entries: Map<string, ViewEntry>;
  /** Directory -> names directly in it. */
  children: Map<string, Set<string>>;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
/** Contents larger than this are never kept (a dpkg status of 10 000 packages is ~8 MB). */
const MAX_KEPT_FILE = 32 * 1024 * 1024;

/** `./etc//apt/` -> `/etc/apt`. */
export function normaliseImagePath(p: string): string {
  const n = path.posix.normalize('/' + p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

function kindOf(type: string | null | undefined): ViewEntryKind {
  switch (type) {
    case 'file': case 'contiguous-file': return 'file';
    case 'directory': return 'dir';
    case 'symlink': return 'symlink';
    case 'link': return 'link';
    default: return 'other';
  }
}

function removeTree(view: Map<string, ViewEntry>, root: string, keepRoot: boolean): void {
  if (!keepRoot) view.delete(root);
  const prefix = root === '/' ? '/' : root + '/';
  for (const p of view.keys()) if (p.startsWith(prefix)) view.delete(p);
}

/** Reads one layer tar: its entries, whiteouts and opaque directories. */
async function readLayer(stream: Readable, keep: (p: string) => boolean): Promise<{ entries: Map<string, ViewEntry>; whiteouts: string[]; opaque: string[] }> {
  const entries = new Map<string, ViewEntry>();
  const whiteouts: string[] = [];
  const opaque: string[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      const p = normaliseImagePath(header.name);
      const base = path.posix.basename(p);
      const dir = path.posix.dirname(p);
      const kind = kindOf(header.type);
      const entry: ViewEntry = { kind, size: kind === 'file' ? header.size ?? 0 : 0 };
      if (kind === 'symlink') entry.target = header.linkname ?? '';
      if (kind === 'link') entry.target = normaliseImagePath(header.linkname ?? '');
      if (base === OPAQUE) opaque.push(dir);
      else if (base.startsWith(WHITEOUT)) whiteouts.push(path.posix.join(dir, base.slice(WHITEOUT.length)));
      else entries.set(p, entry);
      if (kind === 'file' && keep(p) && entry.size <= MAX_KEPT_FILE) {
        const chunks: Buffer[] = [];
        body.on('data', (c: unknown) => { chunks.push(c as Buffer); });
        body.on('end', () => { entry.content = Buffer.concat(chunks); next(); });
      } else {
        body.on('end', () => next());
        body.resume();
      }
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return { entries, whiteouts, opaque };
}

/** Stacks the layers (lowest first), applying whiteouts as overlayfs would. */
export async function readImageFileView(layers: (() => Promise<Readable>)[], keep: (p: string) => boolean): Promise<ImageFileView> {
  const entries = new Map<string, ViewEntry>();
  for (const open of layers) {
    const layer = await readLayer(await open(), keep);
    for (const dir of layer.opaque) removeTree(entries, dir, true);
    for (const gone of layer.whiteouts) removeTree(entries, gone, false);
    for (const [p, e] of layer.entries) {
      // A non-directory replacing a directory hides everything below it.
      if (e.kind !== 'dir' && entries.get(p)?.kind === 'dir') removeTree(entries, p, false);
      entries.set(p, e);
    }
  }
  const children = new Map<string, Set<string>>();
  for (const p of entries.keys()) {
    if (p === '/') continue;
    const dir = path.posix.dirname(p);
    let names = children.get(dir);
    if (!names) children.set(dir, (names = new Set()));
    names.add(path.posix.basename(p));
  }
  return { entries, children };
}

/** Follows symlinks (in every component, as if chrooted) and hard links; undefined when absent or looping. */
export function resolveInView(view: ImageFileView, filePath: string): { path: string; entry: ViewEntry } | undefined {
  let parts = normaliseImagePath(filePath).split('/').filter(Boolean);
  let current = '/';
  for (let hops = 0, i = 0; i < parts.length; i++) {
    const next = current === '/' ? `/${parts[i]}` : `${current}/${parts[i]}`;
    const entry = view.entries.get(next);
    if (entry?.kind === 'symlink') {
      if (++hops > 40) return undefined;
      const target = entry.target ?? '';
      const resolved = normaliseImagePath(target.startsWith('/') ? target : path.posix.join(current, target));
      parts = [...resolved.split('/').filter(Boolean), ...parts.slice(i + 1)];
      current = '/';
      i = -1;
      continue;
    }
    current = next;
  }
  let entry = view.entries.get(current);
  if (entry?.kind === 'link' && entry.target) {
    current = entry.target;
    entry = view.entries.get(current);
  }
  return entry ? { path: current, entry } : undefined;
}
