// What the lint rules need from the build context on disk, read in the background and cached:
// the `.dockerignore` patterns (BuildKit's `<Dockerfile>.dockerignore` first) and files that
// look like secrets (not excluded by .dockerignore). The context is the Dockerfile's directory.
import * as fs from 'fs';
import * as path from 'path';
import { dockerignoreCandidates } from '../../context/selectDockerignore';
import { DockerignoreMatcher, readDockerignore } from '../dockerignore';
import { looksLikeSecretFile } from '../layers/secretInLayer';

export interface ContextFacts {
  dockerignore?: string[];
  contextSecrets?: string[];
}

interface Entry {
  facts: ContextFacts;
  loadedAt: number;
  loading?: Promise<void>;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', '.venv', 'venv', '__pycache__', '.cache', '.next', 'target', '.gradle', '.idea', '.vscode-test']);
const MAX_ENTRIES = 20000;
const MAX_DEPTH = 8;
const STALE_MS = 10000;

async function readIgnore(dockerfile: string): Promise<string[] | undefined> {
  for (const candidate of dockerignoreCandidates(path.dirname(dockerfile), dockerfile)) {
    try {
      return readDockerignore(await fs.promises.readFile(candidate, 'utf8'));
    } catch {
      // try the next one
    }
  }
  return undefined;
}

async function scanSecrets(root: string, ignore: string[] | undefined): Promise<string[]> {
  const matcher = new DockerignoreMatcher(ignore ?? []);
  const found: string[] = [];
  let entries = 0;
  const queue: { dir: string; rel: string; depth: number }[] = [{ dir: root, rel: '', depth: 0 }];
  while (queue.length > 0 && entries < MAX_ENTRIES) {
    const { dir, rel, depth } = queue.shift() as { dir: string; rel: string; depth: number };
    let list: fs.Dirent[];
    try {
      list = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of list) {
      if (++entries > MAX_ENTRIES) break;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && depth + 1 < MAX_DEPTH && !matcher.excludes(relPath)) queue.push({ dir: path.join(dir, e.name), rel: relPath, depth: depth + 1 });
      } else if (looksLikeSecretFile(relPath) && !matcher.excludes(relPath)) {
        found.push(relPath);
      }
    }
  }
  return found.sort();
}

export class BuildContextInfo {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(dockerfile: string) => void>();

  /** What is known now for a Dockerfile path (starts a background refresh when missing or stale). */
  factsFor(dockerfile: string): ContextFacts {
    const entry = this.entries.get(dockerfile);
    if (!entry || (!entry.loading && Date.now() - entry.loadedAt > STALE_MS)) this.refresh(dockerfile);
    return entry?.facts ?? {};
  }

  onChange(listener: (dockerfile: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the load in progress for `dockerfile` has finished (tests). */
  async loaded(dockerfile: string): Promise<void> {
    this.factsFor(dockerfile);
    await this.entries.get(dockerfile)?.loading;
  }

  private refresh(dockerfile: string): void {
    const previous = this.entries.get(dockerfile);
    const entry: Entry = previous ?? { facts: {}, loadedAt: 0 };
    this.entries.set(dockerfile, entry);
    entry.loading = (async () => {
      const dockerignore = await readIgnore(dockerfile);
      const contextSecrets = await scanSecrets(path.dirname(dockerfile), dockerignore);
      const facts: ContextFacts = { dockerignore, contextSecrets };
      const changed = JSON.stringify(facts) !== JSON.stringify(entry.facts);
      entry.facts = facts;
      entry.loadedAt = Date.now();
      if (changed) for (const l of this.listeners) l(dockerfile);
    })()
      .catch(() => { entry.loadedAt = Date.now(); })
      .finally(() => { entry.loading = undefined; });
  }
}

let shared: BuildContextInfo | undefined;

export function sharedBuildContextInfo(): BuildContextInfo {
  return (shared ??= new BuildContextInfo());
}
