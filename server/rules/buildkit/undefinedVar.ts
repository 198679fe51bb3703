// UndefinedVar: a `$VAR` that no ENV or ARG of the stage (or its FROM ancestors) defines. Like
// BuildKit, shell-form RUN/CMD/ENTRYPOINT are left to the shell, ARG defaults are checked, and a
// declared ARG counts as defined even without a value. A stage built on an external image whose
// environment is unknown (not in the local store with its env) could get any name from that image,
// so nothing is reported there; `scratch` and stages built on it know their whole environment.
import { lookupIn, processWord } from '../../parser/shell/lexer';
import type { FlagNode, InstructionNode, Range, WordNode } from '../../parser/types';
import { rangeInFlagValue, rangeInWord, replace } from '../edits';
import { plannedBaseRef, type LintContext, type StageView } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';
import { suggestName } from '../suggest';
import { globalArgs } from './globalArgs';

const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

interface Scope {
  env: Record<string, string>;
  declared: Set<string>;
  /** The base image's environment is unknown: any name may come from it. */
  open: boolean;
}

type Located = { word: WordNode } | { flag: FlagNode; value: string } | { heredoc: string; range: Range };

/** The words BuildKit expands (and reports unmatched variables of) for an instruction. */
function expandedWords(instruction: InstructionNode): Located[] {
  const out: Located[] = [];
  const flags = (names: string[]) => {
    for (const f of instruction.flags) if (names.includes(f.name) && f.value !== undefined) out.push({ flag: f, value: f.value });
  };
  switch (instruction.name) {
    case 'ENV':
    case 'LABEL':
      for (const p of instruction.pairs) {
        out.push({ word: p.key });
        if (p.value) out.push({ word: p.value });
      }
      break;
    case 'COPY':
    case 'ADD':
      flags(['chown', 'chmod']);
      for (const w of instruction.args) if (!w.value.startsWith('<<')) out.push({ word: w });
      for (const h of instruction.heredocs) if (h.expand) out.push({ heredoc: h.content, range: h.bodyRange });
      break;
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
    case 'VOLUME':
      for (const w of instruction.args) out.push({ word: w });
      break;
  }
  return out;
}

export const undefinedVar: Rule = {
  meta: {
    code: 'UndefinedVar',
    title: 'Variables should be defined before their use',
    explanation: 'An undefined variable expands to an empty string, which usually means a typo or a missing ARG/ENV.',
    fix: 'Declare it with ARG or ENV before use (or fix the typo).',
    href: buildkitDocs('UndefinedVar'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  scope: 'stage',
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      const scope = startScope(ctx, stage);
      for (const i of stage.body) checkInstruction(ctx, i, scope, true);
    }
  },
};

const endScopes = new WeakMap<LintContext, Map<number, Scope>>();

/** The scope a stage starts with: its FROM stage's final scope, or just PATH. */
function startScope(ctx: LintContext, stage: StageView): Scope {
  const base = ctx.baseStage(stage);
  const inherited = base ? endScope(ctx, base) : undefined;
  if (inherited) return { env: { ...inherited.env }, declared: new Set(inherited.declared), open: inherited.open };
  const scope: Scope = { env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }, declared: new Set(), open: false };
  const ref = plannedBaseRef(stage);
  if (ref !== undefined && ref.toLowerCase() !== 'scratch') {
    const env = ctx.options.images?.find(ref)?.env;
    if (env) Object.assign(scope.env, env);
    else scope.open = true;
  }
  return scope;
}

/** The scope at the end of a stage (computed without reporting, once per lint run). */
function endScope(ctx: LintContext, stage: StageView): Scope {
  let byStage = endScopes.get(ctx);
  if (!byStage) endScopes.set(ctx, (byStage = new Map()));
  let scope = byStage.get(stage.index);
  if (!scope) {
    scope = startScope(ctx, stage);
    for (const i of stage.body) checkInstruction(ctx, i, scope, false);
    byStage.set(stage.index, scope);
  }
  return scope;
}

const globalsOf = new WeakMap<LintContext, Record<string, string>>();

function globalValues(ctx: LintContext): Record<string, string> {
  let values = globalsOf.get(ctx);
  if (!values) globalsOf.set(ctx, (values = globalArgs(ctx, true).values));
  return values;
}

function checkInstruction(ctx: LintContext, index: number, scope: Scope, reporting: boolean): void {
  const instruction = ctx.instructions[index];
  const buildArgs = ctx.options.buildArgs ?? {};
  const escapeChar = ctx.syntax.escapeChar;
  const lookup = lookupIn(scope.env);
  const report = (name: string, range: Range) => {
    if (!reporting || scope.open || scope.declared.has(name) || NON_ENV_ARGS.has(name)) return;
    const options = new Set([...Object.keys(scope.env), ...scope.declared]);
    const suggestion = suggestName(name, options);
    ctx.report({
      code: 'UndefinedVar',
      range,
      message: `Usage of undefined variable '$${name}'${suggestion ? ` (did you mean $${suggestion}?)` : ''}`,
      instructionIndex: index,
      fixes: suggestion ? [{ title: `Change to $${suggestion}`, edits: [replace(range, suggestion)], preferred: true }] : undefined,
    });
  };
  const scan = (text: string, rangeOf: (from: number, to: number) => Range, raw = false) => {
    if (!reporting || scope.open || !text.includes('$')) return;
    const r = processWord(text, lookup, { escapeChar, skipProcessQuotes: raw });
    for (const ref of r.references) if (!ref.set) report(ref.name, rangeOf(ref.nameStart, ref.nameEnd));
  };
  if (instruction.name === 'ARG') {
    for (const pair of instruction.pairs) {
      const key = pair.key.value;
      const given = Object.prototype.hasOwnProperty.call(buildArgs, key) ? buildArgs[key] : undefined;
      let value = given;
      if (given === undefined && pair.value) {
        const value_ = pair.value;
        scan(value_.value, (a, b) => rangeInWord(instruction, value_, a, b));
        value = value_.value;
        if (/[$'"\\`]/.test(value)) {
          const r = processWord(value, lookup, { escapeChar });
          value = r.error ? undefined : r.result;
        }
      } else if (given === undefined && Object.prototype.hasOwnProperty.call(globalValues(ctx), key)) {
        value = globalValues(ctx)[key];
      }
      scope.declared.add(key);
      if (value !== undefined && !NON_ENV_ARGS.has(key)) scope.env[key] = value;
    }
    return;
  }
  for (const located of expandedWords(instruction)) {
    if ('word' in located) {
      const word = located.word;
      scan(word.value, (a, b) => rangeInWord(instruction, word, a, b));
    } else if ('flag' in located) {
      const flag = located.flag;
      scan(located.value, (a, b) => rangeInFlagValue(flag, a, b));
    } else {
      const start = located.range.start;
      const lines = located.heredoc.split('\n');
      const lineStarts: number[] = [];
      let offset = 0;
      for (const l of lines) {
        lineStarts.push(offset);
        offset += l.length + 1;
      }
      const at = (o: number) => {
        let k = lineStarts.length - 1;
        while (k > 0 && lineStarts[k] > o) k--;
        return { line: start.line + k, character: o - lineStarts[k] };
      };
      scan(located.heredoc, (a, b) => ({ start: at(a), end: at(b) }), true);
    }
  }
  if (instruction.name === 'ENV') {
    for (const pair of instruction.pairs) {
      const raw = pair.value?.value ?? '';
      const r = /[$'"\\`]/.test(raw) ? processWord(raw, lookup, { escapeChar }) : undefined;
      scope.env[pair.key.value] = r ? (r.error ? '' : r.result) : raw;
    }
  }
}
