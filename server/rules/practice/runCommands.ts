// Shared helpers for rules about what RUN executes: invocations per RUN with their stage,
// mounts of a RUN, and edits that insert options or append a command.
import type { InstructionNode, Range } from '../../parser/types';
import { insert } from '../edits';
import type { LintContext, StageView } from '../lintContext';
import { invocationOf, type Invocation } from '../shell/invocation';
import type { RunScript } from '../shell/runScript';
import type { ShellWord } from '../shell/shellCommands';
import type { QuickFix, TextEdit } from '../types';

export interface RunInvocation {
  stage: StageView;
  script: RunScript;
  invocation: Invocation;
}

interface InvocationIndex {
  all: RunInvocation[];
  byName: Map<string, RunInvocation[]>;
  byStage: Map<number, RunInvocation[]>;
  byScript: Map<number, RunInvocation[]>;
}

const indexes = new WeakMap<LintContext, InvocationIndex>();

function push<K>(map: Map<K, RunInvocation[]>, key: K, value: RunInvocation): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every invocation of every shell-form RUN, parsed once per lint run and indexed. */
function indexOf(ctx: LintContext): InvocationIndex {
  let index = indexes.get(ctx);
  if (index) return index;
  index = { all: [], byName: new Map(), byStage: new Map(), byScript: new Map() };
  for (const stage of ctx.stages) {
    for (const script of ctx.runScripts(stage)) {
      index.byScript.set(script.instructionIndex, []);
      for (const command of script.parsed().commands) {
        const invocation = invocationOf(command);
        if (!invocation) continue;
        const entry = { stage, script, invocation };
        index.all.push(entry);
        push(index.byName, invocation.name, entry);
        push(index.byStage, stage.index, entry);
        push(index.byScript, script.instructionIndex, entry);
      }
    }
  }
  indexes.set(ctx, index);
  return index;
}

/** Invocations in shell-form RUNs (of one stage, when given), in document order. */
export function runInvocations(ctx: LintContext, only?: StageView): readonly RunInvocation[] {
  const index = indexOf(ctx);
  return only ? index.byStage.get(only.index) ?? [] : index.all;
}

/** Invocations of programs whose name passes `test`, in document order. */
export function invocationsNamed(ctx: LintContext, test: (name: string) => boolean): RunInvocation[] {
  const index = indexOf(ctx);
  const out: RunInvocation[] = [];
  for (const [name, list] of index.byName) if (test(name)) out.push(...list);
  if (out.length > 1) out.sort((a, b) => a.script.instructionIndex - b.script.instructionIndex || a.invocation.command.start - b.invocation.command.start);
  return out;
}

/** The invocations of one RUN, in order. */
export function scriptInvocations(ctx: LintContext, script: RunScript): readonly RunInvocation[] {
  return indexOf(ctx).byScript.get(script.instructionIndex) ?? [];
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
