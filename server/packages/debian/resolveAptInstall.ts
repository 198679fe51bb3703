// Which packages `apt-get install` would add: the requested ones and their Pre-Depends,
// Depends (and Recommends unless disabled), minus what is installed. Like apt, an OR-group is
// satisfied by an installed or already chosen alternative, otherwise its first installable one;
// virtual packages go to their (first) provider. Version constraints are not solved: apt's
// candidate (the newest version in the index) is taken.
import type { DebianIndex, DebianPackage, InstalledSet } from './debianIndex';

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
  const isPresent = (name: string): boolean => installed.names.has(name) || installed.provided.has(name) || chosen.has(name) || provided.has(name);

  const queue: { name: string; requested: boolean }[] = [];
  for (const word of requested) {
    const name = requestedName(word);
    if (name) queue.push({ name, requested: true });
  }
  while (queue.length > 0) {
    const { name, requested: isRequested } = queue.shift() as { name: string; requested: boolean };
    if (isPresent(name)) {
      if (isRequested && (installed.names.has(name) || installed.provided.has(name))) alreadyInstalled.push(name);
      continue;
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
    if (isPresent(pkg.name)) continue;
    chosen.set(pkg.name, pkg);
    for (const v of pkg.provides) provided.add(v);
    const groups = [...pkg.preDepends, ...pkg.depends, ...(options.recommends ? pkg.recommends : [])];
    for (const group of groups) {
      if (group.some((r) => isPresent(r.name))) continue;
      const first = group.find((r) => index.candidate(r.name) || index.providersOf(r.name).length > 0);
      if (first) queue.push({ name: first.name, requested: false });
    }
  }
  return { packages: [...chosen.values()], missing, alreadyInstalled };
}
