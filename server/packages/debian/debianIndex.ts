// A Debian package index (one or more `Packages` files merged, newest version wins, as apt's
// candidate selection does by default) and the installed set from `/var/lib/dpkg/status`.
import { compareDebianVersions } from './debianVersion';
import { type ControlParagraph, forEachParagraph, forEachParagraphInSlices } from './parseControl';
import { parseRelations, type Relation } from './relations';

export interface DebianPackage {
  name: string;
  version: string;
  architecture: string;
  /** Installed-Size in bytes (the field is in KiB). */
  installedBytes: number;
  /** Size of the .deb in bytes. */
  debBytes: number;
  depends: Relation[][];
  preDepends: Relation[][];
  recommends: Relation[][];
  provides: string[];
  priority?: string;
  essential: boolean;
}

const FIELDS = ['Package', 'Version', 'Architecture', 'Installed-Size', 'Size', 'Depends', 'Pre-Depends', 'Recommends', 'Provides', 'Priority', 'Essential', 'Status'];

function toPackage(f: Record<string, string>): DebianPackage {
  return {
    name: f.Package.toLowerCase(),
    version: f.Version ?? '',
    architecture: f.Architecture ?? 'all',
    installedBytes: (Number(f['Installed-Size']) || 0) * 1024,
    debBytes: Number(f.Size) || 0,
    depends: parseRelations(f.Depends),
    preDepends: parseRelations(f['Pre-Depends']),
    recommends: parseRelations(f.Recommends),
    provides: parseRelations(f.Provides).map((g) => g[0].name),
    priority: f.Priority,
    essential: f.Essential === 'yes',
  };
}

export class DebianIndex {
  private readonly packages = new Map<string, DebianPackage>();
  private readonly providers = new Map<string, string[]>();
  /** Uncompressed bytes of the index files added. */
  indexBytes = 0;

  /** Adds a `Packages` file for `architecture` (other architectures are ignored, `all` kept). */
  add(text: string, architecture: string): void {
    this.indexBytes += Buffer.byteLength(text);
    forEachParagraph(text, FIELDS, (f) => this.addParagraph(f, architecture));
  }

  /** `add` in slices of about `sliceMs`, giving the event loop a turn between them (indexes of 50 MB). */
  async addInSlices(text: string, architecture: string, sliceMs?: number): Promise<void> {
    this.indexBytes += Buffer.byteLength(text);
    await forEachParagraphInSlices(text, FIELDS, (f) => this.addParagraph(f, architecture), sliceMs);
  }

  private addParagraph(f: ControlParagraph, architecture: string): void {
    if (!f.Package) return;
    const arch = f.Architecture ?? 'all';
    if (arch !== 'all' && arch !== architecture) return;
    const pkg = toPackage(f);
    const existing = this.packages.get(pkg.name);
    if (existing && compareDebianVersions(existing.version, pkg.version) >= 0) return;
    this.packages.set(pkg.name, pkg);
    for (const virtual of pkg.provides) {
      const list = this.providers.get(virtual) ?? [];
      if (!list.includes(pkg.name)) list.push(pkg.name);
      this.providers.set(virtual, list);
    }
  }

  get size(): number {
    return this.packages.size;
  }

  candidate(name: string): DebianPackage | undefined {
    return this.packages.get(name);
  }

  providersOf(virtual: string): string[] {
    return this.providers.get(virtual) ?? [];
  }

  /** What a minimal Debian/Ubuntu base has: Essential and Priority required, with their dependencies. */
  minimalBaseSet(): Set<string> {
    const seeds = [...this.packages.values()].filter((p) => p.essential || p.priority === 'required').map((p) => p.name);
    const set = new Set<string>();
    const queue = [...seeds, 'apt'];
    while (queue.length > 0) {
      const name = queue.pop() as string;
      if (set.has(name)) continue;
      const pkg = this.packages.get(name);
      if (!pkg) continue;
      set.add(name);
      for (const group of [...pkg.preDepends, ...pkg.depends]) {
        if (group.some((r) => set.has(r.name))) continue;
        const first = group.find((r) => this.packages.has(r.name)) ?? group.find((r) => this.providersOf(r.name).length > 0);
        if (first) queue.push(this.packages.has(first.name) ? first.name : this.providersOf(first.name)[0]);
      }
    }
    return set;
  }
}

/** Packages installed according to a dpkg status file, with what they provide. */
export interface InstalledSet {
  names: Set<string>;
  provided: Set<string>;
  /** Installed versions, when known. */
  versions?: Map<string, string>;
  /** Depends and Pre-Depends of installed packages (an upgrade may force theirs). */
  depends?: Map<string, Relation[][]>;
}

export function parseDpkgStatus(text: string): InstalledSet {
  const names = new Set<string>();
  const provided = new Set<string>();
  const versions = new Map<string, string>();
  const depends = new Map<string, Relation[][]>();
  forEachParagraph(text, FIELDS, (f) => {
    if (!f.Package || !/ installed$/.test(f.Status ?? '')) return;
    const name = f.Package.toLowerCase();
    names.add(name);
    if (f.Version) versions.set(name, f.Version);
    const rels = [...parseRelations(f['Pre-Depends']), ...parseRelations(f.Depends)].filter((g) => g.some((r) => r.op === '='));
    if (rels.length > 0) depends.set(name, rels);
    for (const group of parseRelations(f.Provides)) provided.add(group[0].name);
  });
  return { names, provided, versions, depends };
}
