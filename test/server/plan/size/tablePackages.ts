// A package size reader over a table the test may change; `version()` says when it did.
import type { Lookup, PackageInstallEstimate, PackageSizeReader } from '../../../../server/plan/size/sizeReaders';

export class TablePackages implements PackageSizeReader {
  changes = 0;
  constructor(readonly sizes: Map<string, number>) {}
  estimateInstall(request: { packages: string[] }): Lookup<PackageInstallEstimate> {
    const names = request.packages.filter((p) => !p.startsWith('-'));
    const packages = names.map((name) => ({ name, version: '1', installedBytes: this.sizes.get(name) ?? 0 }));
    const missing = names.filter((n) => !this.sizes.has(n));
    return { state: 'known', value: { installedBytes: packages.reduce((s, p) => s + p.installedBytes, 0), bookkeepingBytes: 1000, cacheBytes: 0, packages, missing, confidence: 'high', notes: [] } };
  }
  indexFootprint(): Lookup<{ bytes: number; files: { path: string; bytes: number }[] }> {
    return { state: 'known', value: { bytes: 4096, files: [{ path: '/var/lib/apt/lists/index', bytes: 4096 }] } };
  }
  version(): number {
    return this.changes;
  }
}
