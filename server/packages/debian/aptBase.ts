// What apt needs to know about a base image: installed packages, sources, apt behaviour and the
// sizes of files every install rewrites. Read from the image when it is local; otherwise assumed
// from the reference for official Debian/Ubuntu images (and said so).
import type { ImageFiles } from '../imageFiles';
import { type AptBehaviour, DEFAULT_APT, readAptBehaviour } from './aptConfig';
import { type AptSource, parseDeb822Sources, parseSourcesList } from './aptSources';
import { type InstalledSet, parseDpkgStatus } from './debianIndex';

export interface AptBase {
  /** Installed packages; 'minimal' when assumed (Essential + required + apt from the index). */
  installed: InstalledSet | 'minimal';
  sources: AptSource[];
  arch: string;
  behaviour: AptBehaviour;
  /** Bytes of /var/lib/dpkg/status, when known. */
  statusBytes?: number;
  /** Bytes of the debconf databases (templates.dat, config.dat), when known. */
  debconfBytes?: number;
  /** How this was learned, for the prediction's basis. */
  origin: 'local image' | 'assumed from the image name';
  distribution: string;
}

const DEBIAN_RELEASES: Record<string, string> = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie' };
const DEBIAN_CODENAMES = ['buster', 'bullseye', 'bookworm', 'trixie'];
const UBUNTU_RELEASES: Record<string, string> = { '20.04': 'focal', '22.04': 'jammy', '24.04': 'noble' };
const UBUNTU_CODENAMES = ['focal', 'jammy', 'noble'];

/** `linux/amd64` -> `amd64`, `linux/arm/v7` -> `armhf`, `linux/arm64` -> `arm64`. */
export function debianArch(platform: string): string {
  const [, arch = 'amd64', variant] = platform.split('/');
  if (arch === 'arm') return variant === 'v5' ? 'armel' : 'armhf';
  if (arch === '386') return 'i386';
  return arch;
}

/** Base facts assumed from an image reference (official images), or undefined when not recognisable. */
export function assumeAptBase(ref: string, platform: string): AptBase | undefined {
  const m = /^(?:(?:docker\.io\/)?(?:library\/)?)?([a-z0-9._-]+)(?::([A-Za-z0-9._-]+))?(?:@sha256:[0-9a-f]{64})?$/.exec(ref);
  if (!m) return undefined;
  const [, name, tag = 'latest'] = m;
  const arch = debianArch(platform);
  // Official Debian and Ubuntu images: minimal package set, docker-clean, gzip indexes, no translations.
  const official: AptBehaviour = { ...DEFAULT_APT, keepsArchives: false, writesPkgcache: false, compressedLists: true, downloadsTranslations: false };
  const codename = (list: string[]): string | undefined => list.find((c) => tag.split(/[-.]/).includes(c));
  if (name === 'debian') {
    const release = DEBIAN_RELEASES[tag.split(/[-.]/)[0]] ?? codename(DEBIAN_CODENAMES);
    if (!release) return undefined;
    const sources = [
      { uri: 'http://deb.debian.org/debian', suite: release, components: ['main'] },
      { uri: 'http://deb.debian.org/debian', suite: `${release}-updates`, components: ['main'] },
      { uri: 'http://deb.debian.org/debian-security', suite: `${release}-security`, components: ['main'] },
    ];
    return { installed: 'minimal', sources, arch, behaviour: official, origin: 'assumed from the image name', distribution: `Debian ${release}` };
  }
  if (name === 'ubuntu') {
    const release = UBUNTU_RELEASES[tag.replace(/^(\d+\.\d+).*$/, '$1')] ?? codename(UBUNTU_CODENAMES);
    if (!release) return undefined;
    const mirror = arch === 'amd64' || arch === 'i386' ? 'http://archive.ubuntu.com/ubuntu' : 'http://ports.ubuntu.com/ubuntu-ports';
    const components = ['main', 'restricted', 'universe', 'multiverse'];
    const sources = [release, `${release}-updates`, `${release}-security`].map((suite) => ({ uri: mirror, suite, components }));
    return { installed: 'minimal', sources, arch, behaviour: official, origin: 'assumed from the image name', distribution: `Ubuntu ${release}` };
  }
  return undefined;
}

async function readText(files: ImageFiles, ref: string, platform: string, p: string): Promise<string | undefined> {
  return (await files.readFile(ref, platform, p))?.toString('utf8');
}

/** Reads the base facts from a local image; undefined when the image has no dpkg database. */
export async function readAptBase(files: ImageFiles, ref: string, platform: string): Promise<AptBase | undefined> {
  const status = await files.readFile(ref, platform, '/var/lib/dpkg/status');
  if (!status) return undefined;
  const sources: AptSource[] = [];
  const list = await readText(files, ref, platform, '/etc/apt/sources.list');
  if (list) sources.push(...parseSourcesList(list));
  for (const name of ((await files.listDirectory(ref, platform, '/etc/apt/sources.list.d')) ?? []).sort()) {
    const text = await readText(files, ref, platform, `/etc/apt/sources.list.d/${name}`);
    if (!text) continue;
    if (name.endsWith('.list')) sources.push(...parseSourcesList(text));
    else if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(text));
  }
  const fragments: string[] = [];
  for (const name of ((await files.listDirectory(ref, platform, '/etc/apt/apt.conf.d')) ?? []).sort()) {
    const text = await readText(files, ref, platform, `/etc/apt/apt.conf.d/${name}`);
    if (text) fragments.push(text);
  }
  let debconfBytes = 0;
  for (const name of ['templates.dat', 'config.dat']) debconfBytes += (await files.readFile(ref, platform, `/var/cache/debconf/${name}`))?.length ?? 0;
  const osRelease = (await readText(files, ref, platform, '/etc/os-release')) ?? '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? 'Debian-based image';
  return {
    installed: parseDpkgStatus(status.toString('utf8')),
    sources,
    arch: debianArch(platform),
    behaviour: readAptBehaviour(fragments),
    statusBytes: status.length,
    debconfBytes,
    origin: 'local image',
    distribution: pretty,
  };
}
