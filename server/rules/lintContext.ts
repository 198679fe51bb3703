// Everything a rule reads, computed once per document version: the syntax tree, the layer plan,
// stages with their instructions, the step of each instruction, RUN scripts, and what the
// editor knows about the build context and local images.
import type { DockerfileSyntax, InstructionNode } from '../parser/types';
import type { LayerPlan, PlannedStage, PlannedStep } from '../plan/types';
import { readPragmas, type Pragmas } from './pragmas';
import { movedRunScript, runScriptOf, type RunScript } from './shell/runScript';
import type { Finding } from './types';
import { runAllSteps as runAll } from '../steps';

/** What the local image store knows about an image (from the image catalog). */
export interface KnownImage {
  digest: string;
  /** `os/arch[/variant]`. */
  platform?: string;
  /** The image config's environment, when known (UndefinedVar stays quiet on external bases without it). */
  env?: Readonly<Record<string, string>>;
}

export interface LintOptions {
  /** `--build-arg` values from the settings. */
  buildArgs?: Readonly<Record<string, string>>;
  /** Patterns of the context's `.dockerignore`, when one exists. */
  dockerignore?: readonly string[];
  /** Context-relative paths of files that look like secrets (and are not excluded by .dockerignore). */
  contextSecrets?: readonly string[];
  /** Local image store lookup; answers at once from what is loaded. */
  images?: { find(ref: string): KnownImage | undefined };
}

export interface StageView {
  index: number;
  /** Index of the FROM instruction. */
  fromIndex: number;
  from: InstructionNode;
  /** Instructions of the stage after FROM, in order (indexes into syntax.instructions). */
  body: number[];
  /** Lower-cased stage name. */
  name?: string;
  plan?: PlannedStage;
}

/**
 * The base image reference of a stage as its plan resolved it (as written before it is planned);
 * undefined when it builds on another stage.
 */
export function plannedBaseRef(stage: StageView): string | undefined {
  const planned = stage.plan?.base;
  return planned ? (planned.kind === 'image' ? planned.ref : undefined) : stage.from.image?.value;
}

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/**
 * A stage's instructions (its FROM, then its body) and their position: the same object in every
 * later run while the stage's FROM index and instruction nodes are the same (the parser hands
 * unchanged instructions over), so work that reads only these can be kept per stage by it.
 */
export interface StageNodes {
  readonly fromIndex: number;
  readonly nodes: readonly InstructionNode[];
}

const stageNodesByFrom = new WeakMap<InstructionNode, StageNodes>();

// The parser hands unchanged instructions over between versions (the same objects), so their RUN
// scripts are kept across lint runs too, while index and shell are the same.
const scriptsByNode = new WeakMap<InstructionNode, { index: number; shell: string; script: RunScript | null }>();

export class LintContext {
  readonly instructions: readonly InstructionNode[];
  readonly stages: StageView[] = [];
  /** The stages a stage-scoped rule should check in this run (all, unless the engine reuses findings). */
  checkedStages: readonly StageView[] = [];
  /** Instructions before the first FROM. */
  get globalInstructions(): readonly number[] {
    return this.index.global;
  }
  readonly pragmas: Pragmas;
  readonly findings: Finding[] = [];
  /**
   * Instructions before the first FROM; the stage of each instruction; planned steps by
   * instruction index (holey: instructions the planner skipped have none). Taken over from the
   * context of the previous version when its stages start at the same instructions.
   */
  private index: { global: number[]; stageOf: number[]; steps: (PlannedStep | undefined)[] } = { global: [], stageOf: [], steps: [] };
  private readonly scripts = new Map<number, RunScript | null>();
  private readonly stageScripts = new Map<number, RunScript[]>();
  private readonly nodesOfStages: StageNodes[] = [];
  private shipping?: Set<number>;

  constructor(readonly syntax: DockerfileSyntax, readonly plan: LayerPlan, readonly options: LintOptions = {}) {
    this.instructions = syntax.instructions;
    this.pragmas = readPragmas(syntax);
    if (!LintContext.building) runAll(this.indexSteps());
  }

  private static building = false;

  /**
   * A context built in small steps (a few thousand instructions or one stage's steps each).
   * `previous`: the context of the version before, whose index is taken over (the stages of
   * the same instructions, the steps of the same planned stages) when the stages start where they did.
   */
  static *inSteps(syntax: DockerfileSyntax, plan: LayerPlan, options: LintOptions = {}, previous?: LintContext): Generator<void, LintContext> {
    LintContext.building = true;
    let context: LintContext;
    try {
      context = new LintContext(syntax, plan, options);
    } finally {
      LintContext.building = false;
    }
    yield;
    if (!(previous && context.indexFrom(previous))) yield* context.indexSteps();
    return context;
  }

  /** Takes the index of `previous` over when its stages start at the same instructions; false when they do not. */
  private indexFrom(previous: LintContext): boolean {
    const instructions = this.instructions;
    const before = previous.instructions;
    if (instructions.length !== before.length || this.plan.stages.length !== previous.plan.stages.length) return false;
    for (let i = 0; i < instructions.length; i++) {
      if (instructions[i] !== before[i] && (instructions[i].name === 'FROM') !== (before[i].name === 'FROM')) return false;
    }
    const { global, stageOf } = previous.index;
    const steps = previous.index.steps.slice();
    for (let k = 0; k < this.plan.stages.length; k++) {
      const planned = this.plan.stages[k];
      const old = previous.plan.stages[k];
      if (planned === old) continue;
      // A stage planned again: its instructions' steps are those of the new plan.
      for (const step of old.steps) if (steps[step.instructionIndex] === step) steps[step.instructionIndex] = undefined;
      for (const step of planned.steps) steps[step.instructionIndex] = step;
    }
    this.index = { global, stageOf, steps };
    for (const stage of previous.stages) {
      const from = instructions[stage.fromIndex];
      this.stages.push({ index: stage.index, fromIndex: stage.fromIndex, from, body: stage.body, name: from.stageName?.value.toLowerCase(), plan: this.plan.stages[stage.index] });
    }
    this.checkedStages = this.stages;
    return true;
  }

  /** Stages with their instructions, the stage of each instruction, the step of each instruction. */
  private *indexSteps(): Generator<void, void> {
    const instructions = this.instructions;
    const { global, stageOf, steps } = this.index;
    for (let i = 0; i < instructions.length; i++) {
      const instruction = instructions[i];
      if (instruction.name === 'FROM') {
        const index = this.stages.length;
        this.stages.push({ index, fromIndex: i, from: instruction, body: [], name: instruction.stageName?.value.toLowerCase(), plan: this.plan.stages[index] });
        stageOf[i] = index;
      } else if (this.stages.length === 0) {
        global.push(i);
        stageOf[i] = -1;
      } else {
        this.stages[this.stages.length - 1].body.push(i);
        stageOf[i] = this.stages.length - 1;
      }
      if (i % 2048 === 2047) yield;
    }
    for (const stage of this.plan.stages) {
      for (const step of stage.steps) steps[step.instructionIndex] = step;
      yield;
    }
    this.checkedStages = this.stages;
  }

  report(finding: Finding): void {
    this.findings.push(finding);
  }

  /** The planned step of an instruction (undefined when the planner skipped it). */
  step(instructionIndex: number): PlannedStep | undefined {
    return this.index.steps[instructionIndex];
  }

  /** Stage index of an instruction; -1 before the first FROM. */
  stageIndexOf(instructionIndex: number): number {
    return this.index.stageOf[instructionIndex] ?? -1;
  }

  /** The stage this stage is built on (`FROM <stage>`), when the plan knows it. */
  baseStage(stage: StageView): StageView | undefined {
    const base = stage.plan?.base;
    if (base?.kind === 'stage' && base.stageIndex < stage.index) return this.stages[base.stageIndex];
    if (!stage.plan) {
      // No plan: resolve `FROM name` against earlier stage names ourselves.
      const ref = stage.from.image?.value.toLowerCase();
      for (let i = stage.index - 1; i >= 0; i--) if (ref !== undefined && this.stages[i].name === ref) return this.stages[i];
    }
    return undefined;
  }

  /** The stage and its ancestors through `FROM <stage>`, nearest first. */
  stageChain(stage: StageView): StageView[] {
    const chain = [stage];
    const seen = new Set([stage.index]);
    for (let s = this.baseStage(stage); s && !seen.has(s.index); s = this.baseStage(s)) {
      chain.push(s);
      seen.add(s.index);
    }
    return chain;
  }

  /** The stage's instructions as a `StageNodes`, the one of an earlier run when they are unchanged (compared node by node). */
  stageNodes(stage: StageView): StageNodes {
    let made = this.nodesOfStages[stage.index];
    if (made) return made;
    const instructions = this.instructions;
    const kept = stageNodesByFrom.get(stage.from);
    if (kept && kept.fromIndex === stage.fromIndex && kept.nodes.length === stage.body.length + 1) {
      let same = true;
      for (let k = 0; k < stage.body.length && same; k++) same = kept.nodes[k + 1] === instructions[stage.body[k]];
      if (same) made = kept;
    }
    if (!made) {
      made = { fromIndex: stage.fromIndex, nodes: [stage.from, ...stage.body.map((i) => instructions[i])] };
      stageNodesByFrom.set(stage.from, made);
    }
    return (this.nodesOfStages[stage.index] = made);
  }

  /** Whether the stage's filesystem ends up in the target image (the target or one of its FROM ancestors). */
  shipsInTarget(stageIndex: number): boolean {
    if (!this.shipping) {
      this.shipping = new Set();
      const target = this.plan.targetStage >= 0 && this.plan.stages.length > 0 ? this.plan.targetStage : this.stages.length - 1;
      const stage = this.stages[target];
      if (stage) for (const s of this.stageChain(stage)) this.shipping.add(s.index);
    }
    return this.shipping.has(stageIndex);
  }

  /** The shell a RUN uses: the planned step's, else the last SHELL before it in the stage chain. */
  shellOf(instructionIndex: number): readonly string[] {
    const step = this.step(instructionIndex);
    if (step && step.shell.length > 0) return step.shell;
    const stage = this.stages[this.stageIndexOf(instructionIndex)];
    if (!stage) return DEFAULT_SHELL;
    for (const s of this.stageChain(stage)) {
      for (let k = s.body.length - 1; k >= 0; k--) {
        const i = s.body[k];
        if (s === stage && i >= instructionIndex) continue;
        const instruction = this.instructions[i];
        if (instruction.name === 'SHELL' && instruction.form === 'exec') return instruction.args.map((a) => a.value);
      }
    }
    return DEFAULT_SHELL;
  }

  /** The shell script of a shell-form RUN (cached); undefined for exec form or non-POSIX shells. */
  runScript(instructionIndex: number): RunScript | undefined {
    let script = this.scripts.get(instructionIndex);
    if (script === undefined) {
      const instruction = this.instructions[instructionIndex];
      if (this.pragmas.nonPosixShell || instruction?.name !== 'RUN') {
        script = null;
      } else {
        const shell = this.shellOf(instructionIndex);
        const shellKey = shell.join('\u0000');
        const kept = scriptsByNode.get(instruction);
        if (kept && kept.index === instructionIndex && kept.shell === shellKey) {
          script = kept.script;
        } else {
          script = runScriptOf(instruction, instructionIndex, shell) ?? null;
          scriptsByNode.set(instruction, { index: instructionIndex, shell: shellKey, script });
        }
      }
      this.scripts.set(instructionIndex, script);
    }
    return script ?? undefined;
  }

  /**
   * The script of the RUN at `instructionIndex` taken over from `earlier`, the script of the same RUN
   * in an earlier version `lines` lines up or down, when its stage's text is unchanged (the RUN's
   * instruction is then a moved copy, whose parts a new script would build again); cached as
   * `runScript`, for this version only (a stage that stays put takes its part's scripts over whole).
   */
  takeOverRunScript(instructionIndex: number, earlier: RunScript, lines: number): RunScript | undefined {
    let script = this.scripts.get(instructionIndex);
    if (script === undefined) {
      script = movedRunScript(earlier, lines, instructionIndex);
      this.scripts.set(instructionIndex, script);
    }
    return script ?? undefined;
  }

  /** Reads and parses the RUN scripts of a stage a few at a time (cached for `runScript` and `runScripts`). */
  *runScriptsInSteps(stage: StageView): Generator<void, void> {
    if (this.stageScripts.has(stage.index)) return;
    let parsed = 0;
    for (const i of stage.body) {
      if (this.instructions[i].name !== 'RUN' || this.scripts.has(i)) continue;
      this.runScript(i)?.parsed();
      if (++parsed % 8 === 0) yield;
    }
  }

  /** Every shell-form RUN of a stage, in order, with its script (cached). */
  runScripts(stage: StageView): readonly RunScript[] {
    let list = this.stageScripts.get(stage.index);
    if (!list) {
      list = [];
      for (const i of stage.body) {
        if (this.instructions[i].name !== 'RUN') continue;
        const script = this.runScript(i);
        if (script) list.push(script);
      }
      this.stageScripts.set(stage.index, list);
    }
    return list;
  }
}
