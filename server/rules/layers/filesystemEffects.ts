// What layer steps do to paths: files and directories a step adds (COPY/ADD destinations,
// downloads, package-manager lists and caches, clones, and the files size prediction's model of
// a command writes: redirections, `touch`, `tee`, `cp`, `mv`) and paths a RUN deletes (`rm`, cache
// cleaning). Paths are absolute, resolved against the working directory of the step.
import * as path from 'path';
import { classifyCommand, withoutPrefixes } from '../../plan/size/classifyCommand';
import { BODY_NOT_READ, expandShellCommand, shellEnvironmentOf } from '../../plan/size/expandShellCommands';
import type { LintContext, StageView } from '../lintContext';
import { invocationOf, parseArgs, type Invocation } from '../shell/invocation';
import type { RunScript } from '../shell/runScript';
import type { ShellCommand, ShellWord } from '../../parser/shell/shellCommands';

export interface Addition {
  path: string;
  /** A directory whose contents were added (deleting anything below it counts). */
  directory: boolean;
  instructionIndex: number;
  /** What added it, for messages (`COPY`, `curl`, `apt-get update`). */
  by: string;
  /** The path is all the step adds (so the step's size is the path's size). */
  wholeStep: boolean;
}

export interface Deletion {
  path: string;
  instructionIndex: number;
  script: RunScript;
  word?: ShellWord;
  /** Range source: the invocation when there is no operand word (`npm cache clean`). */
  invocation: Invocation;
}

export function resolvePath(cwd: string, p: string): string {
  const joined = p.startsWith('/') ? p : path.posix.join(cwd || '/', p);
  const normal = path.posix.normalize(joined);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

const APT_VALUES: ReadonlySet<string> = new Set(['-o', '-c', '-t']);
const GIT_CLONE_VALUES: ReadonlySet<string> = new Set(['-b', '--branch', '--depth', '-c', '--config', '--origin', '-o', '--reference', '--separate-git-dir', '-j', '--jobs', '--filter']);

function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Compiled globs by pattern: a stage's deletions are matched against each of its additions. */
const globs = new Map<string, RegExp>();
const MAX_GLOBS = 1024;

function globRegex(p: string): RegExp {
  let kept = globs.get(p);
  if (!kept) {
    if (globs.size >= MAX_GLOBS) globs.clear();
    globs.set(p, (kept = compileGlob(p)));
  }
  return kept;
}

function compileGlob(p: string): RegExp {
  let re = '^';
  for (const ch of p) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '(?:/.*)?$');
}

/** Whether deleting `deleted` removes (part of) `added`. */
export function deletionHits(deleted: string, added: Addition): boolean {
  const a = added.path;
  if (!hasGlob(deleted)) {
    if (a === deleted || a.startsWith(deleted === '/' ? '/' : deleted + '/')) return true;
    return added.directory && deleted.startsWith(a + '/');
  }
  if (globRegex(deleted).test(a)) return true;
  if (!added.directory) return false;
  const parent = deleted.slice(0, deleted.search(/[*?[]/)).replace(/\/[^/]*$/, '') || '/';
  return parent === a || parent.startsWith(a + '/');
}

/** The working directory before each instruction of a stage chain (from the plan, else from WORKDIRs). */
export function workdirs(ctx: LintContext, stage: StageView): Map<number, string> {
  const out = new Map<number, string>();
  const chain = ctx.stageChain(stage).reverse();
  let cwd = '/';
  for (const s of chain) {
    for (const i of s.body) {
      const step = ctx.step(i);
      if (step) cwd = step.workdir || cwd;
      out.set(i, cwd);
      const instruction = ctx.instructions[i];
      if (!step && instruction.name === 'WORKDIR' && instruction.args[0] && !instruction.args[0].value.includes('$')) {
        cwd = resolvePath(cwd, instruction.args[0].value);
      }
    }
  }
  return out;
}

function homeOf(ctx: LintContext, instructionIndex: number): string | undefined {
  const user = ctx.step(instructionIndex)?.user ?? '';
  return user === '' || user === 'root' || user.startsWith('root:') || user === '0' || user.startsWith('0:') ? '/root' : undefined;
}

function copyAdditions(ctx: LintContext, i: number, cwd: string): Addition[] {
  const instruction = ctx.instructions[i];
  const by = instruction.name;
  const step = ctx.step(i);
  const details = step && (step.details.kind === 'copy' || step.details.kind === 'add') ? step.details : undefined;
  const words = instruction.args.map((w) => w.value);
  if (words.length < 2 && !details) return [];
  const destRaw = details?.destination ?? words[words.length - 1];
  if (destRaw.includes('$')) return [];
  const sources = details?.sources ?? words.slice(0, -1).filter((w) => !w.startsWith('<<'));
  const heredocNames = instruction.heredocs.map((h) => h.name);
  const all = [...sources, ...heredocNames];
  const dest = resolvePath(cwd, destRaw);
  const destIsDir = destRaw.endsWith('/') || destRaw === '.' || all.length > 1;
  const isArchiveAdd = by === 'ADD' && sources.some((s) => /\.(tar(\.\w+)?|tgz|tbz2?|txz)$/.test(s) && !/^https?:/.test(s));
  if (!destIsDir || isArchiveAdd) return [{ path: dest, directory: isArchiveAdd || sources.some((s) => s.endsWith('/') || s === '.'), instructionIndex: i, by, wholeStep: true }];
  return all.map((s) => {
    const base = path.posix.basename(s.replace(/^https?:\/\/[^/]+/, '').replace(/[?#].*$/, '').replace(/\/+$/, ''));
    const contents = s === '.' || s.endsWith('/') || base === '' || base === '.';
    return { path: contents ? dest : resolvePath(dest, base), directory: contents, instructionIndex: i, by, wholeStep: all.length === 1 };
  });
}

function optionValue(args: readonly ShellWord[], short: string, long: string): string | undefined {
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === short || v === long) return args[k + 1]?.value;
    if (v.startsWith(long + '=')) return v.slice(long.length + 1);
    if (short.length === 2 && v.startsWith(short) && v.length > 2 && !v.startsWith('--')) return v.slice(2);
  }
  return undefined;
}

function urlBase(url: string): string | undefined {
  const m = /^[a-z]+:\/\/[^/]+(\/[^?#]*)?/i.exec(url);
  const base = m?.[1] ? path.posix.basename(m[1]) : '';
  return base && base !== '/' ? base : undefined;
}

function runAdditions(ctx: LintContext, script: RunScript, cwd0: string): Addition[] {
  const out: Addition[] = [];
  const i = script.instructionIndex;
  let cwd = cwd0;
  const home = homeOf(ctx, i);
  const step = ctx.step(i);
  const env = step && shellEnvironmentOf(step);
  for (const command of script.parsed().commands) {
    const inv = invocationOf(command);
    if (!inv) continue;
    const add = (p: string, directory: boolean, by: string) => out.push({ path: resolvePath(cwd, p), directory, instructionIndex: i, by, wholeStep: false });
    if (env && !command.nested) {
      for (const written of writtenFiles(command, cwd, env)) out.push({ ...written, instructionIndex: i, wholeStep: false });
    }
    const args = inv.args;
    switch (inv.name) {
      case 'cd':
        if (args[0] && !args[0].value.includes('$')) cwd = resolvePath(cwd, args[0].value);
        break;
      case 'curl': {
        const out1 = optionValue(args, '-o', '--output');
        const dir = optionValue(args, '', '--output-dir');
        if (out1 && out1 !== '-') add(dir ? path.posix.join(dir, out1) : out1, false, 'curl');
        else if (args.some((w) => w.value === '-O' || w.value === '--remote-name' || /^-[a-zA-Z]*O$/.test(w.value))) {
          for (const w of args) {
            const base = /^https?:/.test(w.value) ? urlBase(w.value) : undefined;
            if (base) add(dir ? path.posix.join(dir, base) : base, false, 'curl');
          }
        }
        break;
      }
      case 'wget': {
        const doc = optionValue(args, '-O', '--output-document');
        const dir = optionValue(args, '-P', '--directory-prefix');
        if (doc && doc !== '-') add(doc, false, 'wget');
        else if (!doc) {
          for (const w of args) {
            const base = /^https?:/.test(w.value) ? urlBase(w.value) : undefined;
            if (base) add(dir ? path.posix.join(dir, base) : base, false, 'wget');
          }
        }
        break;
      }
      case 'apt-get':
      case 'apt':
        if (parseArgs(args, APT_VALUES).subcommand?.value === 'update') add('/var/lib/apt/lists', true, `${inv.name} update`);
        break;
      case 'git': {
        const parsed = parseArgs(args, GIT_CLONE_VALUES);
        if (parsed.subcommand?.value === 'clone' && parsed.operands[0]) {
          const target = parsed.operands[1]?.value ?? path.posix.basename(parsed.operands[0].value.replace(/\/+$/, '')).replace(/\.git$/, '');
          if (target && !target.includes('$')) add(target, true, 'git clone');
        }
        break;
      }
      case 'apk':
        if (home && parseArgs(args).subcommand?.value === 'add' && !args.some((w) => w.value === '--no-cache')) add('/var/cache/apk', true, 'apk add');
        break;
      case 'npm':
        if (home && ['install', 'i', 'ci'].includes(parseArgs(args).subcommand?.value ?? '')) add(`${home}/.npm`, true, 'npm');
        break;
      default:
        if (home && /^pip\d*(\.\d+)?$/.test(inv.name) && parseArgs(args).subcommand?.value === 'install' && !args.some((w) => w.value === '--no-cache-dir')) {
          add(`${home}/.cache/pip`, true, 'pip install');
        }
    }
  }
  return out;
}

/**
 * Files size prediction's model says a command writes; none when a word is uncertain (a path may
 * be), though a here-document whose body is elsewhere (`RUN cat <<EOF > f`) leaves paths known.
 */
function writtenFiles(command: ShellCommand, cwd: string, env: Readonly<Record<string, string>>): { path: string; directory: boolean; by: string }[] {
  const expanded = expandShellCommand(command, env);
  if (!expanded || expanded.uncertain.some((u) => u !== BODY_NOT_READ)) return [];
  const by = path.posix.basename(withoutPrefixes(expanded.argv)[0] ?? '') || 'a redirection';
  const out: { path: string; directory: boolean; by: string }[] = [];
  for (const effect of classifyCommand(expanded, cwd, env)) {
    if (effect.kind === 'write') out.push({ path: resolvePath(cwd, effect.path), directory: false, by });
    else if (effect.kind === 'copy') out.push({ path: resolvePath(cwd, effect.to), directory: false, by });
  }
  return out;
}

function runDeletions(ctx: LintContext, script: RunScript, cwd0: string): Deletion[] {
  const out: Deletion[] = [];
  let cwd = cwd0;
  const home = homeOf(ctx, script.instructionIndex) ?? '/root';
  for (const command of script.parsed().commands) {
    const inv = invocationOf(command);
    if (!inv) continue;
    const del = (p: string, word?: ShellWord) => out.push({ path: resolvePath(cwd, p.replace(/^~(?=\/|$)/, home)), instructionIndex: script.instructionIndex, script, word, invocation: inv });
    if (inv.name === 'cd' && inv.args[0] && !inv.args[0].value.includes('$')) cwd = resolvePath(cwd, inv.args[0].value);
    const sub = parseArgs(inv.args);
    if (inv.name === 'rm') {
      for (const w of sub.subcommand ? [sub.subcommand, ...sub.operands] : []) {
        if (!w.value.includes('$') && w.value !== '') del(w.value, w);
      }
    }
    if (inv.name === 'npm' && sub.subcommand?.value === 'cache' && sub.operands[0]?.value === 'clean') del(`${home}/.npm/_cacache`);
    if (/^pip\d*(\.\d+)?$/.test(inv.name) && sub.subcommand?.value === 'cache' && ['purge', 'remove'].includes(sub.operands[0]?.value ?? '')) del(`${home}/.cache/pip`);
  }
  return out;
}

/** Deletions of the stage's RUNs and, when there are any, additions of every layer step of its chain, in build order. */
export function layerEffects(ctx: LintContext, stage: StageView): { additions: Addition[]; deletions: Deletion[] } {
  const dirs = workdirs(ctx, stage);
  const deletions: Deletion[] = [];
  for (const i of stage.body) {
    const script = ctx.instructions[i].name === 'RUN' ? ctx.runScript(i) : undefined;
    if (script) deletions.push(...runDeletions(ctx, script, dirs.get(i) ?? '/'));
  }
  const additions: Addition[] = [];
  if (deletions.length === 0) return { additions, deletions };
  for (const s of ctx.stageChain(stage).reverse()) {
    for (const i of s.body) {
      const instruction = ctx.instructions[i];
      const cwd = dirs.get(i) ?? '/';
      if (instruction.name === 'COPY' || instruction.name === 'ADD') additions.push(...copyAdditions(ctx, i, cwd));
      const script = instruction.name === 'RUN' ? ctx.runScript(i) : undefined;
      if (script) additions.push(...runAdditions(ctx, script, cwd));
    }
  }
  return { additions, deletions };
}
