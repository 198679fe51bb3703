// COPY and ADD: expanded sources and destination, where the content comes from (context,
// another stage, an image, a URL, a heredoc), and the source checksums in the cache key.
import { parseHeredocMarker } from '../parser/heredocMarkers';
import { processWord } from '../parser/shell/lexer';
import type { FlagNode, Range, WordNode } from '../parser/types';
import { sha256Hex } from './cacheKey';
import { resolveDestination } from './containerPath';
import { normalizeImageRef } from './imageRef';
import { fitted } from './fitted';
import { displayOf } from './planRun';
import type { StepContext, StepDraft } from './stepContext';
import type { StageReads } from './stepKeys';
import type { CopyFrom, PlannedHeredoc } from './types';

export function planCopy(ctx: StepContext): StepDraft {
  const { instruction: inst, state } = ctx;
  const isAdd = inst.name === 'ADD';
  const flag = (name: string) => lastFlag(inst.flags, name);
  const expandFlag = (name: string) => {
    const f = flag(name);
    return f?.value === undefined ? undefined : ctx.expander.value(f.value, () => f.valueRange ?? f.range, ctx.scope);
  };
  const chown = nonEmpty(expandFlag('chown'));
  const chmod = nonEmpty(expandFlag('chmod'));
  const checksum = isAdd ? nonEmpty(expandFlag('checksum')) : undefined;
  const link = boolFlag(flag('link'));
  const parents = !isAdd && boolFlag(flag('parents'));
  const keepGitDir = isAdd ? boolFlag(flag('keep-git-dir')) : undefined;
  const unpackFlag = isAdd ? flag('unpack') : undefined;
  const unpack = unpackFlag ? boolFlag(unpackFlag) : undefined;
  const excludes = inst.flags.filter((f) => f.name === 'exclude' && f.value !== undefined).map((f) => f.value as string);
  const from = isAdd ? ({ kind: 'context' } as CopyFrom) : resolveFrom(ctx, flag('from'));

  const args = inst.args;
  const heredocs: PlannedHeredoc[] = [];
  const sources: string[] = [];
  const keySources: { path: string; checksum: string }[] = [];
  const byName = inst.heredocs.length === 0 ? undefined : new Map(inst.heredocs.map((h) => [h.name, h]));
  for (const arg of args.slice(0, -1)) {
    const marker = byName ? parseHeredocMarker(arg.value).marker : undefined; // a marker without its heredoc is a plain source
    const doc = marker && byName ? byName.get(marker.name) : undefined;
    if (marker && doc) {
      let content = marker.chomp ? doc.content.replace(/^\t+/gm, '') : doc.content;
      if (marker.expand) content = processWord(content, (n) => ctx.scope.lookup(n), { escapeChar: '\\', skipProcessQuotes: true }).result || content;
      heredocs.push({ name: marker.name, fileDescriptor: marker.fileDescriptor, content, expand: marker.expand });
      keySources.push({ path: `<<${marker.name}`, checksum: sha256Hex(content) });
      continue;
    }
    const src = ctx.expander.word(arg, ctx.scope);
    sources.push(src);
    keySources.push({ path: src, checksum: sourceChecksum(ctx, from, src, { excludes, parents, checksum, isAdd }) });
    checkSource(ctx, arg, src, isAdd, checksum);
  }
  if (checksum !== undefined && !isAdd) ctx.problems.push({ range: flag('checksum')?.range ?? inst.range, message: "checksum can't be specified for COPY", code: 'invalid-checksum', severity: 'error' });
  if (checksum !== undefined && sources.length !== 1) ctx.problems.push({ range: flag('checksum')?.range ?? inst.range, message: "checksum can't be specified for multiple sources", code: 'invalid-checksum', severity: 'error' });
  const destWord = args[args.length - 1];
  const destWritten = destWord ? ctx.expander.word(destWord, ctx.scope) : '';
  const destination = destWord ? resolveDestination(state.workdir, destWritten) : state.workdir;
  const chmodBad = chmod === undefined ? undefined : chmodProblem(chmod);
  if (chmodBad) {
    const f = flag('chmod');
    const whole = f?.valueRange ?? inst.range;
    // point at the bad clause when the value is written as is (no variables) on one line
    const exact = f?.valueRange && chmod !== undefined && f.value === chmod && whole.start.line === whole.end.line && whole.end.character - whole.start.character === chmod.length;
    const range = exact ? { start: { line: whole.start.line, character: whole.start.character + chmodBad.offset }, end: { line: whole.start.line, character: whole.start.character + chmodBad.offset + chmodBad.length } } : whole;
    ctx.problems.push({ range, message: chmodBad.message, code: 'invalid-chmod', severity: 'error' });
  }
  const options: Record<string, string> = { destination };
  if (chown !== undefined) options.chown = chown;
  if (chmod !== undefined) options.chmod = chmod;
  if (link) options.link = 'true';
  if (parents) options.parents = 'true';
  if (excludes.length > 0) options.exclude = JSON.stringify(excludes);
  if (checksum !== undefined) options.checksum = checksum;
  if (keepGitDir) options.keepGitDir = 'true';
  if (unpack !== undefined) options.unpack = String(unpack);
  if (from.kind === 'image') options.from = from.ref;
  const command = [inst.name, parents ? '--parents' : '', chown ? `--chown=${chown}` : '', chmod ? `--chmod=${chmod}` : '', ...keySources.map((s) => s.path), destWritten]
    .filter((s) => s !== '')
    .join(' ');
  const useLink = link && chmod === undefined;
  return {
    createsLayer: true,
    arguments: sources.concat(destination),
    display: displayOf(ctx),
    details: { kind: isAdd ? 'add' : 'copy', sources: fitted(sources), destination, from, chown, chmod, link, parents, excludes, checksum, keepGitDir, unpack, heredocs: fitted(heredocs) },
    key: { op: inst.name, command, sources: fitted(keySources), options, reads: from.kind === 'stage' ? stageReads(from.stageIndex, fitted(keySources), options) : undefined },
    link: useLink,
    state,
  };
}

/** One clause of chmod(1)'s symbolic form, as BuildKit accepts since dockerfile 1.14: `u+x`, `go-w`, `a=rX`, `g=u`, `+x`. */
const SYMBOLIC_CLAUSE = /^[ugoa]*(?:[-+=](?:[ugo]|[rwxXst]*))+$/;

/** Why a --chmod value is neither an octal mode (at most 07777) nor a symbolic one, and where (offset, length). */
function chmodProblem(value: string): { message: string; offset: number; length: number } | undefined {
  if (/^[0-7]+$/.test(value)) {
    return parseInt(value, 8) > 0o7777 ? { message: `invalid chmod parameter: '${value}'. an octal mode must be between 0 and 07777`, offset: 0, length: value.length } : undefined;
  }
  let offset = 0;
  for (const clause of value.split(',')) {
    if (!SYMBOLIC_CLAUSE.test(clause)) {
      const what = clause === '' ? 'an empty clause' : `'${clause}'`;
      return {
        message: `invalid chmod parameter: '${value}': ${what} is not a symbolic mode; expected an octal mode (0 to 07777) or clauses like u+x,g-w or a=rX ([ugoa]* then +, - or = with r, w, x, X, s, t or one of u, g, o)`,
        offset,
        length: Math.max(clause.length, 1),
      };
    }
    offset += clause.length + 1;
  }
  return undefined;
}

function lastFlag(flags: FlagNode[], name: string): FlagNode | undefined {
  let found: FlagNode | undefined;
  for (const f of flags) if (f.name === name) found = f;
  return found;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function boolFlag(flag: FlagNode | undefined): boolean {
  if (!flag) return false;
  return flag.value === undefined || flag.value.toLowerCase() === 'true';
}

function resolveFrom(ctx: StepContext, flag: FlagNode | undefined): CopyFrom {
  if (!flag || flag.value === undefined || flag.value === '') return { kind: 'context' };
  const value = flag.value;
  const range = flag.valueRange ?? flag.range;
  if (/^[0-9]+$/.test(value)) {
    const stage = ctx.stageByIndex(Number(value));
    if (!stage) {
      ctx.problems.push({ range, message: `invalid stage index ${value}`, code: 'unknown-stage', severity: 'error' });
      return { kind: 'context' };
    }
    return stageFrom(ctx, stage.index, value, range);
  }
  const stage = ctx.stageByName(value);
  if (stage) return stageFrom(ctx, stage.index, value, range);
  if (value.includes('$')) {
    ctx.problems.push({ range, message: `COPY --from does not expand variables: "${value}" is taken as an image reference (define an alias stage instead)`, code: 'from-variable', severity: 'warning' });
  }
  const ref = normalizeImageRef(value);
  if (typeof ref === 'string') {
    ctx.problems.push({ range, message: `"${value}" is neither a stage name nor a valid image reference: ${ref}`, code: 'unknown-stage', severity: 'error' });
    return { kind: 'image', ref: value };
  }
  const digest = ctx.options.images?.digest(ref.normalized, ctx.state.platform);
  return { kind: 'image', ref: digest && ref.digest === undefined ? `${ref.normalized}@${digest}` : ref.normalized };
}

function stageFrom(ctx: StepContext, index: number, written: string, range: Range): CopyFrom {
  if (index >= ctx.stageIndex) {
    ctx.problems.push({ range, message: `cannot copy from stage "${written}", it needs to be defined before current stage "${ctx.stageName ?? `stage-${ctx.stageIndex}`}"`, code: 'stage-order', severity: 'error' });
  } else {
    ctx.dependencies.push({ stageIndex: index, via: 'copy', stepIndex: ctx.stepIndex, range });
  }
  return { kind: 'stage', stageIndex: index };
}

const urlPattern = /^https?:\/\//;
const gitPattern = /^(git@[^:]+:|git:\/\/|ssh:\/\/)|^https?:\/\/\S+\.git(#\S*)?$/;

/** Problems of one source word (its range is only read when there is one). */
function checkSource(ctx: StepContext, word: WordNode, src: string, isAdd: boolean, checksum: string | undefined): void {
  const git = gitPattern.test(src);
  const url = !git && urlPattern.test(src);
  if (!isAdd && git) ctx.problems.push({ range: word.range, message: "source can't be a git ref for COPY", code: 'copy-git-source', severity: 'error' });
  if (!isAdd && url) ctx.problems.push({ range: word.range, message: "source can't be a URL for COPY", code: 'copy-url-source', severity: 'error' });
  if (isAdd && checksum !== undefined && !url) ctx.problems.push({ range: word.range, message: "checksum can't be specified for non-HTTP(S) sources", code: 'invalid-checksum', severity: 'error' });
}

/**
 * A COPY --from=<stage> key reads the stage's result: as each source's checksum (`stage:<key>`,
 * heredocs keep theirs) and as the `from` option; `stage:<index>` and `stage<index>` until it is planned.
 */
function stageReads(stageIndex: number, sources: { path: string; checksum: string }[], options: Record<string, string>): StageReads {
  const unplanned = stageChecksum(stageIndex);
  return {
    stages: [stageIndex],
    render: ([result]) => ({
      sources: result === undefined ? sources : sources.map((s) => (s.checksum === unplanned ? { path: s.path, checksum: stageChecksum(stageIndex, result) } : s)),
      options: { ...options, from: result ?? `stage${stageIndex}` },
    }),
  };
}

/** A source's checksum when it comes from a stage: its result's key, or its index until that is known. */
function stageChecksum(stageIndex: number, result?: string): string {
  return `stage:${result ?? stageIndex}`;
}

function sourceChecksum(ctx: StepContext, from: CopyFrom, src: string, o: { excludes: string[]; parents: boolean; checksum?: string; isAdd: boolean }): string {
  if (from.kind === 'stage') return stageChecksum(from.stageIndex);
  if (from.kind === 'image') return `image:${from.ref}`;
  if (gitPattern.test(src)) return 'git:unknown';
  if (urlPattern.test(src)) return o.checksum ? `url:${o.checksum}` : 'unknown';
  return ctx.options.context?.checksum(src, { excludes: o.excludes, parents: o.parents }) ?? 'unknown';
}
