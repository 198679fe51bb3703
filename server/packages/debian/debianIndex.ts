// A Debian package index (one or more `Packages` files merged, newest version wins, as apt's
// candidate selection does by default) and the installed set from `/var/lib/dpkg/status`.
import { closeSync, mkdtempSync, openSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { compareDebianVersions } from './debianVersion';
import { PackageRecords } from './packageRecords';
import { forEachProvidedName } from './providedNames';
import { ControlFieldReader, type ControlFields, fieldText, forEachParagraph, SlicedFeeder } from './parseControl';
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
/** Positions in FIELDS. */
const PACKAGE = 0;
const VERSION = 1;
const ARCHITECTURE = 2;
const INSTALLED_SIZE = 3;
const SIZE = 4;
const DEPENDS = 5;
const PRE_DEPENDS = 6;
const RECOMMENDS = 7;
const PROVIDES = 8;
const PRIORITY = 9;
const ESSENTIAL = 10;

/** A package's record: these fields of FIELDS (the name is kept apart, in lower case). */
const DATA_FIELDS = [VERSION, INSTALLED_SIZE, SIZE, DEPENDS, PRE_DEPENDS, RECOMMENDS, PROVIDES, PRIORITY];
/** Place in a record by place in FIELDS (-1: not in it). */
const DATA_FIELD = FIELDS.map((_, i) => DATA_FIELDS.indexOf(i));

const ESSENTIAL_FLAG = 1;
const REQUIRED_FLAG = 2;

const NO_PROVIDES: string[] = [];
const ALL = Buffer.from('all');
const YES = Buffer.from('yes');
const REQUIRED = Buffer.from('required');

function bytesEqual(bytes: Buffer, start: number, end: number, expected: Buffer): boolean {
  return end - start === expected.length && bytes.compare(expected, 0, expected.length, start, end) === 0;
}

/**
 * A package as the size model reads it, made from its record when looked up: the relation
 * fields are kept as their text and parsed on first use (an install reads a few hundred of the
 * index's 60,000 packages).
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

  constructor(index: DebianIndex, id: number, architecture: string, essential: boolean) {
    this.name = index.fieldOf(id, PACKAGE) as string;
    this.version = index.fieldOf(id, VERSION) ?? '';
    this.architecture = architecture;
    this.installedBytes = (Number(index.fieldOf(id, INSTALLED_SIZE)) || 0) * 1024;
    this.debBytes = Number(index.fieldOf(id, SIZE)) || 0;
    const provides = index.fieldOf(id, PROVIDES);
    this.provides = provides ? parseRelations(provides).map((g) => g[0].name) : NO_PROVIDES;
    const priority = index.fieldOf(id, PRIORITY);
    if (priority !== undefined) this.priority = priority;
    this.essential = essential;
    this.#depends = index.fieldOf(id, DEPENDS);
    this.#preDepends = index.fieldOf(id, PRE_DEPENDS);
    this.#recommends = index.fieldOf(id, RECOMMENDS);
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

/** Closes the file an index keeps its records in once the index is gone. */
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already: nothing to give back.
  }
});

export class DebianIndex {
  /** Package names in lower case, by id (in the order names were first added), found by name. */
  private readonly names = new PackageRecords(1);
  /** Each package's newest version as a record of bytes, by the name's id. */
  private readonly data = new PackageRecords(DATA_FIELDS.length, false);
  /** Per id: its architecture's place in `architectures` (0: `all`). */
  private architectureOf: Uint8Array = new Uint8Array(1024);
  /** Per id: ESSENTIAL_FLAG, REQUIRED_FLAG. */
  private flags: Uint8Array = new Uint8Array(1024);
  private readonly architectures: string[] = ['all'];
  /** Virtual names (records of one field), each with its first provider's id. */
  private readonly virtuals = new PackageRecords(1);
  private firstProvider = new Int32Array(1024);
  /** The providers of virtual names with more than one, by the virtual's id. */
  private readonly moreProviders = new Map<number, number[]>();
  /** Packages looked up, made from their records once (dropped when a newer version arrives). */
  private readonly looked = new Map<number, IndexedPackage>();
  private readonly recordStarts = new Int32Array(FIELDS.length);
  private readonly recordEnds = new Int32Array(FIELDS.length);
  private readonly dataStarts = new Int32Array(DATA_FIELDS.length);
  private readonly dataEnds = new Int32Array(DATA_FIELDS.length);
  private readonly nameStart = new Int32Array(1);
  private readonly nameEnd = new Int32Array(1);
  /** The file the records were moved into. */
  private file: number | undefined;
  /** Uncompressed bytes of the index files added. */
  indexBytes = 0;

  /** With `recordsOnDisk`, records go to a temporary file as they are read (see keepRecordsOnDisk). */
  constructor(options: { recordsOnDisk?: boolean } = {}) {
    if (options.recordsOnDisk && this.openFile() !== undefined) this.data.useFile(this.file as number);
  }

  /** Adds a `Packages` file for `architecture` (other architectures are ignored, `all` kept). */
  add(text: string | Buffer, architecture: string): void {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.indexBytes += bytes.length;
    const reader = this.reader(architecture);
    reader.push(bytes);
    reader.end();
  }

  /** `add` in slices of about `sliceMs`, giving the event loop a turn between them (indexes of 50 MB). */
  async addInSlices(text: string | Buffer, architecture: string, sliceMs?: number): Promise<void> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.indexBytes += bytes.length;
    const feeder = new SlicedFeeder(this.reader(architecture), sliceMs);
    await feeder.push(bytes);
    feeder.end();
  }

  /** Reads a `Packages` file as its chunks arrive, in slices of about `sliceMs`; `end()` after the last. */
  feeder(architecture: string, sliceMs?: number): { push(chunk: Buffer): Promise<void>; end(): void } {
    const feeder = new SlicedFeeder(this.reader(architecture), sliceMs);
    return {
      push: (chunk) => {
        this.indexBytes += chunk.length;
        return feeder.push(chunk);
      },
      end: () => feeder.end(),
    };
  }

  private reader(architecture: string): ControlFieldReader {
    let code = this.architectures.indexOf(architecture);
    if (code < 0) code = this.architectures.push(architecture) - 1;
    const wanted = Buffer.from(architecture, 'utf8');
    return new ControlFieldReader(FIELDS, (f) => this.addParagraph(f, wanted, code));
  }

  private addParagraph(f: ControlFields, architecture: Buffer, code: number): void {
    const { starts, ends } = f;
    if (starts[PACKAGE] < 0 || starts[PACKAGE] === ends[PACKAGE]) return;
    const all = starts[ARCHITECTURE] < 0 || bytesEqual(f.bytes, starts[ARCHITECTURE], ends[ARCHITECTURE], ALL);
    if (!all && !bytesEqual(f.bytes, starts[ARCHITECTURE], ends[ARCHITECTURE], architecture)) return;
    // The name in lower case (in place when ASCII), the other fields as read.
    const recordStarts = this.recordStarts;
    const recordEnds = this.recordEnds;
    recordStarts[PACKAGE] = starts[PACKAGE];
    recordEnds[PACKAGE] = ends[PACKAGE];
    const nameBytes = this.lowerCaseName(f, recordStarts, recordEnds);
    const existing = this.names.findBytes(nameBytes, recordStarts[PACKAGE], recordEnds[PACKAGE]);
    if (existing >= 0 && compareDebianVersions(this.data.text(existing, DATA_FIELD[VERSION]) ?? '', fieldText(f, VERSION) ?? '') >= 0) return;
    for (let k = 0; k < DATA_FIELDS.length; k++) {
      this.dataStarts[k] = starts[DATA_FIELDS[k]];
      this.dataEnds[k] = ends[DATA_FIELDS[k]];
    }
    const id = this.data.write(existing, f.bytes, this.dataStarts, this.dataEnds);
    if (existing < 0 && this.names.write(-1, nameBytes, recordStarts, recordEnds) !== id) throw new Error('package ids out of step');
    this.looked.delete(id);
    if (id >= this.flags.length) {
      this.flags = grown(this.flags);
      this.architectureOf = grown(this.architectureOf);
    }
    this.architectureOf[id] = all ? 0 : code;
    const essential = starts[ESSENTIAL] >= 0 && bytesEqual(f.bytes, starts[ESSENTIAL], ends[ESSENTIAL], YES);
    const required = starts[PRIORITY] >= 0 && bytesEqual(f.bytes, starts[PRIORITY], ends[PRIORITY], REQUIRED);
    this.flags[id] = (essential ? ESSENTIAL_FLAG : 0) | (required ? REQUIRED_FLAG : 0);
    if (starts[PROVIDES] >= 0) forEachProvidedName(f.bytes, starts[PROVIDES], ends[PROVIDES], (name, from, to) => this.addProvider(name, from, to, id));
  }

  /**
   * Lowers the name's bytes in place when they are ASCII (the reader's buffer is the paragraph's
   * own copy); otherwise returns a copy of the paragraph's bytes with the lowered name after them,
   * `starts`/`ends` pointing at it.
   */
  private lowerCaseName(f: ControlFields, starts: Int32Array, ends: Int32Array): Buffer {
    const bytes = f.bytes;
    for (let i = starts[PACKAGE]; i < ends[PACKAGE]; i++) {
      const b = bytes[i];
      if (b >= 0x80) {
        const lowered = Buffer.from((fieldText(f, PACKAGE) as string).toLowerCase(), 'utf8');
        starts[PACKAGE] = bytes.length;
        ends[PACKAGE] = bytes.length + lowered.length;
        return Buffer.concat([bytes, lowered]);
      }
      if (b >= 0x41 && b <= 0x5a) bytes[i] = b | 0x20;
    }
    return bytes;
  }

  private addProvider(name: Buffer, from: number, to: number, id: number): void {
    let virtual = this.virtuals.findBytes(name, from, to);
    if (virtual < 0) {
      this.nameStart[0] = from;
      this.nameEnd[0] = to;
      virtual = this.virtuals.write(-1, name, this.nameStart, this.nameEnd);
      if (virtual === this.firstProvider.length) {
        const grown = new Int32Array(this.firstProvider.length * 2);
        grown.set(this.firstProvider);
        this.firstProvider = grown;
      }
      this.firstProvider[virtual] = id;
      return;
    }
    const more = this.moreProviders.get(virtual);
    if (more) {
      if (!more.includes(id)) more.push(id);
    } else if (this.firstProvider[virtual] !== id) this.moreProviders.set(virtual, [this.firstProvider[virtual], id]);
  }

  get size(): number {
    return this.names.count;
  }

  /** Field `field` (a place in FIELDS) of package `id`. */
  fieldOf(id: number, field: number): string | undefined {
    return field === PACKAGE ? this.names.text(id, 0) : this.data.text(id, DATA_FIELD[field]);
  }

  /**
   * Keeps the packages' records in a temporary file, removed at once (the open file stays
   * readable): a looked-up package is read back from it, and bookworm's 12 MiB of records leave
   * the server's memory (the names, flags and providers stay). In memory if no file can be made.
   */
  keepRecordsOnDisk(): boolean {
    this.names.trim();
    this.virtuals.trim();
    const fd = this.file ?? this.openFile();
    if (fd === undefined) return false;
    this.data.useFile(fd);
    this.data.flushToFile();
    return true;
  }

  private openFile(): number | undefined {
    let fd: number | undefined;
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'layerlens-packages-'));
      try {
        fd = openSync(path.join(dir, 'records'), 'w+');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch {
      if (fd !== undefined) closeSync(fd);
      return undefined;
    }
    this.file = fd;
    openFiles.register(this, fd);
    return fd;
  }


  private packageOf(id: number): IndexedPackage {
    let pkg = this.looked.get(id);
    if (!pkg) this.looked.set(id, (pkg = new IndexedPackage(this, id, this.architectures[this.architectureOf[id]], (this.flags[id] & ESSENTIAL_FLAG) !== 0)));
    return pkg;
  }

  candidate(name: string): DebianPackage | undefined {
    const id = this.names.find(name);
    return id < 0 ? undefined : this.packageOf(id);
  }

  private has(name: string): boolean {
    return this.names.find(name) >= 0;
  }

  providersOf(virtual: string): string[] {
    const id = this.virtuals.find(virtual);
    if (id < 0) return [];
    const more = this.moreProviders.get(id);
    return more ? more.map((provider) => this.packageOf(provider).name) : [this.packageOf(this.firstProvider[id]).name];
  }

  /** What a minimal Debian/Ubuntu base has: Essential and Priority required, with their dependencies. */
  minimalBaseSet(): Set<string> {
    const seeds: string[] = [];
    for (let id = 0; id < this.names.count; id++) if (this.flags[id] !== 0) seeds.push(this.packageOf(id).name);
    const set = new Set<string>();
    const queue = [...seeds, 'apt'];
    while (queue.length > 0) {
      const name = queue.pop() as string;
      if (set.has(name)) continue;
      const pkg = this.candidate(name);
      if (!pkg) continue;
      set.add(name);
      for (const group of [...pkg.preDepends, ...pkg.depends]) {
        if (group.some((r) => set.has(r.name))) continue;
        const first = group.find((r) => this.has(r.name)) ?? group.find((r) => this.providersOf(r.name).length > 0);
        if (first) queue.push(this.has(first.name) ? first.name : this.providersOf(first.name)[0]);
      }
    }
    return set;
  }
}

function grown(array: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(array.length * 2);
  bigger.set(array);
  return bigger;
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
