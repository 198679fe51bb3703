// COPY and ADD: which files go where is decided by the same selection the size prediction uses
// (selectCopySources over the context as sent, or over another stage's or an image's files), so
// predictions and builds agree. Sources resolve inside their root (context symlinks never leave
// the context), destinations inside the image. ADD unpacks local tar archives (gzip, bzip2, xz,
// zstd) and downloads URLs. Files from the context belong to root unless --chown says otherwise;
// files from stages and images keep their owners; --chmod (octal or symbolic) applies to what is copied.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import type { FileNode } from '../../server/plan/size/fileTree';
import { resolveNode } from '../../server/plan/size/fileTree';
import { selectCopySources } from '../../server/plan/size/selectCopySources';
import type { PlannedStep } from '../../server/plan/types';
import { applyLayer } from '../layers/applyLayer';
import { decompressAuto } from '../layers/compression';
import { BuildError } from './buildError';
import { parseChmod } from './chmodMode';
import type { BuildSession } from './buildSession';
import type { FetchedFile } from './fetchUrl';
import { fetchUrl } from './fetchUrl';
import type { LayerRef } from './layerStack';
import { LayerStaging, type EntryMeta } from './layerStaging';
import { LayerUnion, type UnionNode } from './layerUnion';
import { resolveOwner, type Owner } from './resolveOwner';

type CopyDetails = Extract<PlannedStep['details'], { kind: 'copy' | 'add' }>;

const urlPattern = /^https?:\/\//;
const gitPattern = /^(git@[^:]+:|git:\/\/|ssh:\/\/)|^https?:\/\/\S+\.git(#\S*)?$/;

export interface CopyInputs {
  session: BuildSession;
  step: PlannedStep;
  /** The stage's layers (the destination side). */
  layers: readonly LayerRef[];
  platform: string;
  /** URL downloads made before the cache lookup, by URL. */
  fetched: Map<string, FetchedFile>;
  /** Seconds since the epoch for new directories and heredoc files. */
  now: number;
}

export interface StagedCopy {
  staging: LayerStaging;
}

interface SourceRoot {
  tree: FileNode;
  /** Host path of a node's content, given its path relative to the root. */
  hostPath(node: FileNode, relative: string): string;
  /** Owner of a copied node when --chown is not given. */
  owner(node: FileNode): Owner;
  mtime(node: FileNode, host: string): number;
  /** Refuse a source that became a symlink (untrusted build context). */
  noFollow: boolean;
}

function details(step: PlannedStep): CopyDetails {
  const d = step.details;
  if (d.kind !== 'copy' && d.kind !== 'add') throw new Error('internal error: copyStep needs COPY or ADD');
  return d;
}

/** Downloads the URL sources of an ADD whose cache key needs their content. */
export async function fetchAddUrls(session: BuildSession, step: PlannedStep, into: Map<string, FetchedFile>): Promise<void> {
  const d = details(step);
  if (d.kind !== 'add') return;
  for (const src of d.sources) {
    if (!urlPattern.test(src) || into.has(src)) continue;
    const file = session.scratch.file('add-url');
    into.set(src, await fetchUrl(src, file, d.checksum, session.signal));
  }
}

async function sourceRoot(inputs: CopyInputs, d: CopyDetails): Promise<SourceRoot> {
  const { session } = inputs;
  if (d.from.kind === 'context') {
    const contextDir = fs.realpathSync(session.context.dir);
    return {
      tree: session.context.tree,
      hostPath: (_node, relative) => {
        if (relative === '.' || relative === '') return contextDir;
        const host = path.join(contextDir, relative);
        // A directory of the context swapped for a symlink since it was scanned must not lead out.
        const parent = fs.realpathSync(path.dirname(host));
        if (parent !== contextDir && !parent.startsWith(contextDir + path.sep)) throw new BuildError(`${relative} is outside the build context`);
        return host;
      },
      owner: () => ({ uid: 0, gid: 0 }),
      mtime: (_node, host) => Math.floor(fs.lstatSync(host).mtimeMs / 1000),
      noFollow: true,
    };
  }
  const layers = d.from.kind === 'stage' ? (await session.stage(d.from.stageIndex)).layers : await session.imageLayers(d.from.ref, inputs.platform);
  const union = await session.union(layers);
  const tree = union.node('/') as UnionNode;
  return {
    tree,
    hostPath: (node) => (node as UnionNode).hostPath as string,
    owner: (node) => ({ uid: session.ids.uid((node as UnionNode).uid), gid: session.ids.gid((node as UnionNode).gid) }),
    mtime: (node) => Math.floor((node as UnionNode).mtimeMs / 1000),
    noFollow: false,
  };
}

/** Is `path` a tar archive (maybe compressed)? Returns how to read it, or undefined. */
async function openArchive(file: string): Promise<Readable | undefined> {
  const fh = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(512);
  let read: number;
  try {
    ({ bytesRead: read } = await fh.read(head, 0, 512, 0));
  } finally {
    await fh.close();
  }
  const magic = head.subarray(0, read);
  let stream: Readable;
  if (magic.subarray(0, 3).toString('latin1') === 'BZh' || magic.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    const tool = magic[0] === 0x42 ? 'bzip2' : 'xz';
    const child = spawn(tool, ['-dc', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.on('error', () => child.stdout.destroy(new Error(`${tool} is needed to unpack ${path.basename(file)}`)));
    stream = child.stdout;
  } else {
    ({ stream } = await decompressAuto(fs.createReadStream(file)));
  }
  // A tar archive has "ustar" at offset 257 of its first header; peek after decompression.
  const iterator = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < 263) {
    const next = (await iterator.next()) as IteratorResult<Buffer>;
    if (next.done) break;
    chunks.push(next.value);
    total += next.value.length;
  }
  const first = Buffer.concat(chunks);
  const isTar = first.length >= 263 && first.subarray(257, 262).toString('latin1') === 'ustar';
  if (!isTar) {
    stream.destroy();
    return undefined;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield first;
    for (;;) {
      const next = (await iterator.next()) as IteratorResult<Buffer>;
      if (next.done) return;
      yield next.value;
    }
  }
  return Readable.from(rest());
}

/** Executes COPY/ADD into a staging directory (the layer), over the stage's current files. */
export async function copyStep(inputs: CopyInputs): Promise<StagedCopy> {
  const { session, step } = inputs;
  const d = details(step);
  // --link (without --chmod, as BuildKit) makes a layer independent of what it lands on.
  const lower = d.link && d.chmod === undefined ? new LayerUnion([]) : await session.union(inputs.layers);
  const chown = d.chown !== undefined ? resolveOwner(d.chown, lower.layers.length > 0 ? lower : await session.union(inputs.layers)) : undefined;
  const chmod = d.chmod !== undefined ? parseChmod(d.chmod) : undefined;
  const newDir: EntryMeta = { mode: 0o755, owner: chown ?? { uid: 0, gid: 0 }, mtime: inputs.now };
  const staging = new LayerStaging(await session.scratch.dir('build-copy'), lower, session.ids, newDir);

  const git = d.sources.find((s) => gitPattern.test(s));
  if (git) throw new BuildError(`ADD of a git repository (${git}) is not supported by this builder: clone it in a RUN step or into the build context`);
  const urls = d.kind === 'add' ? d.sources.filter((s) => urlPattern.test(s)) : [];
  const local = d.sources.filter((s) => !urls.includes(s));
  const dest = d.destination;
  const destIsDir = /\/\.?$/.test(dest) || d.sources.length + d.heredocs.length > 1 || local.some((s) => /[*?[]/.test(s)) || staging.isDirectory(dest);
  const destRoot = staging.resolve(dest, true);

  if (local.length > 0) {
    const root = await sourceRoot(inputs, d);
    const selection = selectCopySources(root.tree, {
      sources: local,
      destination: dest,
      workdir: step.workdir,
      excludes: d.excludes,
      parents: d.parents,
      isDirectory: (p) => staging.isDirectory(p),
    });
    if (selection.error) throw new BuildError(`${step.instruction} failed: ${selection.error}`);
    if (selection.missing.length > 0) {
      const where = d.from.kind === 'context' ? 'the build context (or .dockerignore excludes it)' : d.from.kind === 'stage' ? 'the source stage' : `image ${d.from.ref}`;
      throw new BuildError(`${step.instruction} failed: ${selection.missing.map((m) => `"${m}"`).join(', ')} not found in ${where}`);
    }
    const unpack = d.kind === 'add' && d.from.kind === 'context' && d.unpack !== false;
    const directSources = new Set(local.map((s) => resolveNode(root.tree, path.posix.normalize('/' + s).slice(1) || '.')?.path));
    const dirSources = new Set(selection.entries.filter((e) => e.node.kind === 'dir').map((e) => e.source));
    for (const entry of selection.entries) {
      const target = staging.resolve(entry.path, entry.node.kind === 'dir');
      const relative = entry.source;
      if (entry.node.kind === 'dir') {
        const host = root.hostPath(entry.node, relative);
        staging.writeDir(target, { mode: chmod ? chmod(entry.node.mode, true) : entry.node.mode, owner: chown ?? root.owner(entry.node), mtime: root.mtime(entry.node, host) });
        continue;
      }
      if (entry.node.kind === 'other') continue;
      const host = root.hostPath(entry.node, relative);
      const meta: EntryMeta = { mode: chmod ? chmod(entry.node.mode, false) : entry.node.mode, owner: chown ?? root.owner(entry.node), mtime: root.mtime(entry.node, host) };
      if (entry.node.kind === 'symlink') {
        staging.writeSymlink(target, entry.node.linkTarget ?? '', meta);
        continue;
      }
      const topLevel = directSources.has(relative) || !dirSources.has(path.posix.dirname(relative));
      if (unpack && topLevel) {
        const archive = await openArchive(host);
        if (archive) {
          // An archive unpacks into the destination directory (created when missing).
          staging.ensureDir(destRoot);
          await applyLayer(archive, staging.hostPath(destRoot), { whiteouts: 'merge' });
          continue;
        }
      }
      staging.writeFile(target, host, meta, root.noFollow);
    }
  }

  for (const url of urls) {
    let fetched = inputs.fetched.get(url);
    if (!fetched) {
      await fetchAddUrls(session, step, inputs.fetched);
      fetched = inputs.fetched.get(url) as FetchedFile;
    }
    const target = destIsDir ? path.posix.join(destRoot, fetched.name) : staging.resolve(dest, false);
    staging.writeFile(target, fetched.file, { mode: chmod ? chmod(0o600, false) : 0o600, owner: chown ?? { uid: 0, gid: 0 }, mtime: fetched.mtime ?? inputs.now }, false);
  }

  for (const doc of d.heredocs) {
    const target = destIsDir ? path.posix.join(destRoot, doc.name) : staging.resolve(dest, false);
    staging.writeContent(target, doc.content, { mode: chmod ? chmod(0o644, false) : 0o644, owner: chown ?? { uid: 0, gid: 0 }, mtime: inputs.now });
  }
  if (d.sources.length === 0 && d.heredocs.length === 0) staging.ensureDir(destRoot);
  staging.finish();
  return { staging };
}
