// Workspace symbols: the build stages of every open Dockerfile and of the Dockerfiles found in the
// client's workspace folders. The folders are scanned lazily (on the first request), within limits
// (depth, entries, files, bytes, time), and the result is cached; files are re-read when they change.
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { SymbolKind, type CancellationToken, type Connection, type SymbolInformation } from 'vscode-languageserver';
import { parseDockerfile, type DockerfileSyntax } from '../parser';
import { runSafely } from '../requestRunner';
import type { Feature, FeatureContext } from './feature';

export interface ScanLimits {
  maxDepth: number;
  /** Directory entries looked at per folder. */
  maxEntries: number;
  /** Dockerfiles kept per folder. */
  maxFiles: number;
  /** Larger files are skipped. */
  maxFileBytes: number;
  /** Wall-clock budget of one folder scan. */
  timeBudgetMs: number;
  /** How long a folder's file list is reused before a rescan. */
  ttlMs: number;
}

export const defaultScanLimits: ScanLimits = {
  maxDepth: 10, maxEntries: 50_000, maxFiles: 1_000, maxFileBytes: 2_000_000, timeBudgetMs: 2_000, ttlMs: 30_000,
};

/** Directories never searched: dependencies, build output, version control, caches. */
const skippedDirectories = new Set([
  'node_modules', 'bower_components', 'vendor', 'dist', 'out', 'build', 'target', 'venv', '__pycache__',
  '.git', '.hg', '.svn', '.cache', '.venv', '.tox', '.next', '.terraform', '.idea', '.vscode-test',
]);
/** Hidden directories that commonly hold Dockerfiles. */
const searchedHiddenDirectories = new Set(['.devcontainer', '.docker', '.github', '.circleci', '.gitlab']);

/** Whether a file name is a Dockerfile by the extension's own patterns. */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.') || lower.startsWith('containerfile.') ||
    lower.endsWith('.dockerfile') || lower.endsWith('.containerfile');
}

/** Breadth-first search for Dockerfiles under `root`, within `limits`. Never throws. */
export async function findDockerfiles(root: string, limits: ScanLimits = defaultScanLimits, token?: CancellationToken): Promise<string[]> {
  const found: string[] = [];
  const deadline = Date.now() + limits.timeBudgetMs;
  let entries = 0;
  let level = [root];
  for (let depth = 0; depth <= limits.maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const directory of level) {
      if (token?.isCancellationRequested || Date.now() > deadline || entries >= limits.maxEntries) return found.sort();
      let children: import('fs').Dirent[];
      try {
        children = await fs.readdir(directory, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const child of children) {
        if (++entries > limits.maxEntries) break;
        if (child.isDirectory()) {
          const hidden = child.name.startsWith('.');
          if (!skippedDirectories.has(child.name) && (!hidden || searchedHiddenDirectories.has(child.name))) next.push(path.join(directory, child.name));
        } else if (child.isFile() && isDockerfileName(child.name)) {
          found.push(path.join(directory, child.name));
          if (found.length >= limits.maxFiles) return found.sort();
        }
      }
    }
    level = next;
  }
  return found.sort();
}

/** The stages of a parsed Dockerfile as symbols. */
export function stageSymbols(uri: string, syntax: DockerfileSyntax, container: string): SymbolInformation[] {
  const symbols: SymbolInformation[] = [];
  let index = 0;
  for (const instruction of syntax.instructions) {
    if (instruction.name !== 'FROM') continue;
    const image = instruction.image?.value ?? '';
    symbols.push({
      name: instruction.stageName?.value ?? `stage ${index}${image ? ` (${image})` : ''}`,
      kind: SymbolKind.Class,
      location: { uri, range: instruction.stageName?.range ?? instruction.range },
      containerName: container,
    });
    index++;
  }
  return symbols;
}

/** Case-insensitive subsequence match, as editors filter symbols. An empty query matches everything. */
export function matchesQuery(name: string, query: string): boolean {
  if (query === '') return true;
  const haystack = name.toLowerCase();
  let at = 0;
  for (const ch of query.toLowerCase()) {
    at = haystack.indexOf(ch, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  symbols: SymbolInformation[];
}

interface CachedFolder {
  scannedAt: number;
  files: string[];
  scanning?: Promise<string[]>;
}

/** Stages of the workspace's Dockerfiles on disk, scanned lazily and cached. */
export class WorkspaceStages {
  private readonly folders = new Map<string, CachedFolder>();
  private readonly files = new Map<string, CachedFile>();

  constructor(private readonly limits: ScanLimits = defaultScanLimits) {}

  /** Stages of the Dockerfiles under `folderPaths`, except those in `skip` (open documents, by file path). */
  async stages(folderPaths: string[], skip: Set<string>, query: string, token?: CancellationToken): Promise<SymbolInformation[]> {
    const out: SymbolInformation[] = [];
    for (const folder of folderPaths) {
      const files = await this.filesOf(folder);
      for (const file of files) {
        if (token?.isCancellationRequested) return out;
        if (skip.has(file)) continue;
        const symbols = await this.symbolsOf(file, folder);
        for (const symbol of symbols) if (matchesQuery(symbol.name, query)) out.push(symbol);
      }
    }
    return out;
  }

  /** The folder's Dockerfiles: scanned on first use; when stale, the old list is served while a rescan runs. */
  private async filesOf(folder: string): Promise<string[]> {
    const cached = this.folders.get(folder);
    if (cached) {
      const stale = Date.now() - cached.scannedAt >= this.limits.ttlMs;
      if (stale && !cached.scanning) void this.rescan(folder, cached);
      return cached.scannedAt === 0 && cached.scanning ? cached.scanning : cached.files;
    }
    const entry: CachedFolder = { scannedAt: 0, files: [] };
    this.folders.set(folder, entry);
    return this.rescan(folder, entry);
  }

  /** Not cancellable: a cancelled request must not leave a partial list in the cache (the scan is bounded anyway). */
  private async rescan(folder: string, entry: CachedFolder): Promise<string[]> {
    entry.scanning = findDockerfiles(folder, this.limits);
    try {
      entry.files = await entry.scanning;
      entry.scannedAt = Date.now();
    } finally {
      entry.scanning = undefined;
    }
    return entry.files;
  }

  private async symbolsOf(file: string, folder: string): Promise<SymbolInformation[]> {
    try {
      const stat = await fs.stat(file);
      if (stat.size > this.limits.maxFileBytes) return [];
      const cached = this.files.get(file);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.symbols;
      const text = await fs.readFile(file, 'utf8');
      const symbols = stageSymbols(pathToFileURL(file).toString(), parseDockerfile(text), path.relative(folder, file) || path.basename(file));
      this.files.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, symbols });
      return symbols;
    } catch {
      this.files.delete(file);
      return [];
    }
  }
}

/** Whether the client answers `workspace/workspaceFolders` (set from its capabilities at initialize). */
let clientHasFolders = false;

async function workspaceSymbols(context: FeatureContext, index: WorkspaceStages, query: string, token: CancellationToken): Promise<SymbolInformation[]> {
  const out: SymbolInformation[] = [];
  const open = new Set<string>();
  const folders = clientHasFolders ? await folderPaths(context.connection) : [];
  for (const document of context.documents.all()) {
    const filePath = filePathOf(document.uri);
    if (filePath) open.add(filePath);
    const folder = filePath ? folders.find((f) => filePath.startsWith(f + path.sep)) : undefined;
    const label = filePath ? (folder ? path.relative(folder, filePath) : path.basename(filePath)) : document.uri;
    for (const symbol of stageSymbols(document.uri, context.models.get(document).syntax, label)) {
      if (matchesQuery(symbol.name, query)) out.push(symbol);
    }
  }
  if (folders.length > 0) out.push(...await index.stages(folders, open, query, token));
  return out;
}

async function folderPaths(connection: Connection): Promise<string[]> {
  try {
    const folders = await connection.workspace.getWorkspaceFolders();
    return (folders ?? []).map((f) => filePathOf(f.uri)).filter((p): p is string => p !== undefined);
  } catch {
    return [];
  }
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const workspaceSymbolsFeature: Feature = {
  name: 'workspaceSymbols',
  capabilities(client) {
    clientHasFolders = client.workspace?.workspaceFolders === true;
    return { workspaceSymbolProvider: true };
  },
  register(context) {
    const index = new WorkspaceStages();
    const { connection } = context;
    connection.onWorkspaceSymbol((params, token) => runSafely(connection, 'workspaceSymbols', Promise.resolve([]), token, () =>
      workspaceSymbols(context, index, params.query, token).catch((err: unknown) => {
        connection.console.error(`workspaceSymbols failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return [];
      })));
  },
};
