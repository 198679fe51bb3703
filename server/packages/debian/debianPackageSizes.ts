// apt installs and `apt-get update`, sized from the base image's dpkg database and the package
// index its sources point at. Everything is cached and loaded in the background.
import type { IndexFootprint, Lookup, PackageInstallEstimate, PackageInstallRequest } from '../../plan/size/sizeReaders';
import { collectYoungGeneration } from '../../idleCollection';
import type { ImageFiles } from '../imageFiles';
import { LookupCache } from '../lookupCache';
import { type AptBase, assumeAptBase, readAptBase } from './aptBase';
import * as model from './aptModel';
import { packagesIndexUrl, releaseFileUrl } from './aptSources';
import { DebianIndex, type InstalledSet } from './debianIndex';
import { type IndexFetcher, streamIndex } from './indexFetchers';
import { resolveAptInstall } from './resolveAptInstall';

export interface DebianPackageSizesOptions {
  fetchIndex: IndexFetcher;
  /** Local images' files (dpkg status, sources, apt config). */
  images?: ImageFiles;
  /** Runs when a background lookup finished (re-plan). */
  onChange?: () => void;
  timeoutMs?: number;
}

interface LoadedIndex {
  index: DebianIndex;
  /** Sizes of list files as `apt-get update` stores them: path -> plain bytes. */
  listFiles: { path: string; plainBytes: number; kind: 'release' | 'packages' | 'translation' }[];
  failures: string[];
  minimal?: InstalledSet;
}

function releaseSizes(text: string): Map<string, number> {
  const sizes = new Map<string, number>();
  const section = /^SHA256:\n((?:[ \t].*\n?)*)/m.exec(text)?.[1] ?? '';
  for (const line of section.split('\n')) {
    const m = /^\s+[0-9a-f]{64}\s+(\d+)\s+(\S+)$/.exec(line);
    if (m) sizes.set(m[2], Number(m[1]));
  }
  return sizes;
}

function aptListPath(url: string): string {
  return '/var/lib/apt/lists/' + url.replace(/^[a-z]+:\/\//i, '').replace(/\//g, '_');
}

/** Estimates kept per index before the cache starts over. */
const MAX_ESTIMATES = 10_000;

export class DebianPackageSizes {
  private readonly bases: LookupCache<AptBase>;
  private readonly indexes: LookupCache<LoadedIndex>;
  /** Estimates by loaded index, then by what decides them (the request as far as it is read). */
  private readonly estimates = new WeakMap<LoadedIndex, Map<string, PackageInstallEstimate>>();

  constructor(private readonly options: DebianPackageSizesOptions) {
    this.bases = new LookupCache({ timeoutMs: options.timeoutMs ?? 30_000, onSettled: options.onChange });
    this.indexes = new LookupCache({ timeoutMs: options.timeoutMs ?? 120_000, onSettled: options.onChange });
  }

  /** Changes whenever an answer may have changed (a base or an index was looked up or arrived). */
  version(): number {
    return this.bases.version() + this.indexes.version();
  }

  /** Resolves when background lookups are done (tests, CLI). */
  async settled(): Promise<void> {
    await this.bases.settled();
    await this.indexes.settled();
    await this.bases.settled();
  }

  private base(ref: string | undefined, platform: string): Lookup<AptBase> {
    if (ref === undefined) return { state: 'unknown', reason: 'a scratch stage has no apt' };
    return this.bases.get(
      `${ref}|${platform}`,
      async () => {
        if (this.options.images && (await this.options.images.has(ref, platform))) {
          const local = await readAptBase(this.options.images, ref, platform);
          if (!local) throw new Error(`${ref} has no dpkg database (not Debian-based)`);
          return local;
        }
        const assumed = assumeAptBase(ref, platform);
        if (!assumed) throw new Error(`the distribution of ${ref} is unknown until the image is pulled`);
        return assumed;
      },
      `the packages of ${ref}`,
    );
  }

  private index(base: AptBase): Lookup<LoadedIndex> {
    const key = base.sources.map((s) => `${s.uri} ${s.suite} ${s.components.join(',')}`).join('|') + `|${base.arch}`;
    return this.indexes.get(
      key,
      async () => {
        const index = new DebianIndex({ recordsOnDisk: true });
        const listFiles: LoadedIndex['listFiles'] = [];
        const failures: string[] = [];
        for (const source of base.sources) {
          let sizes = new Map<string, number>();
          try {
            const release = await this.options.fetchIndex(releaseFileUrl(source));
            sizes = releaseSizes(release);
            listFiles.push({ path: aptListPath(releaseFileUrl(source)), plainBytes: Buffer.byteLength(release), kind: 'release' });
          } catch (error) {
            failures.push((error as Error).message);
          }
          for (const component of source.components) {
            const url = packagesIndexUrl(source, component, base.arch);
            try {
              // Parsed as it is decompressed: the whole text is never held, nor decoded at once.
              let plainBytes = 0;
              const feeder = index.feeder(base.arch);
              await streamIndex(this.options.fetchIndex, url, (chunk) => {
                plainBytes += chunk.length;
                return feeder.push(chunk);
              });
              feeder.end();
              listFiles.push({ path: aptListPath(url), plainBytes, kind: 'packages' });
            } catch (error) {
              failures.push((error as Error).message);
              continue;
            }
            const translation = sizes.get(`${component}/i18n/Translation-en`);
            if (translation !== undefined) listFiles.push({ path: aptListPath(`${source.uri}/dists/${source.suite}/${component}/i18n/Translation-en`), plainBytes: translation, kind: 'translation' });
          }
        }
        if (index.size === 0) throw new Error(`no package index could be read (${failures.join('; ')})`);
        // An install reads a few hundred of its 60,000 packages: the rest wait on disk.
        if (index.keepRecordsOnDisk()) collectYoungGeneration();
        return { index, listFiles, failures, minimal: base.installed === 'minimal' ? { names: index.minimalBaseSet(), provided: new Set() } : undefined };
      },
      `the package index of ${base.distribution}`,
    );
  }

  estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate> {
    const base = this.base(request.baseImage, request.platform);
    if (base.state !== 'known') return base;
    const loaded = this.index(base.value);
    if (loaded.state !== 'known') return loaded;
    // Stages often install the same packages on the same base: resolved once per index.
    let estimates = this.estimates.get(loaded.value);
    if (!estimates) this.estimates.set(loaded.value, (estimates = new Map()));
    const key = [request.baseImage, request.platform, request.installRecommends, /^apt\s/.test(request.command ?? ''), request.packages.join(' '), request.installedBefore.join(' ')].join('\n');
    let value = estimates.get(key);
    if (!value) {
      if (estimates.size >= MAX_ESTIMATES) estimates.clear();
      estimates.set(key, (value = this.estimate(request, base.value, loaded.value)));
    }
    return { state: 'known', value };
  }

  private estimate(request: PackageInstallRequest, b: AptBase, loaded: LoadedIndex): PackageInstallEstimate {
    const { index, minimal } = loaded;
    const installedBase = b.installed === 'minimal' ? (minimal as InstalledSet) : b.installed;
    // The base's sets are shared by every estimate: what earlier steps installed goes into copies.
    const installed: InstalledSet = { names: new Set([...installedBase.names, ...request.installedBefore]), provided: installedBase.provided };
    for (const name of request.installedBefore) {
      for (const v of index.candidate(name)?.provides ?? []) {
        if (installed.provided === installedBase.provided) installed.provided = new Set(installedBase.provided);
        installed.provided.add(v);
      }
    }
    const recommends = request.installRecommends ?? b.behaviour.recommends;
    const resolution = resolveAptInstall(index, installed, request.packages, { recommends });
    const pycBytes = resolution.packages.reduce((s, p) => s + model.byteCompiledBytes(p), 0);
    const installedBytes = Math.round(resolution.packages.reduce((s, p) => s + p.installedBytes, 0) * model.TAR_PER_INSTALLED_BYTE + pycBytes);
    const files = resolution.packages.reduce((s, p) => s + Math.max(1, Math.round(p.installedBytes / model.AVERAGE_FILE_BYTES)), 0);
    const statusBytes = b.statusBytes ?? model.ASSUMED_STATUS_BYTES;
    const debconfBytes = model.debconfBytesWritten(b.debconfBytes ?? model.ASSUMED_DEBCONF_BYTES, resolution.packages);
    const bookkeepingBytes =
      resolution.packages.length === 0
        ? 0
        : Math.round(model.BOOKKEEPING_FIXED + 2 * statusBytes + debconfBytes + resolution.packages.length * model.BOOKKEEPING_PER_PACKAGE + files * model.BOOKKEEPING_PER_FILE);
    const aptBinary = /^apt\s/.test(request.command ?? '');
    const cacheBytes = b.behaviour.keepsArchives && !aptBinary ? resolution.packages.reduce((s, p) => s + p.debBytes + 512, 0) : 0;
    const notes = [`${b.distribution} (${b.origin})${recommends ? ', with Recommends' : ', without Recommends'}`];
    if (pycBytes > 0) notes.push(`~${Math.round(pycBytes / 1e6)} MB of byte-compiled Python modules`);
    if (resolution.alreadyInstalled.length > 0) notes.push(`already installed: ${resolution.alreadyInstalled.join(', ')}`);
    if (loaded.failures.length > 0) notes.push(`some indexes were unavailable`);
    return {
      installedBytes,
      bookkeepingBytes,
      cacheBytes,
      cacheDir: '/var/cache/apt/archives',
      packages: resolution.packages.map((p) => ({ name: p.name, version: p.version, installedBytes: p.installedBytes })),
      missing: resolution.missing,
      confidence: b.origin === 'local image' && loaded.failures.length === 0 ? 'medium' : 'low',
      notes,
    };
  }

  /** What `apt-get update` leaves: the lists (as stored) and, without docker-clean, pkgcache files. */
  indexFootprint(baseImage: string | undefined, platform: string): Lookup<IndexFootprint> {
    const base = this.base(baseImage, platform);
    if (base.state !== 'known') return base;
    const loaded = this.index(base.value);
    if (loaded.state !== 'known') return loaded;
    const { behaviour } = base.value;
    const files: IndexFootprint['files'] = [];
    for (const file of loaded.value.listFiles) {
      if (file.kind === 'translation' && !behaviour.downloadsTranslations) continue;
      const stored = file.kind === 'release' || !behaviour.compressedLists ? file.plainBytes : Math.round(file.plainBytes * model.LZ4_LIST_RATIO);
      files.push({ path: file.path + (file.kind !== 'release' && behaviour.compressedLists ? '.lz4' : ''), bytes: stored });
    }
    if (behaviour.writesPkgcache) {
      const pkgcache = Math.round(loaded.value.index.indexBytes * model.PKGCACHE_PER_INDEX_BYTE);
      files.push({ path: '/var/cache/apt/pkgcache.bin', bytes: pkgcache }, { path: '/var/cache/apt/srcpkgcache.bin', bytes: pkgcache });
    }
    return { state: 'known', value: { bytes: files.reduce((s, f) => s + f.bytes, 0), files } };
  }
}
