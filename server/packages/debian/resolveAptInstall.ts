// Which packages `apt-get install` would add: the requested ones and their Pre-Depends,
// Depends (and Recommends unless disabled), minus what is installed. Like apt, an OR-group is
// satisfied by an installed (in a version that fits) or already chosen alternative, otherwise
// its first installable one; virtual packages go to their (first) provider. apt's candidate
// (the newest version in the index) is taken; an installed package is upgraded when it is
// requested and older than the candidate, or when a dependency needs a newer version.
import type { DebianIndex, DebianPackage, InstalledSet } from './debianIndex';
import { compareDebianVersions } from './debianVersion';
import type { Relation } from './relations';

function satisfies(version: string, relation: Relation): boolean {
  if (!relation.op || !relation.version) return true;
  const c = compareDebianVersions(version, relation.version);
  switch (relation.op) {
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '>>':
    case '>':
      return c > 0;
    case '<<':
    case '<':
      return c < 0;
    default:
      return c === 0;
  }
}

export interface AptResolution {
  packages: DebianPackage[];
  /** Requested names the index does not know. */
  missing: string[];
  /** Requested names already installed. */
  alreadyInstalled: string[];
}

/** `name`, `name=version`, `name/release`, `name:arch`; a trailing `-` (remove) returns undefined. */
function requestedName(word: string): string | undefined {
  if (/-$/.test(word) && !/^-/.test(word)) return undefined;
  return word.replace(/[=/].*$/, '').replace(/:.*$/, '').replace(/\+$/, '').toLowerCase();
}

export function resolveAptInstall(index: DebianIndex, installed: InstalledSet, requested: readonly string[], options: { recommends: boolean }): AptResolution {
  const chosen = new Map<string, DebianPackage>();
  const provided = new Set<string>();
  const missing: string[] = [];
  const alreadyInstalled: string[] = [];
  /** Does what is installed or chosen satisfy the relation (versions checked for installed packages)? */
  const isSatisfied = (r: Relation): boolean => {
    if (chosen.has(r.name) || provided.has(r.name) || installed.provided.has(r.name)) return true;
    if (!installed.names.has(r.name)) return false;
    const version = installed.versions?.get(r.name);
    return version === undefined || satisfies(version, r);
  };
  const isOutdated = (name: string): boolean => {
    const version = installed.versions?.get(name);
    const candidate = index.candidate(name);
    return version !== undefined && candidate !== undefined && compareDebianVersions(candidate.version, version) > 0;
  };

  const queue: { name: string; requested: boolean; upgrade?: boolean }[] = [];
  for (const word of requested) {
    const name = requestedName(word);
    if (name) queue.push({ name, requested: true });
  }
  while (queue.length > 0) {
    const { name, requested: isRequested, upgrade } = queue.shift() as { name: string; requested: boolean; upgrade?: boolean };
    if (chosen.has(name) || provided.has(name)) continue;
    if (installed.names.has(name) || installed.provided.has(name)) {
      if (!(upgrade || (isRequested && isOutdated(name)))) {
        if (isRequested) alreadyInstalled.push(name);
        continue;
      }
    }
    let pkg = index.candidate(name);
    if (!pkg) {
      const provider = index.providersOf(name).find((p) => index.candidate(p));
      pkg = provider ? index.candidate(provider) : undefined;
    }
    if (!pkg) {
      if (isRequested) missing.push(name);
      continue;
    }
    if (chosen.has(pkg.name)) continue;
    chosen.set(pkg.name, pkg);
    for (const v of pkg.provides) provided.add(v);
    const groups = [...pkg.preDepends, ...pkg.depends, ...(options.recommends ? pkg.recommends : [])];
    for (const group of groups) {
      if (group.some(isSatisfied)) continue;
      const outdated = group.find((r) => installed.names.has(r.name) && index.candidate(r.name) && satisfies(index.candidate(r.name)?.version ?? '', r));
      if (outdated) {
        queue.push({ name: outdated.name, requested: false, upgrade: true });
        continue;
      }
      const first = group.find((r) => index.candidate(r.name) || index.providersOf(r.name).length > 0);
      if (first) queue.push({ name: first.name, requested: false });
    }
    if (queue.length === 0) {
      // Installed packages pinned (`=`) to the old version of something upgraded follow it.
      for (const [name, groups] of installed.depends ?? []) {
        if (chosen.has(name)) continue;
        const broken = groups.some((g) => g.every((r) => chosen.has(r.name) && !satisfies(chosen.get(r.name)?.version ?? '', r)));
        if (broken && isOutdated(name)) queue.push({ name, requested: false, upgrade: true });
      }
    }
  }
  return { packages: [...chosen.values()], missing, alreadyInstalled };
}
