// A Debian package index (one or more `Packages` files merged, newest version wins, as apt's
// candidate selection does by default) and the installed set from `/var/lib/dpkg/status`.
import { compareDebianVersions } from './debianVersion';
import { type ControlParagraph, ControlParser, forEachParagraph, forEachParagraphInSlices, SlicedFeeder } from './parseControl';
import { parseRelations, type Relation } from './relations';

export interface DebianPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** Installed-Size in bytes (the field is in KiB). */
  readonly installedBytes: number;
  /** Size of the .deb in bytes. */
  readonly debBytes: number;
  readonly depends: Relation[][];
  readonly preDepends: Relation[][];
  readonly recommends: Relation[][];
  readonly provides: string[];
  readonly priority?: string;
  readonly essential: boolean;
}

const FIELDS = ['Package', 'Version', 'Architecture', 'Installed-Size', 'Size', 'Depends', 'Pre-Depends', 'Recommends', 'Provides', 'Priority', 'Essential', 'Status'];

/** One copy of each repeated short string (architectures, priorities, versions, virtual names). */
class Interner {
  private readonly strings = new Map<string, string>();

  get(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }
}

const NO_PROVIDES: string[] = [];

/**
 * A package as the size model reads it: the relation fields are kept as their text and parsed
 * on first use (an install reads a few hundred of the index's 60,000 packages).
 */
class IndexedPackage implements DebianPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly installedBytes: number;
  readonly debBytes: number;
  readonly provides: string[];
  readonly priority?: string;
  readonly essential: boolean;
  #depends: Relation[][] | string | undefined;
  #preDepends: Relation[][] | string | undefined;
  #recommends: Relation[][] | string | undefined;

  constructor(f: ControlParagraph, strings: Interner) {
    this.name = strings.get(f.Package.toLowerCase());
    this.version = strings.get(f.Version ?? '');
    this.architecture = strings.get(f.Architecture ?? 'all');
    this.installedBytes = (Number(f['Installed-Size']) || 0) * 1024;
    this.debBytes = Number(f.Size) || 0;
    this.provides = f.Provides ? parseRelations(f.Provides).map((g) => strings.get(g[0].name)) : NO_PROVIDES;
    if (f.Priority !== undefined) this.priority = strings.get(f.Priority);
    this.essential = f.Essential === 'yes';
    this.#depends = f.Depends;
    this.#preDepends = f['Pre-Depends'];
    this.#recommends = f.Recommends;
  }

  get depends(): Relation[][] {
    return typeof this.#depends === 'object' ? this.#depends : (this.#depends = parseRelations(this.#depends));
  }

  get preDepends(): Relation[][] {
    return typeof this.#preDepends === 'object' ? this.#preDepends : (this.#preDepends = parseRelations(this.#preDepends));
  }

  get recommends(): Relation[][] {
    return typeof this.#recommends === 'object' ? this.#recommends : (this.#recommends = parseRelations(this.#recommends));
  }
}

export class DebianIndex {
  private readonly packages = new Map<string, DebianPackage>();
  /** Virtual name -> its providers: one name as a string (most have one), more as a list. */
  private readonly providers = new Map<string, string | string[]>();
  /** Shares strings within one file; dropped after it (its table alone was 3.5 MiB for bookworm). */
  private strings = new Interner();
  /** Uncompressed bytes of the index files added. */
  indexBytes = 0;

  /** Adds a `Packages` file for `architecture` (other architectures are ignored, `all` kept). */
  add(text: string | Buffer, architecture: string): void {
    this.indexBytes += Buffer.byteLength(text);
    forEachParagraph(text, FIELDS, (f) => this.addParagraph(f, architecture));
    this.strings = new Interner();
  }

  /** `add` in slices of about `sliceMs`, giving the event loop a turn between them (indexes of 50 MB). */
  async addInSlices(text: string | Buffer, architecture: string, sliceMs?: number): Promise<void> {
    this.indexBytes += Buffer.byteLength(text);
    await forEachParagraphInSlices(text, FIELDS, (f) => this.addParagraph(f, architecture), sliceMs);
    this.strings = new Interner();
  }

  /** Reads a `Packages` file as its chunks arrive, in slices of about `sliceMs`; `end()` after the last. */
  feeder(architecture: string, sliceMs?: number): { push(chunk: Buffer): Promise<void>; end(): void } {
    const feeder = new SlicedFeeder(new ControlParser(FIELDS, (f) => this.addParagraph(f, architecture)), sliceMs);
    return {
      push: (chunk) => {
        this.indexBytes += chunk.length;
        return feeder.push(chunk);
      },
      end: () => {
        feeder.end();
        this.strings = new Interner();
      },
    };
  }

  private addParagraph(f: ControlParagraph, architecture: string): void {
    if (!f.Package) return;
    const arch = f.Architecture ?? 'all';
    if (arch !== 'all' && arch !== architecture) return;
    const existing = this.packages.get(f.Package.toLowerCase());
    if (existing && compareDebianVersions(existing.version, f.Version ?? '') >= 0) return;
    const pkg = new IndexedPackage(f, this.strings);
    this.packages.set(pkg.name, pkg);
    for (const virtual of pkg.provides) {
      const known = this.providers.get(virtual);
      if (known === undefined) this.providers.set(virtual, pkg.name);
      else if (typeof known === 'string') {
        if (known !== pkg.name) this.providers.set(virtual, [known, pkg.name]);
      } else if (!known.includes(pkg.name)) known.push(pkg.name);
    }
  }

  get size(): number {
    return this.packages.size;
  }

  candidate(name: string): DebianPackage | undefined {
    return this.packages.get(name);
  }

  providersOf(virtual: string): string[] {
    const known = this.providers.get(virtual);
    return known === undefined ? [] : typeof known === 'string' ? [known] : known;
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
