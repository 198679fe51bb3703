// apk installs, sized from the base image's installed database and the APKINDEX of its
// repositories; `apk add` without `--no-cache` leaves the downloaded indexes in /var/cache/apk.
import { gunzipSync } from 'zlib';
import * as tar from 'tar-stream';
import type { IndexFootprint, Lookup, PackageInstallEstimate, PackageInstallRequest } from '../../plan/size/sizeReaders';
import type { ImageFiles } from '../imageFiles';
import { LookupCache } from '../lookupCache';
import { ApkIndex, type ApkPackage, parseApkIndex, parseApkIndexInSlices, resolveApkAdd } from './apkIndex';

/** Fetches a repository's `APKINDEX.tar.gz` (raw bytes) by URL. */
export type ApkIndexFetcher = (url: string) => Promise<Buffer>;

export function httpApkFetcher(timeoutMs = 30_000): ApkIndexFetcher {
  return async (url) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
}

/** The packages of the official alpine image (stable since 3.17). */
const ALPINE_BASE = ['alpine-baselayout', 'alpine-baselayout-data', 'alpine-keys', 'apk-tools', 'busybox', 'busybox-binsh', 'ca-certificates-bundle', 'libc-utils', 'libcrypto3', 'libssl3', 'musl', 'musl-utils', 'scanelf', 'ssl_client', 'zlib'];

/** dpkg-like bookkeeping of apk: installed database lines and scripts per package. */
const BOOKKEEPING_PER_PACKAGE = 2 * 1024;
const BOOKKEEPING_FIXED = 16 * 1024;

export function alpineArch(platform: string): string {
  const [, arch = 'amd64', variant] = platform.split('/');
  return { amd64: 'x86_64', arm64: 'aarch64', '386': 'x86', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' }[arch] ?? (arch === 'arm' ? (variant === 'v6' ? 'armhf' : 'armv7') : arch);
}

interface ApkBase {
  repositories: string[];
  installed: ApkPackage[] | 'official';
  installedDbBytes: number;
  origin: string;
}

interface LoadedIndex {
  index: ApkIndex;
  /** Compressed bytes of each APKINDEX.tar.gz (what /var/cache/apk keeps). */
  indexFiles: { url: string; bytes: number }[];
}

async function apkindexText(data: Buffer): Promise<string> {
  const extract = tar.extract();
  let text = '';
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    stream.on('end', () => {
      if (header.name === 'APKINDEX') text = Buffer.concat(chunks).toString('utf8');
      next();
    });
  });
  // APKINDEX.tar.gz is several concatenated gzip streams (signature, then index).
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(gunzipSync(data));
  await done;
  if (!text) throw new Error('APKINDEX not found in the archive');
  return text;
}

export class AlpinePackageSizes {
  private readonly bases: LookupCache<ApkBase>;
  private readonly indexes: LookupCache<LoadedIndex>;

  constructor(private readonly options: { fetch: ApkIndexFetcher; images?: ImageFiles; onChange?: () => void }) {
    this.bases = new LookupCache({ onSettled: options.onChange });
    this.indexes = new LookupCache({ timeoutMs: 60_000, onSettled: options.onChange, startLater: true });
  }

  /** Changes whenever an answer may have changed (a base or an index was looked up or arrived). */
  version(): number {
    return this.bases.version() + this.indexes.version();
  }

  async settled(): Promise<void> {
    await this.bases.settled();
    await this.indexes.settled();
    await this.bases.settled();
  }

  private base(ref: string | undefined, platform: string): Lookup<ApkBase> {
    if (ref === undefined) return { state: 'unknown', reason: 'a scratch stage has no apk' };
    return this.bases.get(`${ref}|${platform}`, async () => {
      const images = this.options.images;
      if (images && (await images.has(ref, platform))) {
        const installed = await images.readFile(ref, platform, '/lib/apk/db/installed');
        if (!installed) throw new Error(`${ref} has no apk database (not Alpine-based)`);
        const repos = (await images.readFile(ref, platform, '/etc/apk/repositories'))?.toString('utf8') ?? '';
        return { repositories: repos.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('@')), installed: parseApkIndex(installed.toString('utf8')), installedDbBytes: installed.length, origin: 'local image' };
      }
      const m = /^(?:docker\.io\/)?(?:library\/)?alpine:(\d+\.\d+)/.exec(ref);
      if (!m) throw new Error(`the distribution of ${ref} is unknown until the image is pulled`);
      const repositories = ['main', 'community'].map((c) => `https://dl-cdn.alpinelinux.org/alpine/v${m[1]}/${c}`);
      return { repositories, installed: 'official', installedDbBytes: 30 * 1024, origin: 'assumed from the image name' };
    });
  }

  private index(base: ApkBase, arch: string): Lookup<LoadedIndex> {
    return this.indexes.get(`${base.repositories.join('|')}|${arch}`, async () => {
      const index = new ApkIndex();
      const indexFiles: LoadedIndex['indexFiles'] = [];
      const failures: string[] = [];
      for (const repo of base.repositories) {
        const url = `${repo}/${arch}/APKINDEX.tar.gz`;
        try {
          const data = await this.options.fetch(url);
          index.add(await parseApkIndexInSlices(await apkindexText(data)));
          indexFiles.push({ url, bytes: data.length });
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      if (index.size === 0) throw new Error(`no APKINDEX could be read (${failures.join('; ')})`);
      return { index, indexFiles };
    });
  }

  estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate> {
    const base = this.base(request.baseImage, request.platform);
    if (base.state !== 'known') return base;
    const loaded = this.index(base.value, alpineArch(request.platform));
    if (loaded.state !== 'known') return loaded;
    const { index } = loaded.value;
    const installedBase = base.value.installed === 'official' ? ALPINE_BASE.map((n) => index.resolve(n)).filter((p): p is ApkPackage => p !== undefined) : base.value.installed;
    const before = request.installedBefore.map((n) => index.resolve(n)).filter((p): p is ApkPackage => p !== undefined);
    const resolution = resolveApkAdd(index, [...installedBase, ...before], request.packages);
    const installedBytes = resolution.packages.reduce((s, p) => s + p.installedBytes, 0);
    return {
      state: 'known',
      value: {
        installedBytes,
        bookkeepingBytes: resolution.packages.length === 0 ? 0 : BOOKKEEPING_FIXED + base.value.installedDbBytes + resolution.packages.length * BOOKKEEPING_PER_PACKAGE,
        cacheBytes: 0,
        packages: resolution.packages.map((p) => ({ name: p.name, version: p.version, installedBytes: p.installedBytes })),
        missing: resolution.missing,
        confidence: base.value.origin === 'local image' ? 'medium' : 'low',
        notes: [`Alpine (${base.value.origin})`],
      },
    };
  }

  indexFootprint(baseImage: string | undefined, platform: string): Lookup<IndexFootprint> {
    const base = this.base(baseImage, platform);
    if (base.state !== 'known') return base;
    const loaded = this.index(base.value, alpineArch(platform));
    if (loaded.state !== 'known') return loaded;
    const files = loaded.value.indexFiles;
    const stored = files.map((f, i) => ({ path: `/var/cache/apk/APKINDEX.${i}.tar.gz`, bytes: f.bytes }));
    return { state: 'known', value: { bytes: stored.reduce((s, f) => s + f.bytes, 0), files: stored } };
  }
}
