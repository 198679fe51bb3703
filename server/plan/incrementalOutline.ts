// Re-planning after an edit: when no FROM line and no global ARG changed, the stage graph is the
// same, so stages whose instructions are unchanged keep their outline and only edited stages
// are outlined again. Returns undefined when the graph may have changed (plan from scratch).
import type { DockerfileSyntax, InstructionNode } from '../parser/types';
import type { MetaArgs } from './metaArgs';
import { completeOutline, outlineFrom } from './stageGraph';
import type { StageOutline } from './stageGraph';
import { fromSignature, layoutOf, sameBody, sameNumbers } from './stageReuse';
import type { StageMemo } from './stageReuse';

export interface GraphMemo {
  globals: InstructionNode[];
  byName: Map<string, number>;
  stages: StageMemo[];
}

export interface IncrementalOutline {
  outlines: StageOutline[];
  layouts: number[][];
}

/** The instructions before the first FROM. */
export function globalInstructions(syntax: DockerfileSyntax): InstructionNode[] {
  const out: InstructionNode[] = [];
  for (const i of syntax.instructions) {
    if (i.name === 'FROM') break;
    out.push(i);
  }
  return out;
}

function sameInstruction(a: InstructionNode, b: InstructionNode): boolean {
  return a === b || (a.text === b.text && a.line === b.line && a.character === b.character && a.endLine === b.endLine && a.endCharacter === b.endCharacter);
}

export function outlineIncrementally(syntax: DockerfileSyntax, memo: GraphMemo, meta: MetaArgs): IncrementalOutline | undefined {
  const globals = globalInstructions(syntax);
  if (globals.length !== memo.globals.length || globals.some((g, i) => !sameInstruction(g, memo.globals[i]))) return undefined;
  const fromIndices: number[] = [];
  const all = syntax.instructions;
  for (let i = 0; i < all.length; i++) if (all[i].name === 'FROM') fromIndices.push(i);
  if (fromIndices.length !== memo.stages.length) return undefined;
  for (let s = 0; s < fromIndices.length; s++) {
    const from = all[fromIndices[s]];
    const old = memo.stages[s].outline.from;
    if (from !== old && fromSignature(from) !== fromSignature(old)) return undefined;
  }

  const outlines: StageOutline[] = [];
  const layouts: number[][] = [];
  const namesSoFar = new Map<string, number>();
  for (let s = 0; s < fromIndices.length; s++) {
    const fromIndex = fromIndices[s];
    const end = s + 1 < fromIndices.length ? fromIndices[s + 1] : syntax.instructions.length;
    const prior = memo.stages[s];
    if (identical(prior, all, fromIndex, end)) {
      outlines.push(prior.outline);
      layouts.push(prior.layout);
      if (prior.outline.name !== undefined) namesSoFar.set(prior.outline.name, s);
      continue;
    }
    const body: number[] = [];
    for (let i = fromIndex + 1; i < end; i++) body.push(i);
    const layout = layoutOf(syntax, fromIndex, body);
    const unchanged =
      prior.outline.fromIndex === fromIndex && prior.outline.from.line === all[fromIndex].line &&
      sameNumbers(prior.layout, layout) && sameBody(prior.body, body, syntax);
    if (unchanged) {
      outlines.push(prior.outline);
    } else {
      const outline = outlineFrom(syntax, syntax.instructions[fromIndex], fromIndex, s, meta, namesSoFar, outlines);
      outline.body = body;
      completeOutline(syntax, outline, memo.byName, fromIndices.length);
      outlines.push(outline);
    }
    layouts.push(layout);
    const name = outlines[s].name;
    if (name !== undefined) namesSoFar.set(name, s);
  }
  return { outlines, layouts };
}

/** The stage's instructions are the very objects the previous plan was made from. */
function identical(prior: StageMemo, all: readonly InstructionNode[], fromIndex: number, end: number): boolean {
  if (prior.outline.fromIndex !== fromIndex || prior.outline.from !== all[fromIndex] || prior.instructions.length !== end - fromIndex - 1) return false;
  for (let i = 0; i < prior.instructions.length; i++) if (prior.instructions[i] !== all[fromIndex + 1 + i]) return false;
  return true;
}
