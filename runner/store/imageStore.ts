// The image store: an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/`) plus
// unpacked layer directories (`layers/<diff_id hex>/`) shared between images, container records
// (`containers/`, written by runner/run), a staging area (`tmp/`) and a lock file.
//
// Invariants: a blob's content always matches its name (staged in tmp/, verified, fsynced,
// renamed); index.json is replaced atomically and written last, after everything it references;
// layer directories appear by one rename once complete; writers hold the lock. A process killed at
// any point therefore leaves a valid store plus garbage in tmp/ that fsck and prune remove.
import * as fs from 'fs';
import * as path from 'path';
import { applyLayer } from '../layers/applyLayer';
import { compressionOfMediaType, decompressAuto } from '../layers/compression';
import { createLayerTar } from '../layers/createLayerTar';
import { forgetCompressedLayers } from './compressedLayers';
import { buildCacheRoots } from './buildCacheIndex';
import { fsyncPath, processIsAlive, renameDurably, tempName, tempOwnerPid, writeFileAtomic } from './atomicFile';
import { DigestCounter, digestFile, digestHex, isSha256Digest, sha256Digest } from './digest';
import {
  addUntagged, emptyIndex, normaliseIndex, parseIndex, readIndex, refNameOf, removeManifest, removeName, setName,
} from './imageIndexFile';
import { parseImageConfig, parseManifest } from './imageJson';
import { formatImageReference, looksLikeImageId, parseImageReference } from './imageReference';
import { Descriptor, ImageIndex, ImageManifest, MediaTypes, OciImageConfig, REF_NAME_ANNOTATION } from './ociTypes';
import { gzipLayer } from './stageLayer';
import { defaultStoreRoot } from './storeRoot';
import { StoreLock } from './storeLock';
import { treeSize } from './treeSize';
import {
  ContainerRecordRef, FsckProblem, FsckReport, ImportOptions, PruneReport, RemoveOptions, RemoveResult, StagedLayer,
  StoredImage, StoredLayer, WriteImageOptions,
} from './storeTypes';

export type { StoredImage, StoredLayer, StagedLayer } from './storeTypes';
export type { OciImageConfig };

/** A user-facing store error (no such image, image in use, ...). */
export class StoreError extends Error {}

/** A blob, layer or index that does not match what it claims to be. */
export class StoreCorruptionError extends StoreError {}

/** Where `commitLayer` reads a layer from: a tar stream, or an overlay upper directory. */
export type LayerSource = { tar: AsyncIterable<Uint8Array> } | { directory: string };

/** A blob written to `tmp/` and verified, not yet in `blobs/`. */
export interface StagedBlob {
  digest: string;
  size: number;
  stagedPath: string;
}

/** What a pull hands the store: the manifest exactly as received, its config and the layer blobs. */
export interface PulledImage {
  manifest: Buffer;
  mediaType: string;
  config: Buffer;
  /** Blobs staged by the puller (already verified); blobs the store had are not listed. */
  staged: StagedBlob[];
  names: string[];
}

const PARTIAL_SUFFIX = '.partial';

export class ImageStore {
  readonly containersDir: string;
  readonly blobsDir: string;
  readonly layersDir: string;
  readonly tmpDir: string;
  readonly indexFile: string;
  readonly layoutFile: string;
  private readonly lock: StoreLock;

  private constructor(readonly root: string) {
    this.containersDir = path.join(root, 'containers');
    this.blobsDir = path.join(root, 'blobs', 'sha256');
    this.layersDir = path.join(root, 'layers');
    this.tmpDir = path.join(root, 'tmp');
    this.indexFile = path.join(root, 'index.json');
    this.layoutFile = path.join(root, 'oci-layout');
    this.lock = new StoreLock(path.join(root, 'lock'), () => {
      process.stderr.write(`layerlens: waiting for another layerlens process to release ${path.join(root, 'lock')}\n`);
    });
  }

  /** Opens (creating if needed) the store at `root`; default `$LAYERLENS_STORE`, `$XDG_DATA_HOME/layerlens`, `~/.local/share/layerlens`. */
  static async open(root: string = defaultStoreRoot()): Promise<ImageStore> {
    const store = new ImageStore(path.resolve(root));
    await store.initialise();
    return store;
  }

  private async initialise(): Promise<void> {
    await fs.promises.mkdir(this.root, { recursive: true, mode: 0o700 });
    for (const dir of [this.blobsDir, this.layersDir, this.containersDir, this.tmpDir]) {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    }
    await this.createIfMissing(this.layoutFile, `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
    await this.createIfMissing(this.indexFile, `${JSON.stringify(emptyIndex())}\n`);
  }

  /** Atomically creates `file` unless it exists (link(2) fails instead of replacing). */
  private async createIfMissing(file: string, content: string): Promise<void> {
    if (fs.existsSync(file)) return;
    const tmp = tempName(this.tmpDir, path.basename(file));
    await fs.promises.writeFile(tmp, content, { mode: 0o644 });
    await fsyncPath(tmp);
    try {
      await fs.promises.link(tmp, file);
      await fsyncPath(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  /** Runs `fn` holding the store lock (re-entrant). Writers of container records should use it too. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.withLock(fn);
  }

  private requireLock(what: string): void {
    if (!this.lock.isHeld()) throw new Error(`internal error: ${what} needs the store lock`);
  }

  // ---- blobs ------------------------------------------------------------------------------

  blobPath(digest: string): string {
    return path.join(this.blobsDir, digestHex(digest));
  }

  hasBlob(digest: string): boolean {
    return fs.existsSync(this.blobPath(digest));
  }

  /** Reads a whole blob and checks it against its digest. */
  async readBlob(digest: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await fs.promises.readFile(this.blobPath(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreCorruptionError(`blob ${digest} is missing from ${this.root} (run 'layerlens fsck --repair')`);
      throw err;
    }
    if (sha256Digest(data) !== digest) throw new StoreCorruptionError(`blob ${digest} does not match its digest (run 'layerlens fsck --repair')`);
    return data;
  }

  /** A new private path in tmp/ (owned by this process until it exits). */
  tempPath(label: string): string {
    return tempName(this.tmpDir, label);
  }

  /** Writes `source` to tmp/, hashing it; checks size and digest when they are known. */
  async stageBlob(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expected: { digest?: string; size?: number } = {}): Promise<StagedBlob> {
    const stagedPath = this.tempPath('blob');
    const counter = new DigestCounter();
    const fh = await fs.promises.open(stagedPath, 'wx', 0o644);
    try {
      for await (const chunk of source) {
        counter.update(chunk);
        if (expected.size !== undefined && counter.bytes > expected.size) throw new StoreError(`blob is larger than the ${expected.size} bytes its descriptor says`);
        await fh.write(chunk);
      }
      await fh.sync();
    } catch (err) {
      await fh.close();
      await fs.promises.rm(stagedPath, { force: true });
      throw err;
    }
    await fh.close();
    const digest = counter.digest();
    const problem = expected.size !== undefined && counter.bytes !== expected.size
      ? `blob has ${counter.bytes} bytes, its descriptor says ${expected.size}`
      : expected.digest !== undefined && digest !== expected.digest ? `blob content is ${digest}, expected ${expected.digest}` : undefined;
    if (problem) {
      await fs.promises.rm(stagedPath, { force: true });
      throw new StoreError(problem);
    }
    return { digest, size: counter.bytes, stagedPath };
  }

  /** Moves a staged blob into blobs/ (lock held). */
  async placeBlob(staged: StagedBlob): Promise<void> {
    this.requireLock('placeBlob');
    const target = this.blobPath(staged.digest);
    if (fs.existsSync(target)) {
      await fs.promises.rm(staged.stagedPath, { force: true });
    } else {
      await renameDurably(staged.stagedPath, target);
    }
  }

  /** Stores `data` as a blob and returns its digest. */
  async putBlob(data: Buffer): Promise<string> {
    const staged = await this.stageBlob([data]);
    await this.withLock(() => this.placeBlob(staged));
    return staged.digest;
  }

  // ---- index ------------------------------------------------------------------------------

  async readIndex(): Promise<ImageIndex> {
    return readIndex(this.indexFile);
  }

  private async writeIndex(index: ImageIndex): Promise<void> {
    this.requireLock('writeIndex');
    await writeFileAtomic(this.indexFile, `${JSON.stringify(normaliseIndex(index), null, 2)}\n`, this.tmpDir);
  }

  private async updateIndex(mutate: (index: ImageIndex) => void): Promise<void> {
    this.requireLock('updateIndex');
    const index = await this.readIndex();
    mutate(index);
    await this.writeIndex(index);
  }

  // ---- images -----------------------------------------------------------------------------

  /** Loads the image whose manifest is `manifestDigest`, checking every JSON blob. */
  async loadImage(manifestDigest: string, index?: ImageIndex, ref?: string): Promise<StoredImage> {
    const idx = index ?? (await this.readIndex());
    const manifestBytes = await this.readBlob(manifestDigest);
    const manifest = parseManifest(manifestBytes, `manifest ${manifestDigest}`);
    const configBytes = await this.readBlob(manifest.config.digest);
    const config = parseImageConfig(configBytes, `image config ${manifest.config.digest}`);
    if (config.rootfs.diff_ids.length !== manifest.layers.length) {
      throw new StoreCorruptionError(`image ${manifestDigest}: ${manifest.layers.length} layers but ${config.rootfs.diff_ids.length} diff_ids`);
    }
    const layers: StoredLayer[] = manifest.layers.map((l, i) => ({ digest: l.digest, diffId: config.rootfs.diff_ids[i], size: l.size, mediaType: l.mediaType }));
    const names = idx.manifests.filter((d) => d.digest === manifestDigest).map(refNameOf).filter((n): n is string => !!n);
    const size = manifestBytes.length + configBytes.length + layers.reduce((sum, l) => sum + l.size, 0);
    return { ref, names, manifestDigest, configDigest: manifest.config.digest, config, manifest, layers, created: config.created, size };
  }

  /** Finds an image by name[:tag], name@digest, image id (config digest) or manifest digest, full or a unique prefix. */
  async resolveImage(ref: string): Promise<StoredImage | undefined> {
    const index = await this.readIndex();
    const digests = [...new Set(index.manifests.map((d) => d.digest))];
    if (looksLikeImageId(ref)) {
      const prefix = ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
      const matches = new Set<string>();
      for (const digest of digests) {
        if (digest.startsWith(prefix)) matches.add(digest);
        else {
          const manifest = await this.manifestOf(digest);
          if (manifest?.config.digest.startsWith(prefix)) matches.add(digest);
        }
      }
      if (matches.size > 1) throw new StoreError(`'${ref}' matches ${matches.size} images: give more of the id`);
      if (matches.size === 1) return this.loadImage([...matches][0], index);
      if (ref.startsWith('sha256:')) return undefined;
    }
    const parsed = parseImageReference(ref);
    if (parsed.digest) {
      const full = formatImageReference(parsed);
      const entry = index.manifests.find((d) => refNameOf(d) === full) ?? index.manifests.find((d) => d.digest === parsed.digest);
      return entry ? this.loadImage(entry.digest, index, full) : undefined;
    }
    const full = formatImageReference(parsed);
    const entry = index.manifests.find((d) => refNameOf(d) === full);
    return entry ? this.loadImage(entry.digest, index, full) : undefined;
  }

  private async manifestOf(digest: string): Promise<ImageManifest | undefined> {
    try {
      return parseManifest(await this.readBlob(digest), `manifest ${digest}`);
    } catch {
      return undefined;
    }
  }

  private async requireImage(ref: string): Promise<StoredImage> {
    const image = await this.resolveImage(ref);
    if (!image) throw new StoreError(`no such image: ${ref}`);
    return image;
  }

  /** Every image in the store (broken ones are left out: `fsck` reports them). */
  async listImages(): Promise<StoredImage[]> {
    const index = await this.readIndex();
    const images: StoredImage[] = [];
    for (const digest of new Set(index.manifests.map((d) => d.digest))) {
      try {
        images.push(await this.loadImage(digest, index));
      } catch {
        /* reported by fsck */
      }
    }
    return images.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''));
  }

  /** Points `newRef` at the image `ref` names. */
  async tagImage(ref: string, newRef: string): Promise<StoredImage> {
    const name = formatImageReference(parseImageReference(newRef));
    return this.withLock(async () => {
      const image = await this.requireImage(ref);
      await this.updateIndex((index) => setName(index, name, this.manifestDescriptor(image)));
      return this.loadImage(image.manifestDigest, undefined, name);
    });
  }

  private manifestDescriptor(image: StoredImage): Descriptor {
    const manifestSize = fs.statSync(this.blobPath(image.manifestDigest)).size;
    return { mediaType: image.manifest.mediaType ?? MediaTypes.ociManifest, digest: image.manifestDigest, size: manifestSize };
  }

  /**
   * `docker rmi`: a name of an image with several names is only untagged; otherwise the image
   * goes, unless containers use it (refused without `force`; with `force` its content is kept
   * for those containers until they are removed). Unused blobs and layers are then collected.
   */
  async removeImage(ref: string, opts: RemoveOptions = {}): Promise<RemoveResult> {
    return this.withLock(async () => {
      const image = await this.requireImage(ref);
      const byName = image.ref !== undefined && image.names.includes(image.ref);
      if (byName && image.names.length > 1) {
        await this.updateIndex((index) => removeName(index, image.ref as string));
        return { untagged: [image.ref as string], deleted: [] };
      }
      if (!byName && image.names.length > 1 && !opts.force) {
        throw new StoreError(`image ${shortId(image.configDigest)} has several names (${image.names.join(', ')}): remove them by name or use --force`);
      }
      const users = (await this.containerRecords()).records.filter((c) => c.image === image.manifestDigest);
      if (users.length > 0 && !opts.force) {
        throw new StoreError(`image ${ref} is used by container(s) ${users.map((c) => c.name ?? c.id).join(', ')}: remove them first or use --force`);
      }
      await this.updateIndex((index) => removeManifest(index, image.manifestDigest));
      const gc = await this.collectGarbage();
      return { untagged: image.names, deleted: [image.manifestDigest, ...gc.blobsRemoved.filter((d) => d !== image.manifestDigest)] };
    });
  }

  // ---- writing images ---------------------------------------------------------------------

  /** Compresses a layer tar (or an overlay upper directory) into a staged gzip blob, computing its diff_id. */
  async commitLayer(source: LayerSource): Promise<StagedLayer> {
    if ('tar' in source) {
      const { stream } = await decompressAuto(source.tar);
      return gzipLayer(stream, this.tempPath('layer.tar.gz'));
    }
    return gzipLayer(createLayerTar(source.directory), this.tempPath('layer.tar.gz'));
  }

  /** Writes config, manifest and any staged layers, then points `tags` at the new image. */
  async writeImage(opts: WriteImageOptions): Promise<StoredImage> {
    const diffIds = opts.layers.map((l) => l.diffId);
    if (JSON.stringify(diffIds) !== JSON.stringify(opts.config.rootfs.diff_ids)) {
      throw new StoreError('writeImage: config.rootfs.diff_ids must list the layers\' diff_ids in order');
    }
    const configBytes = Buffer.from(JSON.stringify(opts.config));
    const configDigest = sha256Digest(configBytes);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: configDigest, size: configBytes.length },
      layers: opts.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    const staged = opts.layers.filter((l): l is StagedLayer => 'stagedPath' in l);
    const names = (opts.tags ?? []).map((t) => formatImageReference(parseImageReference(t)));
    return this.addImage({ manifest: manifestBytes, mediaType: MediaTypes.ociManifest, config: configBytes, staged, names });
  }

  /** Commits an image: blobs first, the manifest next, index.json last (lock taken here). */
  async addImage(image: PulledImage): Promise<StoredImage> {
    const manifest = parseManifest(image.manifest, 'new manifest');
    const manifestDigest = sha256Digest(image.manifest);
    const stagedConfig = await this.stageBlob([image.config], { digest: manifest.config.digest, size: manifest.config.size });
    const stagedManifest = await this.stageBlob([image.manifest]);
    return this.withLock(async () => {
      for (const blob of image.staged) await this.placeBlob(blob);
      await this.placeBlob(stagedConfig);
      for (const layer of manifest.layers) {
        if (!this.hasBlob(layer.digest)) throw new StoreError(`layer ${layer.digest} was neither staged nor in the store`);
      }
      await this.placeBlob(stagedManifest);
      const descriptor: Descriptor = { mediaType: image.mediaType, digest: manifestDigest, size: image.manifest.length };
      await this.updateIndex((index) => {
        if (image.names.length === 0) addUntagged(index, descriptor);
        for (const name of image.names) setName(index, name, descriptor);
      });
      return this.loadImage(manifestDigest, undefined, image.names[0]);
    });
  }

  /** `docker import`: one layer from a root filesystem tarball (plain, gzip or zstd; `-` reads stdin). */
  async importRootfsTarball(tarPath: string, ref?: string, opts: ImportOptions = {}): Promise<StoredImage> {
    const input = tarPath === '-' ? process.stdin : fs.createReadStream(tarPath);
    let layer: StagedLayer;
    try {
      layer = await this.commitLayer({ tar: input });
    } catch (err) {
      throw new StoreError(`${tarPath}: ${(err as Error).message}`);
    }
    const created = new Date().toISOString();
    const platform = opts.platform ?? hostPlatform();
    const config: OciImageConfig = {
      created,
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: opts.config ?? {},
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created, created_by: 'layerlens import', ...(opts.message ? { comment: opts.message } : {}) }],
    };
    return this.writeImage({ config, layers: [layer], tags: ref ? [ref] : [] });
  }

  // ---- unpacked layers --------------------------------------------------------------------

  layerDir(diffId: string): string {
    return path.join(this.layersDir, digestHex(diffId));
  }

  /**
   * The image's unpacked layer directories, lowest first, each usable as an overlayfs lower dir
   * (whiteouts are 0:0 character devices, opaque directories carry user.overlay.opaque=y and,
   * as root, trusted.overlay.opaque=y). Layers are unpacked on first use and shared by diff_id.
   */
  async unpackedLayerDirs(image: StoredImage): Promise<string[]> {
    const dirs: string[] = [];
    for (const layer of image.layers) {
      const dir = this.layerDir(layer.diffId);
      if (!fs.existsSync(dir)) await this.unpackLayer(layer);
      dirs.push(dir);
    }
    return dirs;
  }

  private async unpackLayer(layer: StoredLayer): Promise<void> {
    const work = this.tempPath(`unpack-${digestHex(layer.diffId)}`);
    await fs.promises.mkdir(work, { mode: 0o755 });
    try {
      const blob = fs.createReadStream(this.blobPath(layer.digest));
      const { stream } = await decompressAuto(blob, compressionOfMediaType(layer.mediaType));
      const diff = new DigestCounter();
      stream.on('data', (chunk: Buffer) => diff.update(chunk));
      await applyLayer(stream, work, { whiteouts: 'overlay' });
      if (diff.digest() !== layer.diffId) {
        throw new StoreCorruptionError(`layer ${layer.digest} unpacks to ${diff.digest()}, but the image config says ${layer.diffId}`);
      }
      await syncFileSystem(work);
      await this.withLock(async () => {
        const dir = this.layerDir(layer.diffId);
        if (fs.existsSync(dir)) await removeTree(work);
        else await renameDurably(work, dir);
      });
    } catch (err) {
      await removeTree(work);
      throw err;
    }
  }

  // ---- containers, garbage collection, fsck -----------------------------------------------

  /** Container records (`containers/<id>/container.json`); unreadable ones are listed apart. */
  async containerRecords(): Promise<{ records: ContainerRecordRef[]; unreadable: string[] }> {
    const records: ContainerRecordRef[] = [];
    const unreadable: string[] = [];
    let ids: string[] = [];
    try {
      ids = await fs.promises.readdir(this.containersDir);
    } catch {
      return { records, unreadable };
    }
    for (const id of ids) {
      const file = path.join(this.containersDir, id, 'container.json');
      let text: string;
      try {
        text = await fs.promises.readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
        unreadable.push(file);
        continue;
      }
      try {
        const record = JSON.parse(text) as ContainerRecordRef;
        if (typeof record.image !== 'string') throw new Error('no image');
        records.push(record);
      } catch {
        unreadable.push(file);
      }
    }
    return { records, unreadable };
  }

  /**
   * What must be kept: everything every index entry and every container's image references, and
   * the layers the build cache refers to (an uncompressed tar blob named by its diff_id, and its
   * unpacked directory), so `rmi` and `prune` never take a cached layer from the next build.
   */
  private async liveContent(index: ImageIndex): Promise<{ blobs: Set<string>; diffIds: Set<string> }> {
    const { records, unreadable } = await this.containerRecords();
    if (unreadable.length > 0) {
      throw new StoreError(`cannot tell which images containers use (${unreadable.join(', ')} unreadable): nothing was collected`);
    }
    const roots = new Set([...index.manifests.map((d) => d.digest), ...records.map((r) => r.image).filter(isSha256Digest)]);
    const blobs = new Set<string>();
    const diffIds = new Set<string>();
    for (const diffId of buildCacheRoots(this).diffIds) {
      blobs.add(diffId);
      diffIds.add(diffId);
    }
    for (const digest of roots) {
      blobs.add(digest);
      const manifest = await this.manifestOf(digest);
      if (!manifest) continue;
      blobs.add(manifest.config.digest);
      for (const l of manifest.layers) blobs.add(l.digest);
      try {
        const config = parseImageConfig(await this.readBlob(manifest.config.digest), 'config');
        for (const d of config.rootfs.diff_ids) diffIds.add(d);
      } catch {
        /* a broken config keeps nothing else alive; fsck reports it */
      }
    }
    return { blobs, diffIds };
  }

  /** Removes blobs and unpacked layers nothing references (lock held). */
  private async collectGarbage(): Promise<{ blobsRemoved: string[]; layersRemoved: string[]; bytesFreed: number }> {
    this.requireLock('collectGarbage');
    const live = await this.liveContent(await this.readIndex());
    const blobsRemoved: string[] = [];
    const layersRemoved: string[] = [];
    let bytesFreed = 0;
    for (const name of await fs.promises.readdir(this.blobsDir)) {
      const digest = `sha256:${name}`;
      if (live.blobs.has(digest)) continue;
      const p = path.join(this.blobsDir, name);
      bytesFreed += (await fs.promises.lstat(p)).size;
      await fs.promises.rm(p, { force: true, recursive: true });
      blobsRemoved.push(digest);
    }
    for (const name of await fs.promises.readdir(this.layersDir)) {
      if (live.diffIds.has(`sha256:${name}`)) continue;
      // Renamed away first, so a half-deleted layer is never mistaken for an unpacked one.
      const trash = this.tempPath(`trash-${name}`);
      await fs.promises.rename(path.join(this.layersDir, name), trash);
      bytesFreed += await treeSize(trash);
      await removeTree(trash);
      layersRemoved.push(`sha256:${name}`);
    }
    if (blobsRemoved.length) await fsyncPath(this.blobsDir);
    await forgetCompressedLayers(this, (diffId) => live.diffIds.has(diffId));
    return { blobsRemoved, layersRemoved, bytesFreed };
  }

  /** Removes blobs and unpacked layers nothing references (images, containers, build cache); keeps every image. */
  async collect(): Promise<{ blobsRemoved: string[]; layersRemoved: string[]; bytesFreed: number }> {
    return this.withLock(() => this.collectGarbage());
  }

  /** Files in tmp/ whose owner process is gone (interrupted pulls, imports, commits, unpacks). */
  private async staleTemp(includePartial: boolean): Promise<string[]> {
    const stale: string[] = [];
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      if (!includePartial && name.endsWith(PARTIAL_SUFFIX)) continue;
      const pid = tempOwnerPid(name);
      if (pid === undefined || !processIsAlive(pid)) stale.push(path.join(this.tmpDir, name));
    }
    return stale;
  }

  /** Removes untagged images no container uses, unreferenced blobs and layers, and stale temporary files. */
  async prune(): Promise<PruneReport> {
    return this.withLock(async () => {
      const { records } = await this.containerRecords();
      const used = new Set(records.map((r) => r.image));
      const imagesRemoved: string[] = [];
      await this.updateIndex((index) => {
        index.manifests = index.manifests.filter((d) => {
          if (refNameOf(d) || used.has(d.digest)) return true;
          imagesRemoved.push(d.digest);
          return false;
        });
      });
      const gc = await this.collectGarbage();
      const tempRemoved = await this.staleTemp(true);
      let bytesFreed = gc.bytesFreed;
      for (const p of tempRemoved) {
        bytesFreed += await treeSize(p);
        await removeTree(p);
      }
      return { imagesRemoved, blobsRemoved: gc.blobsRemoved, layersRemoved: gc.layersRemoved, tempRemoved, bytesFreed };
    });
  }

  /** Verifies every blob digest and every reference; with `repair`, fixes what it can. */
  async fsck(opts: { repair?: boolean } = {}): Promise<FsckReport> {
    return this.withLock(() => this.check(opts.repair ?? false));
  }

  private async check(repair: boolean): Promise<FsckReport> {
    const problems: FsckProblem[] = [];
    const report = (severity: 'error' | 'warning', p: string, message: string, fixed = false): void => {
      problems.push({ severity, path: path.relative(this.root, p) || '.', message, repaired: fixed });
    };

    // oci-layout
    let layoutOk = false;
    try {
      layoutOk = (JSON.parse(await fs.promises.readFile(this.layoutFile, 'utf8')) as { imageLayoutVersion?: string }).imageLayoutVersion === '1.0.0';
    } catch { /* missing or not JSON */ }
    if (!layoutOk) {
      if (repair) await writeFileAtomic(this.layoutFile, `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`, this.tmpDir);
      report('error', this.layoutFile, 'missing or not {"imageLayoutVersion":"1.0.0"}', repair);
    }

    // blobs: names and content
    let blobsChecked = 0;
    const goodBlobs = new Set<string>();
    for (const name of await fs.promises.readdir(this.blobsDir)) {
      const p = path.join(this.blobsDir, name);
      const st = await fs.promises.lstat(p);
      if (!/^[0-9a-f]{64}$/.test(name) || !st.isFile()) {
        if (repair) await fs.promises.rm(p, { recursive: true, force: true });
        report('error', p, 'not a blob (a blob is a regular file named by the hex sha256 of its content)', repair);
        continue;
      }
      blobsChecked++;
      const { digest } = await digestFile(p);
      if (digest !== `sha256:${name}`) {
        if (repair) await fs.promises.rm(p, { force: true });
        report('error', p, `content is ${digest}: the blob is corrupt${repair ? ' and was removed (pull or build the image again)' : ''}`, repair);
        continue;
      }
      goodBlobs.add(`sha256:${name}`);
    }

    // index.json
    let index: ImageIndex;
    try {
      index = parseIndex(await fs.promises.readFile(this.indexFile, 'utf8'), 'index.json');
    } catch (err) {
      index = emptyIndex();
      if (repair) {
        // Names are lost, but every image whose manifest survives is kept (untagged).
        for (const digest of goodBlobs) {
          const manifest = await this.manifestOf(digest);
          if (manifest) addUntagged(index, { mediaType: manifest.mediaType ?? MediaTypes.ociManifest, digest, size: fs.statSync(this.blobPath(digest)).size });
        }
      }
      report('error', this.indexFile, `${(err as Error).message}${repair ? ': rebuilt from the manifests in blobs/ (names are lost)' : ''}`, repair);
    }

    // images: every reference resolves to a good blob
    let imagesChecked = 0;
    const brokenManifests = new Set<string>();
    for (const digest of new Set(index.manifests.map((d) => d.digest))) {
      imagesChecked++;
      const names = index.manifests.filter((d) => d.digest === digest).map(refNameOf).filter(Boolean).join(', ') || 'untagged';
      const problem = await this.checkImage(digest, goodBlobs);
      if (problem) {
        brokenManifests.add(digest);
        report('error', this.indexFile, `image ${digest} (${names}): ${problem}${repair ? ': removed from the index (pull or build it again)' : ''}`, repair);
      }
    }
    for (const [i, d] of index.manifests.entries()) {
      const name = refNameOf(d);
      if (name !== undefined) {
        try {
          parseImageReference(name);
        } catch (err) {
          report('warning', this.indexFile, `manifests[${i}]: ${REF_NAME_ANNOTATION} '${name}' is not an image reference: ${(err as Error).message}`);
        }
      }
    }
    if (repair && brokenManifests.size > 0) index.manifests = index.manifests.filter((d) => !brokenManifests.has(d.digest));
    if (repair) await this.writeIndex(index);

    // containers
    const { records, unreadable } = await this.containerRecords();
    for (const file of unreadable) report('warning', file, 'container record is not readable JSON with an image digest (garbage collection is disabled until it is fixed or removed)');
    for (const r of records) {
      if (!goodBlobs.has(r.image)) report('warning', path.join(this.containersDir, r.id), `container ${r.name ?? r.id} uses image ${r.image}, which is not in the store`);
    }

    // unpacked layers
    let layersChecked = 0;
    const liveDiffIds = unreadable.length ? undefined : (await this.liveContent(index)).diffIds;
    for (const name of await fs.promises.readdir(this.layersDir)) {
      const p = path.join(this.layersDir, name);
      layersChecked++;
      const st = await fs.promises.lstat(p);
      if (!/^[0-9a-f]{64}$/.test(name) || !st.isDirectory()) {
        if (repair) await removeTree(p);
        report('error', p, 'not an unpacked layer directory', repair);
      } else if (liveDiffIds && !liveDiffIds.has(`sha256:${name}`)) {
        report('warning', p, "unpacked layer no image, container or build cache entry uses ('layerlens prune' removes it)");
      }
    }

    // unreferenced blobs and stale temporary files
    if (liveDiffIds) {
      const live = await this.liveContent(index);
      for (const digest of goodBlobs) {
        if (!live.blobs.has(digest)) report('warning', this.blobPath(digest), "blob no image, container or build cache entry uses ('layerlens prune' removes it)");
      }
    }
    for (const p of await this.staleTemp(false)) {
      if (repair) await removeTree(p);
      report('warning', p, 'left by an interrupted operation', repair);
    }
    return {
      ok: problems.every((p) => p.severity !== 'error' || p.repaired),
      blobsChecked,
      imagesChecked,
      layersChecked,
      problems,
    };
  }

  private async checkImage(manifestDigest: string, goodBlobs: Set<string>): Promise<string | undefined> {
    if (!goodBlobs.has(manifestDigest)) return 'manifest blob missing or corrupt';
    let manifest: ImageManifest;
    try {
      manifest = parseManifest(await this.readBlob(manifestDigest), 'manifest');
    } catch (err) {
      return (err as Error).message;
    }
    if (!goodBlobs.has(manifest.config.digest)) return `config blob ${manifest.config.digest} missing or corrupt`;
    let config: OciImageConfig;
    try {
      config = parseImageConfig(await this.readBlob(manifest.config.digest), 'config');
    } catch (err) {
      return (err as Error).message;
    }
    if (config.rootfs.diff_ids.length !== manifest.layers.length) return `${manifest.layers.length} layers but ${config.rootfs.diff_ids.length} diff_ids`;
    for (const layer of manifest.layers) {
      if (!goodBlobs.has(layer.digest)) return `layer blob ${layer.digest} missing or corrupt`;
      const size = fs.statSync(this.blobPath(layer.digest)).size;
      if (size !== layer.size) return `layer blob ${layer.digest} has ${size} bytes, the manifest says ${layer.size}`;
    }
    return undefined;
  }
}

export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** The platform this process runs on, in OCI terms. */
export function hostPlatform(): { os: string; architecture: string; variant?: string } {
  const map: Record<string, { architecture: string; variant?: string }> = {
    x64: { architecture: 'amd64' },
    arm64: { architecture: 'arm64', variant: 'v8' },
    arm: { architecture: 'arm', variant: 'v7' },
    ia32: { architecture: '386' },
    ppc64: { architecture: 'ppc64le' },
    s390x: { architecture: 's390x' },
    riscv64: { architecture: 'riscv64' },
  };
  return { os: 'linux', ...(map[process.arch] ?? { architecture: process.arch }) };
}

/** rm -rf that also works on read-only directories owned by the caller (rootless layers). */
export async function removeTree(p: string): Promise<void> {
  try {
    await fs.promises.rm(p, { recursive: true, force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    await makeWritable(p);
    await fs.promises.rm(p, { recursive: true, force: true });
  }
}

/**
 * Opens every directory under `p` to its owner. Entries may vanish meanwhile: the failed `rm`
 * rejects while its removals of sibling entries are still running.
 */
async function makeWritable(p: string): Promise<void> {
  try {
    const st = await fs.promises.lstat(p);
    if (!st.isDirectory()) return;
    await fs.promises.chmod(p, (st.mode & 0o7777) | 0o700);
    for (const name of await fs.promises.readdir(p)) await makeWritable(path.join(p, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** syncfs(2) on the file system holding `dir` (coreutils `sync -f`), so a renamed layer is durable. */
async function syncFileSystem(dir: string): Promise<void> {
  const { execFile } = await import('child_process');
  await new Promise<void>((resolve) => execFile('sync', ['-f', dir], () => resolve()));
}

