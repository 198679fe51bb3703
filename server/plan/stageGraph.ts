// The stages of a Dockerfile before their steps are planned: names, FROM bases (image, earlier
// stage or scratch) expanded with the global args, platforms, the edges from COPY --from and
// RUN --mount from=, and which stages the target needs.
import type { DockerfileSyntax, InstructionNode, Range } from '../parser/types';
import { WordExpander } from './expandWords';
import { normalizeImageRef } from './imageRef';
import type { MetaArgs } from './metaArgs';
import { formatPlatform, parsePlatform } from './platform';
import type { PlanProblem, StageBase, VariableUse } from './types';

export interface StageOutline {
  index: number;
  name?: string;
  nameRange?: Range;
  from: InstructionNode;
  fromIndex: number;
  /** Indices (into syntax.instructions) of the stage's instructions after FROM. */
  body: number[];
  /** The base as written after expansion. */
  baseName: string;
  base: StageBase;
  /** Explicit `--platform`, expanded and normalized. */
  platform?: string;
  fromUses: VariableUse[];
  /** Stages this one needs (base stage, COPY --from, RUN --mount from=), earlier ones only. */
  needs: number[];
  /** Every stage index its COPY --from / RUN --mount from= name (later ones included). */
  references: number[];
  reachable: boolean;
  range: Range;
  /** Problems of the FROM line (expansion, base name, platform). */
  problems: PlanProblem[];
}

export interface StageGraph {
  stages: StageOutline[];
  /** Final name map (BuildKit resolves COPY --from against it): lower-case name -> index. */
  byName: Map<string, number>;
  target: number;
}

export function outlineStages(syntax: DockerfileSyntax, meta: MetaArgs, target: string | undefined, problems: PlanProblem[]): StageGraph {
  const stages: StageOutline[] = [];
  const byName = new Map<string, number>();
  syntax.instructions.forEach((instruction, i) => {
    if (instruction.name === 'FROM') {
      const stage = outlineFrom(syntax, instruction, i, stages.length, meta, byName, stages);
      if (stage.name !== undefined) byName.set(stage.name, stage.index);
      stages.push(stage);
    } else if (stages.length > 0) stages[stages.length - 1].body.push(i);
  });
  for (const stage of stages) completeOutline(syntax, stage, byName, stages.length);
  const targetIndex = findTarget(stages, target, problems);
  const reachable = reachableStages(stages, targetIndex);
  for (const stage of stages) stage.reachable = reachable[stage.index];
  return { stages, byName, target: targetIndex };
}

/** Fills an outline's range and the stages its instructions refer to (once `body` is known). */
export function completeOutline(syntax: DockerfileSyntax, stage: StageOutline, byName: Map<string, number>, stageCount: number): void {
  const last = stage.body.length > 0 ? syntax.instructions[stage.body[stage.body.length - 1]] : stage.from;
  stage.range = { start: stage.from.range.start, end: last.range.end };
  if (stage.base.kind === 'stage') stage.needs.push(stage.base.stageIndex);
  for (const i of stage.body) {
    const instruction = syntax.instructions[i];
    if (instruction.flags.length === 0) continue;
    for (const ref of referencedStages(instruction, byName, stageCount)) {
      stage.references.push(ref);
      if (ref < stage.index) stage.needs.push(ref);
    }
  }
}

/** The outline of one stage from its FROM line, given the stages before it. */
export function outlineFrom(
  syntax: DockerfileSyntax, from: InstructionNode, fromIndex: number, index: number, meta: MetaArgs,
  byName: Map<string, number>, stages: StageOutline[],
): StageOutline {
  const problems: PlanProblem[] = [];
  const expander = new WordExpander(from, syntax.escapeChar);
  const written = from.image?.value ?? '';
  const baseName = from.image ? expander.word(from.image, meta.scope) : '';
  const stage: StageOutline = {
    index, fromIndex, from, body: [], baseName, base: { kind: 'scratch' }, fromUses: expander.uses, needs: [], references: [], reachable: false, range: from.range, problems,
  };
  if (from.stageName) {
    stage.name = from.stageName.value.toLowerCase();
    stage.nameRange = from.stageName.range;
  }
  const platformFlag = from.flags.filter((f) => f.name === 'platform').pop();
  if (platformFlag?.value !== undefined) {
    const where = platformFlag.valueRange ?? platformFlag.range;
    const value = expander.value(platformFlag.value, where, meta.scope);
    const parsed = value === '' ? `empty platform value from expression ${platformFlag.value}` : parsePlatform(value);
    if (typeof parsed === 'string') problems.push({ range: where, message: value === '' ? parsed : `failed to parse platform ${platformFlag.value}: ${parsed}`, code: 'invalid-platform', severity: 'error' });
    else stage.platform = formatPlatform(parsed);
  }
  problems.push(...expander.problems);
  if (from.image && baseName === '') {
    problems.push({ range: from.image.range, message: `base name (${written}) should not be blank`, code: 'blank-base', severity: 'error' });
  } else if (baseName === 'scratch') {
    stage.base = { kind: 'scratch' };
  } else if (byName.has(baseName)) {
    const baseIndex = byName.get(baseName) as number;
    stage.base = { kind: 'stage', stageIndex: baseIndex, name: baseName };
    stage.platform = stage.platform ?? stages[baseIndex].platform;
  } else if (from.image) {
    const ref = normalizeImageRef(baseName);
    if (typeof ref === 'string') {
      problems.push({ range: from.image.range, message: `failed to parse stage name "${baseName}": ${ref}`, code: 'invalid-image-ref', severity: 'error' });
      stage.base = { kind: 'image', ref: baseName };
    } else {
      stage.base = { kind: 'image', ref: ref.normalized };
    }
  }
  return stage;
}

/** Stage indices named by COPY --from / RUN --mount from= (neither expands variables). */
export function referencedStages(instruction: InstructionNode, byName: Map<string, number>, count: number): number[] {
  const out: number[] = [];
  const resolve = (value: string) => {
    const index = /^[0-9]+$/.test(value) ? Number(value) : byName.get(value.toLowerCase());
    if (index !== undefined && index < count) out.push(index);
  };
  for (const flag of instruction.flags) {
    if (instruction.name === 'COPY' && flag.name === 'from' && flag.value) resolve(flag.value);
    if (instruction.name === 'RUN' && flag.name === 'mount') {
      for (const o of flag.options ?? []) if (o.key.toLowerCase() === 'from' && o.value) resolve(o.value);
    }
  }
  return out;
}

export function findTarget(stages: StageOutline[], target: string | undefined, problems: PlanProblem[]): number {
  if (stages.length === 0) return -1;
  if (target === undefined || target === '') return stages.length - 1;
  const byName = stages.filter((s) => s.name === target.toLowerCase()).pop();
  if (byName) return byName.index;
  if (/^[0-9]+$/.test(target) && Number(target) < stages.length) return Number(target);
  const zero = { line: 0, character: 0 };
  problems.push({ range: { start: zero, end: zero }, message: `target stage "${target}" could not be found`, code: 'unknown-target', severity: 'error' });
  return stages.length - 1;
}

/** Which stages building `target` needs (by index). */
export function reachableStages(stages: StageOutline[], target: number): boolean[] {
  const reach = stages.map(() => false);
  const stack = target >= 0 ? [target] : [];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (reach[i] || !stages[i]) continue;
    reach[i] = true;
    for (const n of stages[i].needs) stack.push(n);
  }
  return reach;
}
