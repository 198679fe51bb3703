// `npm install <names>` from the npm registry's package metadata: each name resolved to the
// highest version its range (or dist-tag) allows, dependencies followed the same way (one copy
// per name@version, as a deduplicated tree holds them), and each package's `dist.unpackedSize`
// plus its tar overhead (`dist.fileCount` headers and padding). `npm ci` / `npm install` without
// names install what the project's lock file lists (npmLockFile.ts, npmProjectInstall.ts); without
// a lock file, package.json's ranges resolved like names (low confidence).
import * as semver from 'semver';
import { Readable } from 'stream';
import * as tar from 'tar-stream';
import * as zlib from 'zlib';
import type { IndexFootprint, Lookup, PackageInstallEstimate, PackageInstallRequest } from '../../plan/size/sizeReaders';
import type { ManagerSizes } from '../packageSizes';
import { LookupCache } from '../lookupCache';
import { parseNpmInstallOptions } from './npmInstallOptions';
import { type LockedPackage, lockedPackages, nodePlatform } from './npmLockFile';
import { projectEstimate, projectLayerBytes, type TarballFacts } from './npmProjectInstall';

interface VersionDoc {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dist?: { unpackedSize?: number; fileCount?: number; tarball?: string };
}

interface Packument {
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, VersionDoc>;
}

/** Fetches a package's metadata document (throws when the registry answers otherwise than 200/404). */
export type PackumentFetcher = (name: string) => Promise<Packument | undefined>;

export function httpPackumentFetcher(registry = 'https://registry.npmjs.org', timeoutMs = 10_000): PackumentFetcher {
  return async (name) => {
    const url = `${registry.replace(/\/$/, '')}/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`;
    const res = await fetch(url, { headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' }, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return (await res.json()) as Packument;
  };
}

/** Files and bytes in a package tarball (for registries or old packages that publish no `unpackedSize`). */
export type TarballCounter = (url: string) => Promise<TarballFacts>;

const MAX_TARBALL = 64 * 1024 * 1024;

export function httpTarballCounter(timeoutMs = 30_000): TarballCounter {
  return async (url) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > MAX_TARBALL) throw new Error(`${url} is larger than ${MAX_TARBALL} bytes`);
    const extract = tar.extract();
    let files = 0;
    let bytes = 0;
    let tarBytes = 0;
    let compressedBytes = 0;
    const dirs = new Set<string>();
    extract.on('entry', (header, body, next) => {
      // Paths below the tarball's top directory (`package/`); directories are often implicit.
      const parts = header.name.split('/').filter(Boolean).slice(1);
      const depth = header.type === 'directory' ? parts.length : parts.length - 1;
      for (let i = 1; i <= depth; i++) dirs.add(parts.slice(0, i).join('/'));
      if (header.type === 'file') {
        files++;
        bytes += header.size ?? 0;
        tarBytes += 512 + Math.ceil((header.size ?? 0) / 512) * 512;
      }
      body.on('end', () => next());
      body.resume();
    });
    const done = new Promise<void>((resolve, reject) => { extract.on('finish', resolve); extract.on('error', reject); });
    const gunzip = zlib.createGunzip();
    gunzip.on('error', (err) => extract.destroy(err));
    const source = Readable.fromWeb(res.body as import('stream/web').ReadableStream<Uint8Array>);
    source.on('data', (chunk: Buffer) => {
      compressedBytes += chunk.length;
    });
    source.pipe(gunzip).pipe(extract);
    await done;
    return { files, bytes, tarBytes, dirs: dirs.size, compressedBytes };
  };
}

/** Per file in a tar layer: a 512-byte header plus, on average, half a block of padding. */
export const TAR_BYTES_PER_FILE = 512 + 256;
/** Most packages followed before giving up (a runaway tree). */
const MAX_PACKAGES = 5000;

/** `lodash@^4`, `@types/node@20`, `express` -> name and range (default `latest`). */
export function parseNpmSpec(spec: string): { name: string; range: string } | undefined {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at > 0 ? spec.slice(0, at) : spec;
  const range = at > 0 ? spec.slice(at + 1) : 'latest';
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return undefined;
  return { name, range: range || 'latest' };
}

function pickVersion(doc: Packument, range: string): string | undefined {
  const tagged = doc['dist-tags']?.[range];
  if (tagged) return tagged;
  const versions = Object.keys(doc.versions ?? {});
  const latest = doc['dist-tags']?.latest;
  // npm prefers the `latest` tag when it satisfies the range.
  if (latest && semver.valid(latest) && semver.satisfies(latest, range)) return latest;
  return semver.maxSatisfying(versions, range) ?? undefined;
}

export class NpmPackageSizes implements ManagerSizes {
  private readonly packuments = new Map<string, Promise<Packument | undefined>>();
  private readonly tarballs = new Map<string, Promise<TarballFacts>>();
  private changes = 0;
  private readonly cache: LookupCache<PackageInstallEstimate>;

  constructor(private readonly options: { fetch?: PackumentFetcher; countTarball?: TarballCounter; onChange?: () => void; timeoutMs?: number; registry?: string } = {}) {
    const onSettled = (): void => {
      this.changes++;
      options.onChange?.();
    };
    this.cache = new LookupCache({ timeoutMs: options.timeoutMs ?? 60_000, onSettled, retryAfterMs: 5 * 60_000, startLater: true });
  }

  /** Changes whenever an answer may have changed (a lookup settled). */
  version(): number {
    return this.changes;
  }

  estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate> {
    const specs = request.packages.filter((p) => !p.startsWith('-'));
    if (specs.length === 0) return this.estimateProject(request);
    const local = specs.find((s) => /^(\.|\/|file:|git|https?:|github:)/.test(s) || s.includes('/') && !s.startsWith('@'));
    if (local) return { state: 'unknown', reason: `\`${local}\` is not a registry package` };
    const key = [...specs].sort().join(' ');
    return this.cache.get(key, () => this.resolve(specs), `${specs.join(' ')} on the npm registry`);
  }

  /** `npm ci` / `npm install` in a project directory: its lock file, else package.json's ranges. */
  private estimateProject(request: PackageInstallRequest): Lookup<PackageInstallEstimate> {
    const options = parseNpmInstallOptions(request.command ?? 'npm install', request.env);
    const project = request.project;
    if (options.global) return { state: 'unknown', reason: 'installs the project folder globally (a link), which is not modelled' };
    if (!project?.manifest) return { state: 'unknown', reason: 'npm installs what package.json and its lock file list; none was copied into the working directory' };
    if (!project.lockFile) {
      if (options.clean) return { state: 'unknown', reason: `npm ci needs a package-lock.json or npm-shrinkwrap.json in ${project.dir}` };
      let manifest: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      try {
        manifest = JSON.parse(project.manifest) as typeof manifest;
      } catch (error) {
        return { state: 'unknown', reason: `package.json is not JSON (${(error as Error).message})` };
      }
      const ranges = { ...(options.omitDev ? {} : manifest.devDependencies), ...(options.omitOptional ? {} : manifest.optionalDependencies), ...manifest.dependencies };
      const specs = Object.entries(ranges).map(([name, range]) => `${name}@${range}`);
      const local = specs.find((s) => /@(file:|link:|git|https?:|github:|\.|\/|workspace:)/.test(s));
      if (local) return { state: 'unknown', reason: `package.json depends on \`${local}\`, which is not a registry package` };
      if (specs.length === 0) return { state: 'known', value: projectEstimate(projectLayerBytes(project.dir, [], new Map(), 0), [], ['npm: package.json has no dependencies'], 'medium') };
      const key = `manifest:${project.dir}:${[...specs].sort().join(' ')}`;
      return this.cache.get(key, async () => {
        const e = await this.resolve(specs);
        return { ...e, confidence: 'low' as const, notes: ['npm: no lock file; package.json ranges resolved to the newest matching versions', ...e.notes] };
      }, `package.json dependencies on the npm registry`);
    }
    const parsed = lockedPackages(project.lockFile, options, nodePlatform(request.platform, request.baseImage));
    if (!parsed.ok) return { state: 'unknown', reason: `${project.lockFileName ?? 'package-lock.json'}: ${parsed.reason}` };
    const hidden = project.lockFile.length;
    const key = `lock:${project.dir}:${JSON.stringify(options)}:${request.platform}:${hidden}:${project.lockFile.slice(0, 64)}:${parsed.packages.map((p) => `${p.path}@${p.version}`).join(',')}`;
    const notes = [
      `npm: ${parsed.packages.length} packages from ${project.lockFileName ?? 'package-lock.json'} (lockfileVersion ${parsed.lockfileVersion})${parsed.skipped > 0 ? `, ${parsed.skipped} left out (${[options.omitDev && 'dev', options.omitOptional && 'optional', options.omitPeer && 'peer'].filter(Boolean).join(', ') || 'other platforms'})` : ''}; sizes from the packages' tarballs`,
      'install scripts may add files (not modelled)',
    ];
    return this.cache.get(key, async () => {
      const facts = await this.tarballFacts(parsed.packages);
      const urls = new Map(parsed.packages.flatMap((p) => {
        const url = this.tarballUrl(p);
        return url ? [[p, url] as const] : [];
      }));
      const estimate = projectEstimate(projectLayerBytes(project.dir, parsed.packages, facts, hidden, urls), parsed.packages, notes, 'medium');
      if (!options.clean) {
        // `npm install` writes package-lock.json back (overlayfs copies it up even when unchanged).
        estimate.installedBytes += 512 + Math.ceil(project.lockFile!.length / 512) * 512;
      }
      return estimate;
    }, `${parsed.packages.length} locked packages on the npm registry`);
  }

  private async tarballFacts(packages: readonly LockedPackage[]): Promise<Map<LockedPackage, TarballFacts | undefined>> {
    const facts = new Map<LockedPackage, TarballFacts | undefined>();
    const count = this.options.countTarball ?? httpTarballCounter();
    const todo = packages.filter((p) => !p.link);
    for (let i = 0; i < todo.length; i += 16) {
      await Promise.all(todo.slice(i, i + 16).map(async (p) => {
        const url = this.tarballUrl(p);
        if (!url) return facts.set(p, undefined);
        let counted = this.tarballs.get(url);
        if (!counted) {
          counted = count(url);
          this.tarballs.set(url, counted);
          counted.catch(() => this.tarballs.delete(url));
        }
        facts.set(p, await counted.catch(() => undefined));
      }));
    }
    return facts;
  }

  /** Where npm fetches a locked package from: its `resolved` URL, else the registry's tarball path. */
  private tarballUrl(p: LockedPackage): string | undefined {
    const registry = (this.options.registry ?? 'https://registry.npmjs.org').replace(/\/$/, '');
    if (p.resolved && /^https?:/.test(p.resolved)) return p.resolved;
    return semver.valid(p.version) ? `${registry}/${p.name}/-/${p.name.replace(/^@[^/]+\//, '')}-${p.version}.tgz` : undefined;
  }

  indexFootprint(): Lookup<IndexFootprint> {
    return { state: 'unknown', reason: 'npm has no index to update' };
  }

  settled(): Promise<void> {
    return this.cache.settled();
  }

  private packument(name: string): Promise<Packument | undefined> {
    let doc = this.packuments.get(name);
    if (!doc) {
      doc = (this.options.fetch ?? httpPackumentFetcher())(name);
      this.packuments.set(name, doc);
      doc.catch(() => this.packuments.delete(name));
    }
    return doc;
  }

  private async resolve(specs: string[]): Promise<PackageInstallEstimate> {
    const chosen = new Map<string, { name: string; version: string; installedBytes: number }>();
    const missing: string[] = [];
    const notes: string[] = [];
    const unsized: { id: string; entry: { installedBytes: number }; tarball?: string }[] = [];
    let queue = specs.map((s) => ({ spec: s, parsed: parseNpmSpec(s), optional: false }));
    while (queue.length > 0 && chosen.size < MAX_PACKAGES) {
      const docs = await Promise.all(queue.map((q) => (q.parsed ? this.packument(q.parsed.name) : Promise.resolve(undefined))));
      const next: typeof queue = [];
      queue.forEach((q, i) => {
        const doc = docs[i];
        const version = q.parsed && doc ? pickVersion(doc, q.parsed.range) : undefined;
        if (!q.parsed || !doc || !version) {
          if (!q.optional) missing.push(q.spec);
          return;
        }
        const id = `${q.parsed.name}@${version}`;
        if (chosen.has(id)) return;
        const v = doc.versions?.[version] ?? {};
        const unpacked = v.dist?.unpackedSize;
        const entry = { name: q.parsed.name, version, installedBytes: (unpacked ?? 0) + (v.dist?.fileCount ?? 0) * TAR_BYTES_PER_FILE };
        chosen.set(id, entry);
        if (unpacked === undefined || v.dist?.fileCount === undefined) unsized.push({ id, entry, tarball: v.dist?.tarball });
        for (const [name, range] of Object.entries(v.dependencies ?? {})) next.push({ spec: `${name}@${range}`, parsed: parseNpmSpec(`${name}@${range}`), optional: false });
        for (const [name, range] of Object.entries(v.optionalDependencies ?? {})) next.push({ spec: `${name}@${range}`, parsed: parseNpmSpec(`${name}@${range}`), optional: true });
      });
      queue = next;
    }
    if (queue.length > 0) notes.push(`stopped after ${MAX_PACKAGES} packages`);
    // No published size: count the package's own tarball (a few at a time).
    const count = this.options.countTarball ?? httpTarballCounter();
    let counted = 0;
    for (let i = 0; i < unsized.length; i += 8) {
      await Promise.all(unsized.slice(i, i + 8).map(async (u) => {
        if (!u.tarball) return notes.push(`${u.id} publishes neither its size nor a tarball`);
        try {
          const { files, bytes } = await count(u.tarball);
          u.entry.installedBytes = bytes + files * TAR_BYTES_PER_FILE;
          counted++;
        } catch (err) {
          notes.push(`${u.id}: size unknown (${err instanceof Error ? err.message : String(err)})`);
        }
      }));
    }
    if (counted > 0) notes.push(`${counted} package${counted === 1 ? '' : 's'} sized from ${counted === 1 ? 'its' : 'their'} tarball (no unpackedSize in the metadata)`);
    const packages = [...chosen.values()];
    notes.unshift('npm: package sizes from the npm registry; install scripts and platform-specific optional packages may add or skip files');
    return {
      installedBytes: packages.reduce((s, p) => s + p.installedBytes, 0),
      bookkeepingBytes: 0,
      cacheBytes: 0,
      packages,
      missing,
      confidence: notes.some((n) => n.includes('size unknown') || n.includes('publishes neither')) ? 'low' : 'medium',
      notes,
    };
  }
}
