// BuildKit's casing checks: StageNameCasing, FromAsCasing, ConsistentInstructionCasing.
import { isLowerOrUpper, matchCase, replace } from '../edits';
import type { LintContext, StageNodes } from '../lintContext';
import type { Finding } from '../types';
import { runAllSteps } from '../../steps';
import { buildkitDocs, type Rule } from '../rule';

export const stageNameCasing: Rule = {
  meta: {
    code: 'StageNameCasing',
    title: 'Stage names should be lowercase',
    explanation: 'Stage names are case-insensitive; writing them in lower case keeps references consistent and readable.',
    fix: 'Write the stage name in lower case.',
    href: buildkitDocs('StageNameCasing'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.stages) {
      const name = stage.from.stageName;
      if (!name || stage.from.args.length !== 3 || name.value === name.value.toLowerCase()) continue;
      ctx.report({
        code: 'StageNameCasing',
        range: name.range,
        message: `Stage name '${name.value}' should be lowercase`,
        instructionIndex: stage.fromIndex,
        fixes: [{ title: `Rename stage to '${name.value.toLowerCase()}'`, edits: [replace(name.range, name.value.toLowerCase())], preferred: true }],
      });
    }
  },
};

export const fromAsCasing: Rule = {
  meta: {
    code: 'FromAsCasing',
    title: "The 'as' keyword should match the case of the 'from' keyword",
    explanation: 'Mixing `FROM` with `as` (or `from` with `AS`) reads as a typo; keywords of one instruction share a case.',
    fix: "Write 'AS' in the case of 'FROM'.",
    href: buildkitDocs('FromAsCasing'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.stages) {
      const from = stage.from.keyword.text;
      const as = stage.from.asKeyword;
      if (!as || stage.from.args.length < 3 || !isLowerOrUpper(from)) continue;
      if (as.value === matchCase(from, as.value)) continue;
      const fixed = matchCase(from, as.value);
      ctx.report({
        code: 'FromAsCasing',
        range: as.range,
        message: `'${as.value}' and '${from}' keywords' casing do not match`,
        instructionIndex: stage.fromIndex,
        fixes: [{ title: `Change '${as.value}' to '${fixed}'`, edits: [replace(as.range, fixed)], preferred: true }],
      });
    }
  },
};

export const consistentInstructionCasing: Rule = {
  meta: {
    code: 'ConsistentInstructionCasing',
    title: 'All commands within the Dockerfile should use the same casing (either upper or lower)',
    explanation: 'Instructions are case-insensitive, but mixed casing makes a Dockerfile harder to read and search.',
    fix: 'Write the instruction in the case most instructions of the file use.',
    href: buildkitDocs('ConsistentInstructionCasing'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    runAllSteps(consistentCasingSteps(ctx));
  },
  checkInSteps: consistentCasingSteps,
};

/** Instructions per step of ConsistentInstructionCasing. */
const STEP = 2048;

/** A stage's keyword counts and its findings under either majority, kept per `StageNodes` (an edit recounts only its stage). */
interface StageCasing {
  lower: number;
  upper: number;
  findings: { lower?: Finding[]; upper?: Finding[] };
}

const casingOf = new WeakMap<StageNodes, StageCasing>();

function countCasing(nodes: StageNodes): StageCasing {
  let lower = 0;
  let upper = 0;
  for (const node of nodes.nodes) {
    const text = node.keyword.text;
    const hasLower = /[a-z]/.test(text);
    const hasUpper = /[A-Z]/.test(text);
    if (hasLower && hasUpper) continue;
    if (hasLower) lower++;
    else upper++;
  }
  return { lower, upper, findings: {} };
}

function casingFindings(nodes: StageNodes, majorityLower: boolean): Finding[] {
  const out: Finding[] = [];
  for (let k = 0; k < nodes.nodes.length; k++) {
    const keyword = nodes.nodes[k].keyword;
    if (majorityLower ? !/[A-Z]/.test(keyword.text) : !/[a-z]/.test(keyword.text)) continue;
    const wanted = majorityLower ? keyword.text.toLowerCase() : keyword.text.toUpperCase();
    out.push({
      code: 'ConsistentInstructionCasing',
      range: keyword.range,
      message: `Command '${keyword.text}' should match the case of the command majority (${majorityLower ? 'lowercase' : 'uppercase'})`,
      instructionIndex: nodes.fromIndex + k,
      fixes: [{ title: `Change '${keyword.text}' to '${wanted}'`, edits: [replace(keyword.range, wanted)], preferred: true }],
    });
  }
  return out;
}

function* consistentCasingSteps(ctx: LintContext): Generator<void, void> {
  // BuildKit counts the instructions of stages (global ARGs before the first FROM are not counted).
  const stages: StageCasing[] = [];
  let lower = 0;
  let upper = 0;
  let counted = 0;
  for (const stage of ctx.stages) {
    const nodes = ctx.stageNodes(stage);
    let casing = casingOf.get(nodes);
    if (!casing) {
      casingOf.set(nodes, (casing = countCasing(nodes)));
      if ((counted += nodes.nodes.length) >= STEP) {
        counted = 0;
        yield;
      }
    }
    stages.push(casing);
    lower += casing.lower;
    upper += casing.upper;
  }
  const majorityLower = lower > upper;
  for (let s = 0; s < stages.length; s++) {
    const casing = stages[s];
    // A stage written all in the majority's case has nothing to report.
    if ((majorityLower ? casing.upper : casing.lower) === 0 && casing.lower + casing.upper === ctx.stageNodes(ctx.stages[s]).nodes.length) continue;
    const key = majorityLower ? 'lower' : 'upper';
    let findings = casing.findings[key];
    if (!findings) {
      findings = casing.findings[key] = casingFindings(ctx.stageNodes(ctx.stages[s]), majorityLower);
      yield;
    }
    for (const f of findings) ctx.report(f);
  }
}
