// Which paths a COPY/ADD writes, and where: BuildKit's copy semantics over a file tree.
// - a directory source copies its contents into the destination directory;
// - a file source lands at `dest/<name>` when the destination is a directory, else at `dest`;
// - wildcards use Go's path.Match per walk level, a matched directory is not searched further,
//   and an empty match is allowed; symlinks in the source path are followed;
// - `--exclude` uses the .dockerignore pattern rules on paths relative to the copied source;
// - `--parents` copies from the root (or the `/./` pivot) with the source as an include pattern,
//   so matched paths keep their directories.
import { compareNames, type FileNode, resolveNode, sortedChildren } from './fileTree';
import { BadPatternError, containsWildcards, goPathMatch } from './goMatch';
import { baseGoPath, cleanGoPath } from './goPath';
import { type ParentMatchInfo, PatternMatcher, PatternSyntaxError } from './patternMatcher';

export interface CopySourceOptions {
  /** Sources as written after expansion, relative to the source root. */
  sources: readonly string[];
  destination: string;
  /** The step's WORKDIR, for a relative destination. */
  workdir: string;
  excludes?: readonly string[];
  parents?: boolean;
  /** Whether an absolute image path is already a directory before the step (unknown: false). */
  isDirectory?: (path: string) => boolean;
}

/** One path the step writes. */
export interface CopiedPath {
  /** Absolute, clean path inside the image. */
  path: string;
  node: FileNode;
  /** Where it came from, relative to the source root. */
  source: string;
}

export interface CopySelection {
  entries: CopiedPath[];
  /** Sources without wildcards that do not exist (BuildKit fails the build). */
  missing: string[];
  /** A malformed pattern or an impossible copy; the build would fail. */
  error?: string;
}

function absoluteDestination(destination: string, workdir: string): string {
  return destination.startsWith('/') ? cleanGoPath(destination) : cleanGoPath(`${workdir || '/'}/${destination}`);
}

function joinDest(dest: string, rel: string): string {
  return rel === '.' || rel === '' ? dest : cleanGoPath(`${dest}/${rel}`);
}

function splitWildcards(path: string): [string, string] {
  const parts = path === '.' ? [] : path.split('/');
  const at = parts.findIndex(containsWildcards);
  if (at < 0) return [path, ''];
  return [parts.slice(0, at).join('/') || '.', parts.slice(at).join('/')];
}

/** Walks below `base` to the depth of `pattern`, collecting matches; a matched directory is not entered. */
function resolveWildcards(base: FileNode, pattern: string): { rel: string; node: FileNode }[] {
  const depth = pattern.split('/').length;
  const out: { rel: string; node: FileNode }[] = [];
  const walk = (node: FileNode, prefix: string, level: number): void => {
    for (const [name, child] of sortedChildren(node)) {
      const rel = prefix ? `${prefix}/${name}` : name;
      if (goPathMatch(pattern, rel)) {
        out.push({ rel, node: child });
        continue;
      }
      if (child.kind === 'dir' && level + 1 < depth) walk(child, rel, level + 1);
    }
  };
  walk(base, '', 0);
  return out;
}

class Selector {
  readonly entries: CopiedPath[] = [];

  constructor(private readonly excludes: PatternMatcher | undefined) {}

  /** Is an entry excluded? Directories stay when an exception could re-include something below. */
  private excluded(rel: string, node: FileNode, parent: ParentMatchInfo | undefined): { excluded: boolean; info: ParentMatchInfo | undefined } {
    if (!this.excludes) return { excluded: false, info: undefined };
    const { matched, info } = this.excludes.matchesUsingParent(rel, parent);
    if (!matched) return { excluded: false, info };
    if (node.kind === 'dir' && this.excludes.hasExclusions) {
      const dirSlash = rel + '/';
      if (this.excludes.patterns.some((p) => p.exclusion && (p.text + '/').startsWith(dirSlash))) return { excluded: false, info };
    }
    return { excluded: true, info };
  }

  /** Copies a directory's contents below `dest`; `sourcePath` is the directory's path in the tree. */
  copyContents(dir: FileNode, dest: string, sourcePath: string, rel = '', parent: ParentMatchInfo | undefined = undefined): void {
    for (const [name, child] of sortedChildren(dir)) {
      const childRel = rel ? `${rel}/${name}` : name;
      const { excluded, info } = this.excluded(childRel, child, parent);
      if (excluded) continue;
      const source = sourcePath === '.' ? childRel : `${sourcePath}/${childRel}`;
      this.entries.push({ path: joinDest(dest, childRel), node: child, source });
      if (child.kind === 'dir') this.copyContents(child, dest, sourcePath, childRel, info);
    }
  }

  add(path: string, node: FileNode, source: string): void {
    this.entries.push({ path, node, source });
  }

  /** `--parents`: everything below `base` that the include pattern selects, with its directories. */
  copyIncluded(base: FileNode, basePath: string, include: PatternMatcher, dest: string): void {
    // Directories on the way down are written only once something below them is selected.
    const stack: { entry: CopiedPath; written: boolean }[] = [];
    const walk = (dir: FileNode, rel: string, incInfo: ParentMatchInfo | undefined, excInfo: ParentMatchInfo | undefined): void => {
      for (const [name, child] of sortedChildren(dir)) {
        const childRel = rel ? `${rel}/${name}` : name;
        const { excluded, info: childExc } = this.excluded(childRel, child, excInfo);
        if (excluded) continue;
        const { matched, info: childInc } = include.matchesUsingParent(childRel, incInfo);
        const entry = { path: joinDest(dest, childRel), node: child, source: basePath === '.' ? childRel : `${basePath}/${childRel}` };
        if (matched) {
          for (const open of stack) if (!open.written) {
            this.entries.push(open.entry);
            open.written = true;
          }
          this.entries.push(entry);
        }
        if (child.kind === 'dir') {
          stack.push({ entry, written: matched });
          walk(child, childRel, childInc, childExc);
          stack.pop();
        }
      }
    };
    walk(base, '', undefined, undefined);
  }
}

/** Computes the paths a COPY/ADD from `root` writes. Pure; never throws. */
export function selectCopySources(root: FileNode, options: CopySourceOptions): CopySelection {
  const missing: string[] = [];
  let excludes: PatternMatcher | undefined;
  try {
    excludes = options.excludes && options.excludes.length > 0 ? PatternMatcher.create(options.excludes) : undefined;
  } catch (error) {
    if (error instanceof PatternSyntaxError) return { entries: [], missing, error: `--exclude: ${error.message}` };
    throw error;
  }
  const selector = new Selector(excludes);
  const dest = absoluteDestination(options.destination, options.workdir);
  const anyWildcard = options.sources.some((s) => containsWildcards(s));
  const destIsDir =
    /\/\.?$/.test(options.destination) || options.destination === '.' || options.sources.length > 1 || anyWildcard || (options.isDirectory?.(dest) ?? false);
  try {
    for (const raw of options.sources) {
      if (options.parents) {
        const pivot = raw.indexOf('/./');
        const basePart = pivot >= 0 ? raw.slice(0, pivot) : '.';
        const pattern = cleanGoPath('/' + (pivot >= 0 ? raw.slice(pivot + 3) : raw)).slice(1);
        const base = resolveNode(root, cleanGoPath('/' + basePart).slice(1) || '.');
        if (!base || base.node.kind !== 'dir') continue;
        const include = PatternMatcher.create([pattern === '' ? '.' : pattern]);
        if (pattern === '' || pattern === '.') selector.copyContents(base.node, dest, base.path);
        else selector.copyIncluded(base.node, base.path, include, dest);
        continue;
      }
      const src = cleanGoPath('/' + raw).slice(1) || '.';
      const [fixed, wild] = splitWildcards(src);
      let matches: { path: string; name: string; node: FileNode }[];
      if (wild) {
        const base = resolveNode(root, fixed);
        if (!base || base.node.kind !== 'dir') continue;
        matches = resolveWildcards(base.node, wild)
          .filter((m) => !excludes?.matches(m.rel))
          .map((m) => ({ path: base.path === '.' ? m.rel : `${base.path}/${m.rel}`, name: baseGoPath(m.rel), node: m.node }));
      } else {
        matches = [{ path: src, name: baseGoPath(src), node: root }];
      }
      for (const match of matches) {
        const resolved = resolveNode(root, match.path);
        if (!resolved) {
          if (!wild) missing.push(raw);
          continue;
        }
        if (resolved.node.kind === 'dir') {
          selector.add(dest, resolved.node, resolved.path);
          selector.copyContents(resolved.node, dest, resolved.path);
        } else {
          selector.add(destIsDir ? joinDest(dest, match.name) : dest, resolved.node, resolved.path);
        }
      }
    }
  } catch (error) {
    if (error instanceof BadPatternError || error instanceof PatternSyntaxError) return { entries: selector.entries, missing, error: error.message };
    throw error;
  }
  // A later source overwrites what an earlier one wrote at the same path.
  const byPath = new Map(selector.entries.map((e) => [e.path, e]));
  return { entries: [...byPath.values()].sort((a, b) => compareNames(a.path, b.path)), missing };
}
