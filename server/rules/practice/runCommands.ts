// Shared helpers for rules about what RUN executes: invocations per RUN with their stage,
// mounts of a RUN, and edits that insert options or append a command.
import type { InstructionNode, Range } from '../../parser/types';
import { insert } from '../edits';
import type { LintContext, StageView } from '../lintContext';
import { invocationOf, type Invocation } from '../shell/invocation';
import type { RunScript } from '../shell/runScript';
import type { ShellWord } from '../../parser/shell/shellCommands';
import type { QuickFix, TextEdit } from '../types';

export interface RunInvocation {
  stage: StageView;
  script: RunScript;
  invocation: Invocation;
}

// Invocations per RUN script; scripts of unchanged instructions are kept across lint runs, and
// so are their invocations.
const scriptInvocationsCache = new WeakMap<RunScript, { list: Invocation[]; names: Set<string> }>();

function invocationsOfScript(script: RunScript): { list: Invocation[]; names: Set<string> } {
  let known = scriptInvocationsCache.get(script);
  if (!known) {
    const list: Invocation[] = [];
    for (const command of script.parsed().commands) {
      const invocation = invocationOf(command);
      if (invocation) list.push(invocation);
    }
    known = { list, names: new Set(list.map((i) => i.name)) };
    scriptInvocationsCache.set(script, known);
  }
  return known;
}

/** Finds the invocations of a stage's RUN scripts a few scripts per step (kept for the rules that read them). */
export function* stageInvocationsInSteps(ctx: LintContext, stage: StageView): Generator<void, void> {
  let count = 0;
  for (const script of ctx.runScripts(stage)) {
    if (scriptInvocationsCache.has(script)) continue;
    invocationsOfScript(script);
    if (++count % 8 === 0) yield;
  }
}

/** Invocations in shell-form RUNs (of one stage, when given), in document order. */
export function runInvocations(ctx: LintContext, only?: StageView): RunInvocation[] {
  const out: RunInvocation[] = [];
  for (const stage of only ? [only] : ctx.checkedStages) {
    for (const script of ctx.runScripts(stage)) for (const invocation of invocationsOfScript(script).list) out.push({ stage, script, invocation });
  }
  return out;
}

/** Invocations of programs whose name passes `test`, in document order. */
export function invocationsNamed(ctx: LintContext, test: (name: string) => boolean): RunInvocation[] {
  const out: RunInvocation[] = [];
  const verdicts = new Map<string, boolean>();
  const passes = (name: string) => {
    let v = verdicts.get(name);
    if (v === undefined) verdicts.set(name, (v = test(name)));
    return v;
  };
  for (const stage of ctx.checkedStages) {
    for (const script of ctx.runScripts(stage)) {
      const { list, names } = invocationsOfScript(script);
      let any = false;
      for (const name of names) if (passes(name)) { any = true; break; }
      if (!any) continue;
      for (const invocation of list) if (passes(invocation.name)) out.push({ stage, script, invocation });
    }
  }
  return out;
}

/** The invocations of one RUN, in order. */
export function scriptInvocations(script: RunScript): readonly Invocation[] {
  return invocationsOfScript(script).list;
}

export interface MountInfo {
  type: string;
  target: string;
}

/** The `--mount`s of a RUN, from the syntax tree (targets as written). */
export function mountsOf(instruction: InstructionNode): MountInfo[] {
  const out: MountInfo[] = [];
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount' || !flag.options) continue;
    let type = 'bind';
    let target = '';
    for (const o of flag.options) {
      const key = o.key.toLowerCase();
      if (key === 'type' && o.value) type = o.value.toLowerCase();
      if ((key === 'target' || key === 'dst' || key === 'destination') && o.value) target = o.value.replace(/\/+$/, '') || '/';
    }
    out.push({ type, target });
  }
  return out;
}

/** Whether the RUN mounts a cache or tmpfs over `dir` (or a parent of it). */
export function hasCacheMountOver(instruction: InstructionNode, dirs: readonly string[]): boolean {
  return mountsOf(instruction).some((m) => (m.type === 'cache' || m.type === 'tmpfs') && dirs.some((d) => d === m.target || d.startsWith(m.target + '/') || m.target === '/'));
}

/** Range from the program name to the end of `last` (e.g. `apt-get install`). */
export function invocationRange(script: RunScript, invocation: Invocation, last?: ShellWord): Range {
  return script.rangeAt(invocation.nameWord.start, (last ?? invocation.nameWord).end);
}

/** An edit inserting ` text` right after `word`. */
export function insertAfter(script: RunScript, word: ShellWord, text: string): TextEdit {
  return insert(script.positionAt(word.end, 'end'), ` ${text}`);
}

/** A fix that appends `command` so it runs last in the same RUN (undefined when there is no safe place). */
export function appendCommandFix(script: RunScript, command: string, title: string): QuickFix | undefined {
  const at = script.append;
  if (!at) return undefined;
  return { title, edits: [insert(at.position, `${at.prefix}${command}${at.suffix}`)] };
}

/** Whether `name` is set in the step's environment or assigned on the command line. */
export function envSet(ctx: LintContext, script: RunScript, invocation: Invocation, name: string): boolean {
  const step = ctx.step(script.instructionIndex);
  if (step && (Object.prototype.hasOwnProperty.call(step.env, name) || step.args[name] !== undefined)) return true;
  return invocation.command.assignments.some((a) => a.value.startsWith(name + '='));
}

/** Lines of the stage that ship in the target image only matter for size rules. */
export function shipsInImage(ctx: LintContext, stage: StageView): boolean {
  return ctx.shipsInTarget(stage.index);
}
