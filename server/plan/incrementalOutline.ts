// Re-planning after an edit: when no FROM line and no global ARG changed, the stage graph is the
// same, so stages whose instructions are unchanged keep their outline and only edited stages
// are outlined again. Returns undefined when the graph may have changed (plan from scratch).
import { movedRange } from '../parser/textSegments';
import type { DockerfileSyntax, InstructionNode, Range } from '../parser/types';
import type { MetaArgs } from './metaArgs';
import { completeOutline, outlineFrom } from './stageGraph';
import type { StageOutline } from './stageGraph';
import { fromSignature, layoutOf, sameBody, sameNumbers } from './stageReuse';
import type { StageMemo } from './stageReuse';

export interface GraphMemo {
  globals: InstructionNode[];
  byName: Map<string, number>;
  stages: StageMemo[];
  /** The instruction list planned (a re-parse shares its unchanged instructions by identity). */
  instructions: readonly InstructionNode[];
  /** Index of each stage's FROM in `instructions`. */
  fromIndices: number[];
  /** Each stage's outline and layout (flat, so that taking a stage over reads no memo). */
  outlines: StageOutline[];
  layouts: number[][];
}

/**
 * Where the instruction lists differ: `[start, end)` in the new list, `[start, oldEnd)` in the old
 * one; outside it both hold the very same objects (compared by identity: no instruction is read).
 */
interface ChangedWindow {
  start: number;
  end: number;
  oldEnd: number;
}

function changedWindow(all: readonly InstructionNode[], old: readonly InstructionNode[]): ChangedWindow {
  const n = Math.min(all.length, old.length);
  let start = 0;
  while (start < n && all[start] === old[start]) start++;
  let end = all.length;
  let oldEnd = old.length;
  while (end > start && oldEnd > start && all[end - 1] === old[oldEnd - 1]) {
    end--;
    oldEnd--;
  }
  return { start, end, oldEnd };
}

/** The FROM indices of `all`: the old ones outside the changed window (shifted after it), found inside it. */
function fromIndicesOf(all: readonly InstructionNode[], memo: GraphMemo, w: ChangedWindow): number[] {
  const out: number[] = [];
  const old = memo.fromIndices;
  let k = 0;
  while (k < old.length && old[k] < w.start) out.push(old[k++]);
  for (let i = w.start; i < w.end; i++) if (all[i].name === 'FROM') out.push(i);
  while (k < old.length && old[k] < w.oldEnd) k++;
  const shift = w.end - w.oldEnd;
  while (k < old.length) out.push(old[k++] + shift);
  return out;
}

export interface IncrementalOutline {
  outlines: StageOutline[];
  layouts: number[][];
  fromIndices: number[];
  /** 1 where a stage's body has the previous stage's instruction texts (so its signatures need no second look). */
  sameBodies: Uint8Array;
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

/**
 * The stage graph of `syntax` from the previous plan's (`memo`): stages whose instructions are the
 * same objects are taken over, moved ones are moved, changed ones outlined again; undefined when a
 * global instruction or a FROM changed. Pauses (yields) after each stage it had to look into.
 */
export function* outlineIncrementallyInSteps(syntax: DockerfileSyntax, memo: GraphMemo, meta: MetaArgs): Generator<void, IncrementalOutline | undefined, void> {
  const globals = globalInstructions(syntax);
  if (globals.length !== memo.globals.length || globals.some((g, i) => !sameInstruction(g, memo.globals[i]))) return undefined;
  const all = syntax.instructions;
  const window = changedWindow(all, memo.instructions);
  const fromIndices = fromIndicesOf(all, memo, window);
  if (fromIndices.length !== memo.stages.length) return undefined;
  for (let s = 0; s < fromIndices.length; s++) {
    // FROMs outside the window are the previous objects, in the same order.
    if (fromIndices[s] < window.start) continue;
    if (fromIndices[s] >= window.end) break;
    const from = all[fromIndices[s]];
    const old = memo.stages[s].outline.from;
    if (from !== old && fromSignature(from) !== fromSignature(old)) return undefined;
  }

  const outlines: StageOutline[] = [];
  const layouts: number[][] = [];
  const sameBodies = new Uint8Array(fromIndices.length);
  // Names of the stages so far, for outlining a stage again (built on first need).
  let namesSoFar: Map<string, number> | undefined;
  const oldFrom = memo.fromIndices;
  const untouched = (fromIndex: number, end: number) => end <= window.start || (fromIndex >= window.end && window.end === window.oldEnd);
  for (let s = 0; s < fromIndices.length; s++) {
    const fromIndex = fromIndices[s];
    const end = s + 1 < fromIndices.length ? fromIndices[s + 1] : all.length;
    const oldEnd = s + 1 < oldFrom.length ? oldFrom[s + 1] : memo.instructions.length;
    if (oldFrom[s] === fromIndex && oldEnd === end && untouched(fromIndex, end)) {
      // The same instruction objects at the same places: the previous outline as it is.
      outlines.push(memo.outlines[s]);
      layouts.push(memo.layouts[s]);
      sameBodies[s] = 1;
      if (namesSoFar && memo.outlines[s].name !== undefined) namesSoFar.set(memo.outlines[s].name as string, s);
      continue;
    }
    const prior = memo.stages[s];
    if (identical(prior, all, fromIndex, end)) {
      outlines.push(prior.outline);
      layouts.push(prior.layout);
      sameBodies[s] = 1;
      if (namesSoFar && prior.outline.name !== undefined) namesSoFar.set(prior.outline.name, s);
      continue;
    }
    const body: number[] = [];
    for (let i = fromIndex + 1; i < end; i++) body.push(i);
    const layout = layoutOf(syntax, fromIndex, body);
    // Every FROM has its previous text (checked above), so the same body is the same stage: where it
    // was, or moved (lines inserted or removed above it or between its instructions). What an outline
    // holds depends on the FROM line and the body's text only, besides its range.
    const same = sameBody(prior.body, body, syntax);
    sameBodies[s] = same ? 1 : 0;
    if (same && sameNumbers(prior.layout, layout) && prior.outline.fromIndex === fromIndex && prior.outline.from.line === all[fromIndex].line) {
      outlines.push(prior.outline);
    } else if (same) {
      outlines.push(moved(prior.outline, all[fromIndex], fromIndex, body, syntax));
    } else {
      // The same FROM object (so the same line and text, and every FROM before it unchanged): its
      // name, base and platform are the previous ones; only the body is new.
      const outline = prior.outline.from === all[fromIndex]
        ? rebodied(prior.outline, fromIndex)
        : outlineFrom(syntax, all[fromIndex], fromIndex, s, meta, (namesSoFar ??= namesOf(outlines)), outlines);
      outline.body = body;
      completeOutline(syntax, outline, memo.byName, fromIndices.length);
      outlines.push(outline);
    }
    layouts.push(layout);
    const name = outlines[s].name;
    if (namesSoFar && name !== undefined) namesSoFar.set(name, s);
    yield;
  }
  return { outlines, layouts, fromIndices, sameBodies };
}

/** A copy of an outline before its body is filled in (the fields outlineFrom sets, in its order). */
function rebodied(o: StageOutline, fromIndex: number): StageOutline {
  const out: StageOutline = {
    index: o.index, fromIndex, from: o.from, body: [], baseName: o.baseName, base: o.base, fromUses: o.fromUses, needs: [], references: [],
    reachable: false, range: o.from.range, problems: o.problems,
  };
  if (o.name !== undefined) {
    out.name = o.name;
    out.nameRange = o.nameRange;
  }
  if (o.platform !== undefined) out.platform = o.platform;
  return out;
}

/** An outline moved to `from`, lines away from its previous FROM, with the same instructions after it (none read again). */
function moved(o: StageOutline, from: InstructionNode, fromIndex: number, body: number[], syntax: DockerfileSyntax): StageOutline {
  const delta = from.line - o.from.line;
  const shift = (r: Range): Range => movedRange(r, delta);
  const last = body.length > 0 ? syntax.instructions[body[body.length - 1]] : from;
  const out: StageOutline = {
    index: o.index, fromIndex, from, body, baseName: o.baseName, base: o.base, fromUses: o.fromUses.map((u) => ({ ...u, range: shift(u.range) })),
    needs: o.needs, references: o.references, reachable: o.reachable, range: { start: from.range.start, end: last.range.end },
    problems: o.problems.map((p) => ({ ...p, range: shift(p.range) })),
  };
  if (o.name !== undefined) {
    out.name = o.name;
    out.nameRange = o.nameRange && shift(o.nameRange);
  }
  if (o.platform !== undefined) out.platform = o.platform;
  return out;
}

/** Stage name -> index of the last stage so named. */
function namesOf(outlines: readonly StageOutline[]): Map<string, number> {
  const names = new Map<string, number>();
  for (let s = 0; s < outlines.length; s++) {
    const name = outlines[s].name;
    if (name !== undefined) names.set(name, s);
  }
  return names;
}

/** The stage's instructions are the very objects the previous plan was made from. */
function identical(prior: StageMemo, all: readonly InstructionNode[], fromIndex: number, end: number): boolean {
  if (prior.outline.fromIndex !== fromIndex || prior.outline.from !== all[fromIndex] || prior.instructions.length !== end - fromIndex - 1) return false;
  for (let i = 0; i < prior.instructions.length; i++) if (prior.instructions[i] !== all[fromIndex + 1 + i]) return false;
  return true;
}
