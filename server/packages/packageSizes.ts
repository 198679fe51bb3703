// The package-size reader size prediction uses: apt (Debian/Ubuntu) and apk (Alpine) from their
// indexes; the other managers say why they are unknown.
import type { IndexFootprint, Lookup, PackageInstallEstimate, PackageInstallRequest, PackageSizeReader } from '../plan/size/sizeReaders';

/** A manager-specific model (apt, apk). */
export interface ManagerSizes {
  estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate>;
  indexFootprint(baseImage: string | undefined, platform: string): Lookup<IndexFootprint>;
  settled?(): Promise<void>;
  /** Changes whenever an answer may have changed (a manager without it is taken as unchanging). */
  version?(): number;
}

const WHY_UNKNOWN: Record<string, string> = {
  pip: 'pip: PyPI publishes download sizes only, and builds may compile; the size is known after a build',
  gem: 'gem: native extensions are compiled at install time; the size is known after a build',
  go: 'go install compiles; the size is known after a build',
  cargo: 'cargo install compiles; the size is known after a build',
  dnf: 'dnf/yum: RPM repository metadata is not modelled yet',
};

export class PackageSizes implements PackageSizeReader {
  constructor(private readonly managers: { apt?: ManagerSizes; apk?: ManagerSizes; npm?: ManagerSizes }) {}

  estimateInstall(request: PackageInstallRequest): Lookup<PackageInstallEstimate> {
    const manager = request.manager === 'apt' || request.manager === 'apk' || request.manager === 'npm' ? this.managers[request.manager] : undefined;
    if (manager) return manager.estimateInstall(request);
    if (request.manager === 'apt' || request.manager === 'apk' || request.manager === 'npm') return { state: 'unknown', reason: `no ${request.manager} index is available` };
    return { state: 'unknown', reason: WHY_UNKNOWN[request.manager] ?? `${request.manager} is not modelled` };
  }

  indexFootprint(manager: 'apt' | 'apk', baseImage: string | undefined, platform: string): Lookup<IndexFootprint> {
    const sizes = this.managers[manager];
    return sizes ? sizes.indexFootprint(baseImage, platform) : { state: 'unknown', reason: `no ${manager} index is available` };
  }

  version(): number {
    let sum = 0;
    for (const m of Object.values(this.managers)) sum += m?.version?.() ?? 0;
    return sum;
  }

  async settled(): Promise<void> {
    for (const m of Object.values(this.managers)) await m?.settled?.();
  }
}
