// Alpine package metadata: APKINDEX files and /lib/apk/db/installed share one format, paragraphs
// of `K:value` lines (P name, V version, I installed size, S package size, D dependencies,
// p provides). Dependencies name packages or virtual names (`so:libc.musl-x86_64.so.1`, `cmd:sh`).

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

/** Parses APKINDEX / installed-database text. */
export function parseApkIndex(text: string): ApkPackage[] {
  const out: ApkPackage[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const f = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z]):(.*)$/.exec(line);
      if (m && !f.has(m[1])) f.set(m[1], m[2]);
    }
    const name = f.get('P');
    if (!name) continue;
    out.push({ name, version: f.get('V') ?? '', installedBytes: Number(f.get('I') ?? 0), apkBytes: Number(f.get('S') ?? 0), depends: names(f.get('D')), provides: names(f.get('p')) });
  }
  return out;
}

export class ApkIndex {
  private readonly packages = new Map<string, ApkPackage>();
  private readonly providers = new Map<string, string[]>();

  add(packages: readonly ApkPackage[]): void {
    for (const p of packages) {
      if (!this.packages.has(p.name)) this.packages.set(p.name, p);
      for (const v of p.provides) this.providers.set(v, [...(this.providers.get(v) ?? []), p.name]);
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
