// Alpine package metadata: APKINDEX files and /lib/apk/db/installed share one format, paragraphs
// of `K:value` lines (P name, V version, I installed size, S package size, D dependencies,
// p provides). Dependencies name packages or virtual names (`so:libc.musl-x86_64.so.1`, `cmd:sh`).

import { nextTurn, SLICE_MS } from '../debian/parseControl';

export interface ApkPackage {
  name: string;
  version: string;
  installedBytes: number;
  apkBytes: number;
  depends: string[];
  provides: string[];
}

function names(field: string | undefined): string[] {
  return (field ?? '')
    .split(/\s+/)
    .filter((d) => d && !d.startsWith('!'))
    .map((d) => d.replace(/[<>=~].*$/, ''));
}

/** The package a paragraph describes (undefined without a name). */
function packageOf(block: string): ApkPackage | undefined {
  const f = new Map<string, string>();
  for (const line of block.split('\n')) {
    const m = /^([A-Za-z]):(.*)$/.exec(line);
    if (m && !f.has(m[1])) f.set(m[1], m[2]);
  }
  const name = f.get('P');
  if (!name) return undefined;
  return { name, version: f.get('V') ?? '', installedBytes: Number(f.get('I') ?? 0), apkBytes: Number(f.get('S') ?? 0), depends: names(f.get('D')), provides: names(f.get('p')) };
}

const PARAGRAPH_BREAK = /\n\s*\n/;

/** Parses APKINDEX / installed-database text. */
export function parseApkIndex(text: string): ApkPackage[] {
  const out: ApkPackage[] = [];
  for (const block of text.split(PARAGRAPH_BREAK)) {
    const pkg = packageOf(block);
    if (pkg) out.push(pkg);
  }
  return out;
}

/** `parseApkIndex` in slices of about `sliceMs`, giving the event loop a turn between them. */
export async function parseApkIndexInSlices(text: string, sliceMs = SLICE_MS): Promise<ApkPackage[]> {
  const out: ApkPackage[] = [];
  const blocks = text.split(PARAGRAPH_BREAK);
  let sliceStart = performance.now();
  for (let i = 0; i < blocks.length; i++) {
    const pkg = packageOf(blocks[i]);
    if (pkg) out.push(pkg);
    if (i % 64 === 63 && performance.now() - sliceStart > sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return out;
}

export class ApkIndex {
  private readonly packages = new Map<string, ApkPackage>();
  private readonly providers = new Map<string, string[]>();

  add(packages: readonly ApkPackage[]): void {
    for (const p of packages) {
      if (!this.packages.has(p.name)) this.packages.set(p.name, p);
      for (const v of p.provides) {
        const list = this.providers.get(v);
        if (list) list.push(p.name);
        else this.providers.set(v, [p.name]);
      }
    }
  }

  get size(): number {
    return this.packages.size;
  }

  resolve(name: string): ApkPackage | undefined {
    return this.packages.get(name) ?? this.packages.get(this.providers.get(name)?.[0] ?? '');
  }
}

export interface ApkResolution {
  packages: ApkPackage[];
  missing: string[];
}

/** `apk add` closure: requested names and their dependencies, minus what is installed (or provided). */
export function resolveApkAdd(index: ApkIndex, installed: readonly ApkPackage[], requested: readonly string[]): ApkResolution {
  const have = new Set<string>();
  for (const p of installed) {
    have.add(p.name);
    for (const v of p.provides) have.add(v);
  }
  const chosen = new Map<string, ApkPackage>();
  const missing: string[] = [];
  const queue = requested.filter((r) => !r.startsWith('-') && !r.startsWith('!')).map((r) => ({ name: r.replace(/[<>=~@].*$/, ''), requested: true }));
  while (queue.length > 0) {
    const { name, requested: isRequested } = queue.shift() as { name: string; requested: boolean };
    if (have.has(name)) continue;
    const pkg = index.resolve(name);
    if (!pkg) {
      if (isRequested) missing.push(name);
      continue;
    }
    if (chosen.has(pkg.name) || have.has(pkg.name)) continue;
    chosen.set(pkg.name, pkg);
    have.add(pkg.name);
    for (const v of pkg.provides) have.add(v);
    for (const d of pkg.depends) queue.push({ name: d, requested: false });
  }
  return { packages: [...chosen.values()], missing };
}
