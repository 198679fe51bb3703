// RUN: a model of what the commands leave in the layer, with its confidence. Package installs
// come from package metadata, downloads from Content-Length, known files (from COPY) from the
// stage's file state; removals in the same RUN subtract, caches left behind add and are flagged.
// Anything else makes the prediction unknown, with the reason.
import type { PlannedStep, SizeConfidence, StepDetails } from '../types';
import { CACHE_PATHS, type CacheKind, classifyCommand, type CommandEffect, standardOutputOf } from './classifyCommand';
import { formatBytes } from './formatBytes';
import { goPathMatch } from './goMatch';
import { cleanGoPath } from './goPath';
import type { StepContext } from './predictCopyStep';
import type { PackageManager } from './sizeReaders';
import { type SizeFinding, type SizePrediction, weakerConfidence } from './sizePrediction';
import type { KnownFile } from './stageFileState';
import { readNpmProjectFiles } from './npmProjectFiles';
import { parseShellCommands } from '../../parser/shell/shellCommands';
import { expandShellCommands, shellEnvironmentOf } from './expandShellCommands';
import { tarLayerSize, type LayerEntry } from './tarLayerSize';

type RunDetails = Extract<StepDetails, { kind: 'run' }>;

export interface RunContext extends StepContext {
  /** The stage's root base image (undefined for scratch). */
  baseImage: string | undefined;
  platform: string;
  /** Packages installed by earlier steps (this stage and its parents), per manager. */
  installed: Map<PackageManager, string[]>;
}

/** Estimate for one `useradd`-like command: passwd/group/shadow files rewritten with backups, a home directory. */
const ACCOUNT_BYTES = 12 * 1024;

interface LeftCache {
  kind: CacheKind;
  bytes?: number;
  files: { path: string; bytes: number }[];
  /** Downloaded packages (apt archives) counted in `bytes` besides `files`. */
  archiveBytes?: number;
  what: string;
}

const WHAT: Record<CacheKind, string> = {
  'apt-lists': 'apt lists (/var/lib/apt/lists)',
  'apt-archives': 'apt caches (/var/cache/apt: downloaded packages, pkgcache.bin)',
  'apk-cache': 'apk index cache (/var/cache/apk)',
  'pip-cache': 'pip cache (/root/.cache/pip)',
  'npm-cache': 'npm cache (/root/.npm)',
  'yarn-cache': 'yarn cache',
  'go-cache': 'Go build and module caches',
  'cargo-registry': 'cargo registry cache',
  'gem-cache': 'gem cache',
};

function under(path: string, prefix: string): boolean {
  const p = cleanGoPath(path);
  const q = cleanGoPath(prefix);
  return q === '/' || p === q || p.startsWith(q + '/');
}

function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** The script a RUN executes (shell form: the `-c` argument; heredoc: its body). */
function scriptOf(details: RunDetails): { script?: string; argv?: string[] } {
  if (details.heredocs.length > 0) {
    const text = details.argv[details.argv.length - 1] ?? '';
    const only = details.heredocs[0];
    if (/^\s*<<-?["']?\w+["']?\s*$/.test(text)) return { script: only.content };
  }
  if (details.shellForm) return { script: details.argv[details.argv.length - 1] ?? '' };
  return { argv: details.argv };
}

export function predictRunStep(step: PlannedStep, details: RunDetails, ctx: RunContext): SizePrediction {
  const findings: SizeFinding[] = [];
  const unknown: string[] = [];
  const pending: string[] = [];
  const notes: string[] = [];
  const entries: LayerEntry[] = [];
  let bulkBytes = 0;
  let confidence: SizeConfidence = 'high';
  const caches = new Map<CacheKind, LeftCache>();
  // Whatever a RUN writes below a mount (cache, tmpfs, bind, secret, ssh) is not part of its layer.
  const mountTargets = details.mounts.filter((m) => m.target !== undefined).map((m) => cleanGoPath(m.target as string));
  const mounted = (path: string): boolean => mountTargets.some((t) => under(path, t));
  const env = shellEnvironmentOf(step);
  const { script, argv } = scriptOf(details);
  const commands = script !== undefined ? expandShellCommands(parseShellCommands(script).commands, env) : [{ argv: argv ?? [], assignments: {}, redirects: [], pipedFrom: false, pipedTo: false, inLoop: false, conditional: false, uncertain: [] }];

  /** Known files a path (possibly a shell glob; `*` skips dot files) names, with what is below them. */
  const knownAt = (path: string): KnownFile[] => {
    if (!hasGlob(path)) return ctx.state.below(path);
    const pattern = path.split('/');
    return ctx.state.matching((p) => {
      const parts = p.split('/');
      if (parts.length < pattern.length) return false;
      if (parts[pattern.length - 1].startsWith('.') && !pattern[pattern.length - 1].startsWith('.')) return false;
      try {
        return goPathMatch(path, parts.slice(0, pattern.length).join('/'));
      } catch {
        return false;
      }
    });
  };

  const removeKnown = (files: KnownFile[]): void => {
    const own = new Set(files.filter((f) => f.writer.stage === ctx.ref.stage && f.writer.step === ctx.ref.step).map((f) => f.path));
    ctx.state.remove(ctx.ref, files);
    for (let i = entries.length - 1; i >= 0; i--) if (own.has(cleanGoPath(entries[i].path))) entries.splice(i, 1);
    for (const f of files) if (!own.has(f.path) && f.entry.kind !== 'dir') entries.push({ path: f.path, kind: 'whiteout', size: 0 });
  };

  const apply = (effect: CommandEffect, uncertain: string[], inLoop: boolean, conditional: boolean): void => {
    if (conditional) confidence = weakerConfidence(confidence, 'medium');
    if (uncertain.length > 0 && effect.kind !== 'none' && effect.kind !== 'clean') {
      if (effect.kind !== 'remove') {
        unknown.push(`a command uses ${uncertain[0]}`);
        ctx.state.markOpaque(ctx.ref);
      }
      return;
    }
    switch (effect.kind) {
      case 'none':
        return;
      case 'unknown':
        unknown.push(effect.reason);
        ctx.state.markOpaque(ctx.ref);
        return;
      case 'install': {
        const reader = ctx.readers.packages;
        // npm without names installs the project in the working directory (its lock file).
        const project = effect.manager === 'npm' && effect.packages.every((p) => p.startsWith('-')) ? readNpmProjectFiles(ctx.state, ctx.readers.context, step.workdir) : undefined;
        const estimate = project && project.state !== 'known'
          ? project
          : reader
          ? reader.estimateInstall({
              project: project?.value,
              manager: effect.manager,
              baseImage: ctx.baseImage,
              platform: ctx.platform,
              packages: effect.packages,
              installedBefore: ctx.installed.get(effect.manager) ?? [],
              installRecommends: effect.installRecommends,
              command: effect.command,
              env,
            })
          : ({ state: 'unknown', reason: 'no package metadata is available' } as const);
        ctx.state.markOpaque(ctx.ref);
        if (effect.manager === 'pip' && !effect.noCache && !mounted('/root/.cache/pip')) caches.set('pip-cache', { kind: 'pip-cache', files: [], what: WHAT['pip-cache'] });
        if (effect.manager === 'npm' && !mounted('/root/.npm') && estimate.state !== 'pending') caches.set('npm-cache', { kind: 'npm-cache', files: [], what: WHAT['npm-cache'] });
        if (estimate.state === 'pending') pending.push(estimate.reason);
        else if (estimate.state === 'unknown') unknown.push(`\`${effect.command}\`: ${estimate.reason}`);
        else {
          const e = estimate.value;
          bulkBytes += e.installedBytes + e.bookkeepingBytes;
          for (const f of e.files ?? []) {
            if (mounted(f.path)) continue;
            entries.push({ path: f.path, kind: 'file', size: f.bytes });
            ctx.state.write(ctx.ref, [{ entry: { path: f.path, kind: 'file', size: f.bytes } }]);
          }
          confidence = weakerConfidence(confidence, e.confidence);
          notes.push(`${effect.manager}: ${e.packages.length} new packages, ${formatBytes(e.installedBytes)} installed`);
          notes.push(...e.notes);
          if (e.missing.length > 0) {
            unknown.push(`${effect.manager} metadata has no package ${e.missing.map((m) => `\`${m}\``).join(', ')}`);
          }
          if (e.cacheBytes > 0 && e.cacheDir && !mounted(e.cacheDir)) {
            const kind: CacheKind = effect.manager === 'apk' ? 'apk-cache' : effect.manager === 'npm' ? 'npm-cache' : 'apt-archives';
            const cache = caches.get(kind) ?? { kind, bytes: 0, files: [], what: WHAT[kind] };
            cache.archiveBytes = (cache.archiveBytes ?? 0) + e.cacheBytes;
            cache.bytes = cache.files.reduce((s, f) => s + f.bytes, 0) + cache.archiveBytes;
            caches.set(kind, cache);
          }
          ctx.installed.set(effect.manager, [...(ctx.installed.get(effect.manager) ?? []), ...e.packages.map((p) => p.name)]);
        }
        if (effect.manager === 'apk' && !effect.noCache && !mounted('/var/cache/apk')) addIndex('apk');
        return;
      }
      case 'index-update':
        addIndex(effect.manager);
        return;
      case 'clean':
        for (const kind of effect.caches) caches.delete(kind);
        if (effect.caches.includes('apt-archives')) removeKnown(CACHE_PATHS['apt-archives'].flatMap((p) => ctx.state.below(p)));
        return;
      case 'remove':
        for (const path of effect.paths) {
          const target = path.endsWith('/*') ? path.slice(0, -2) : path;
          if (!hasGlob(target)) for (const kind of [...caches.keys()]) if (CACHE_PATHS[kind].some((c) => under(c, target))) caches.delete(kind);
          removeKnown(knownAt(path));
        }
        return;
      case 'write':
        if (mounted(effect.path)) return;
        if (effect.bytes === undefined || effect.append) {
          const known = ctx.state.below(effect.path).find((f) => f.entry.kind === 'file');
          if (!known) {
            confidence = weakerConfidence(confidence, 'low');
            notes.push(`assumes ${effect.path} stays small`);
          }
          const size = (effect.append ? (known?.entry.size ?? 0) : 0) + (effect.bytes ?? 0);
          entries.push({ path: effect.path, kind: 'file', size });
          ctx.state.write(ctx.ref, [{ entry: { path: effect.path, kind: 'file', size } }]);
          return;
        }
        entries.push({ path: effect.path, kind: 'file', size: effect.bytes });
        ctx.state.write(ctx.ref, [{ entry: { path: effect.path, kind: 'file', size: effect.bytes } }]);
        return;
      case 'mkdir':
        for (const path of effect.paths) {
          if (mounted(path) || ctx.state.isDirectory(path)) continue;
          entries.push({ path, kind: 'dir', size: 0 });
          ctx.state.addDirectory(path);
        }
        return;
      case 'symlink': {
        const path = ctx.state.isDirectory(effect.path) ? `${effect.path}/${effect.target.split('/').pop()}` : effect.path;
        entries.push({ path, kind: 'symlink', size: 0, linkTarget: effect.target });
        ctx.state.write(ctx.ref, [{ entry: { path, kind: 'symlink', size: 0, linkTarget: effect.target } }]);
        return;
      }
      case 'copy': {
        const toDir = ctx.state.isDirectory(effect.to) || effect.from.length > 1;
        for (const from of effect.from) {
          const files = knownAt(from);
          if (files.length === 0) {
            unknown.push(`${effect.move ? 'mv' : 'cp'} of ${from}, which the model does not know`);
            ctx.state.markOpaque(ctx.ref, effect.to);
            continue;
          }
          const base = from.replace(/\/[^/]*$/, '') || '/';
          const written = files.map((f) => {
            const rel = f.path.slice(base === '/' ? 1 : base.length + 1);
            const path = toDir ? cleanGoPath(`${effect.to}/${rel}`) : cleanGoPath(`${effect.to}/${f.path.slice(from.length)}`);
            return { entry: { ...f.entry, path }, node: f.node };
          });
          if (effect.move) removeKnown(files);
          ctx.state.write(ctx.ref, written);
          entries.push(...written.map((w) => w.entry));
        }
        return;
      }
      case 'metadata':
        for (const path of effect.paths) {
          const files = effect.recursive ? ctx.state.below(path) : ctx.state.below(path).filter((f) => f.path === cleanGoPath(path));
          if (files.length === 0) {
            if (effect.recursive) {
              unknown.push(`\`${effect.command}\` copies up files of ${path} the model does not know`);
              ctx.state.markOpaque(ctx.ref, path);
            } else {
              confidence = weakerConfidence(confidence, 'medium');
              notes.push(`${path} is copied up (assumed small)`);
            }
            continue;
          }
          const fromEarlier = files.filter((f) => !(f.writer.stage === ctx.ref.stage && f.writer.step === ctx.ref.step));
          const bytes = ctx.state.copyUp(ctx.ref, fromEarlier);
          entries.push(...fromEarlier.map((f) => f.entry));
          if (bytes > 0) {
            findings.push({
              code: 'copy-up',
              stageIndex: ctx.ref.stage,
              stepIndex: ctx.ref.step,
              message: `\`${effect.command}\` copies ${fromEarlier.length} files of earlier layers into this layer (${formatBytes(bytes)}); set ownership and modes in COPY --chown/--chmod instead`,
              bytes,
              paths: fromEarlier.slice(0, 5).map((f) => f.path),
            });
          }
        }
        return;
      case 'accounts':
        bulkBytes += ACCOUNT_BYTES;
        confidence = weakerConfidence(confidence, 'low');
        notes.push(`\`${effect.command}\` rewrites account files (~${formatBytes(ACCOUNT_BYTES)})`);
        return;
      case 'download': {
        if (effect.piped || effect.output === undefined) {
          unknown.push(`\`${effect.command}\` pipes the download into another command`);
          ctx.state.markOpaque(ctx.ref);
          return;
        }
        if (mounted(effect.output)) return;
        const length = ctx.readers.downloads?.contentLength(effect.url);
        if (!length) unknown.push(`size of ${effect.url} unknown (no download size lookup)`);
        else if (length.state === 'pending') pending.push(length.reason);
        else if (length.state === 'unknown') unknown.push(`size of ${effect.url} unknown: ${length.reason}`);
        else {
          entries.push({ path: effect.output, kind: 'file', size: length.value });
          ctx.state.write(ctx.ref, [{ entry: { path: effect.output, kind: 'file', size: length.value } }]);
          if (inLoop) confidence = weakerConfidence(confidence, 'low');
          notes.push(`downloads ${formatBytes(length.value)} to ${effect.output}`);
        }
        return;
      }
    }
  };

  /** Records what an index update leaves, grouped by cache (apt lists, pkgcache with the archives). */
  function addIndex(manager: 'apt' | 'apk'): void {
    const footprint = ctx.readers.packages?.indexFootprint(manager, ctx.baseImage, ctx.platform);
    if (!footprint) unknown.push(`${manager} index size unknown (no package metadata)`);
    else if (footprint.state === 'pending') pending.push(footprint.reason);
    else if (footprint.state === 'unknown') unknown.push(`${manager} index: ${footprint.reason}`);
    else {
      for (const file of footprint.value.files) {
        if (mounted(file.path)) continue;
        const kind = (Object.keys(CACHE_PATHS) as CacheKind[]).find((k) => CACHE_PATHS[k].some((c) => under(file.path, c))) ?? (manager === 'apt' ? 'apt-lists' : 'apk-cache');
        const cache = caches.get(kind) ?? { kind, bytes: 0, files: [], what: WHAT[kind] };
        cache.files = cache.files.filter((f) => f.path !== file.path);
        cache.files.push(file);
        cache.bytes = cache.files.reduce((s, f) => s + f.bytes, 0) + (cache.archiveBytes ?? 0);
        caches.set(kind, cache);
      }
    }
  }

  /** The output of the command before, when known and piped into the next (`echo x | tee f`). */
  let piped: string | undefined;
  for (const written of commands) {
    const command = written.pipedFrom && piped !== undefined && written.input === undefined ? { ...written, input: piped } : written;
    piped = command.pipedTo ? standardOutputOf(command) : undefined;
    // classifyCommand only reads the environment by name: commands without assignments share one
    // object, the others put theirs in front of it.
    const cmdEnv = Object.keys(command.assignments).length === 0 ? env : Object.assign(Object.create(env) as Record<string, string>, command.assignments);
    for (const effect of classifyCommand(command, step.workdir, cmdEnv)) apply(effect, command.uncertain, command.inLoop, command.conditional);
  }

  for (const cache of caches.values()) {
    if (cache.bytes !== undefined) {
      // The cache's files join the layer (and stay known, so a later `rm` counts as wasted space).
      for (const file of cache.files) entries.push({ path: file.path, kind: 'file', size: file.bytes });
      ctx.state.write(ctx.ref, cache.files.map((f) => ({ entry: { path: f.path, kind: 'file' as const, size: f.bytes } })));
      if (cache.archiveBytes) {
        bulkBytes += cache.archiveBytes;
        ctx.state.write(ctx.ref, [{ entry: { path: `${CACHE_PATHS[cache.kind][0]}/downloaded-packages`, kind: 'file', size: cache.archiveBytes } }]);
      }
    }
    findings.push({
      code: 'cache-left-behind',
      stageIndex: ctx.ref.stage,
      stepIndex: ctx.ref.step,
      message: `${cache.what} stays in the layer${cache.bytes !== undefined ? ` (${formatBytes(cache.bytes)})` : ''}; remove it in the same RUN or use a cache mount`,
      bytes: cache.bytes,
      paths: CACHE_PATHS[cache.kind],
    });
    if (cache.bytes === undefined) unknown.push(`${cache.what} of unknown size stays in the layer`);
  }

  // A layer of bulk bytes alone (installs) still ends with the tar's two zero blocks.
  const tar = entries.length > 0 ? tarLayerSize(entries) : { tarBytes: bulkBytes > 0 ? 1024 : 0, contentBytes: 0, entryCount: 0 };
  const bytes = tar.tarBytes + bulkBytes;
  if (unknown.length > 0) {
    const known = bytes > 0 ? ` (at least ${formatBytes(bytes)} known)` : '';
    return { confidence: 'unknown', basis: `${unknown.join('; ')}${known}`, findings };
  }
  if (pending.length > 0) return { confidence: 'unknown', basis: `waiting for ${pending.join('; ')}`, findings };
  if (notes.length === 0) notes.push(bytes === 0 ? 'the commands write nothing that stays in the layer' : `${tar.entryCount} known paths`);
  return { bytes, contentBytes: bulkBytes === 0 ? tar.contentBytes : undefined, confidence, basis: notes.join('; '), findings };
}
