// Runs every enabled rule over a parsed and planned Dockerfile and merges the findings with the
// parser's and planner's own problems (and shellcheck's, when they are ready) into one list:
// suppressions and severities applied, duplicates of one problem removed.
import { createHash } from 'crypto';
import { sourceLinesOf } from '../parser/parseDockerfile';
import { lineStartOffsets, type SourceLines } from '../parser/sourceLines';
import { movedRange } from '../parser/textSegments';
import type { DockerfileSyntax, Range } from '../parser/types';
import type { LayerPlan, PlannedStage, PlannedStep } from '../plan/types';
import { defaultCheckConfig, parseCheckDirective, type CheckConfig } from './checkDirective';
import { LintContext, plannedBaseRef, type LintOptions, type StageNodes, type StageView } from './lintContext';
import { SuppressionPolicy } from './policy';
import { instructionIndexAt } from './pragmas';
import { allRules, ruleMeta } from './registry';
import type { Rule } from './rule';
import type { Finding, QuickFix, RuleSeverity } from './types';
import { runAllSteps } from '../steps';
import { runStepsInTurns } from '../turns';
import { stageInvocationsInSteps } from './practice/runCommands';

export interface LintInput {
  syntax: DockerfileSyntax;
  plan: LayerPlan;
  /**
   * The text parsed: stage signatures then read each stage's text instead of its instruction
   * nodes, so a stage that lines typed above it moved (its instructions parsed anew) keeps its
   * findings, moved.
   */
  text?: string;
}

export interface LintSettings {
  /** `layerlens.diagnostics.severity`: code (ours, BuildKit's, DL or SC) -> severity or `off`. */
  severity?: Readonly<Record<string, string>>;
}

/** A problem ready to be shown: suppressions and severity applied. */
export interface LintProblem {
  code: string;
  range: Range;
  message: string;
  severity: RuleSeverity;
  source: 'layerlens' | 'shellcheck';
  href?: string;
  tag?: 'deprecated' | 'unnecessary';
  fixes: QuickFix[];
  instructionIndex?: number;
}

/** A finding from outside the rules (parser, planner, shellcheck) before policy is applied. */
export interface ExternalFinding extends Omit<Finding, 'fixes'> {
  fixes?: QuickFix[];
  severity: RuleSeverity;
  source: 'layerlens' | 'shellcheck';
  href?: string;
}

/**
 * The findings of stage-scoped rules for one stage signature, by rule code, and where the stage's
 * FROM was (its instruction index): a stage whose instructions moved (a line typed into an earlier
 * stage) keeps its signature, and its findings are taken over with their instruction indexes moved.
 */
export interface StageChecks {
  fromIndex: number;
  /** The lines of the stage's instructions (its FROM's first line to its last instruction's last line). */
  fromLine: number;
  toLine: number;
  byCode: Map<string, Finding[]>;
}

export interface RuleRun {
  context: LintContext;
  policy: SuppressionPolicy;
  check: CheckConfig;
  /** Raw findings of the rules (before policy). */
  findings: Finding[];
  /** Problems of the `# check=` directive itself. */
  directiveProblems: ExternalFinding[];
  /** Findings of stage-scoped rules per stage signature and rule code, for reuse by the next run. */
  stageFindings: Map<string, StageChecks>;
  /** Each stage's signature (by stage index): equal signatures mean the stage and what it reads are unchanged. */
  signatures: readonly string[];
  /** Stage-scoped rule checks run (rule x stage) and reused in this run. */
  stageChecks: { run: number; reused: number };
  /** Findings of each rule that ran (or was taken over), for a later run on the same input with sizes. */
  byRule: Map<Rule, Finding[]>;
  /** Rules whose findings were taken over from a lint of the same syntax and plan without sizes. */
  carried: number;
  elapsedMs: number;
}

// Identity numbers of syntax nodes: the parser hands unchanged instructions over between
// versions, so equal numbers mean "this instruction did not change".
const nodeIds = new WeakMap<object, number>();
let nextNodeId = 0;

function idOf(node: object): number {
  let id = nodeIds.get(node);
  if (id === undefined) nodeIds.set(node, (id = ++nextNodeId));
  return id;
}

/** A signature as kept in run keys: its digest (the text is ~3,500 characters for a stage of 560 instructions, per rule and run). */
function digestOf(signature: string): string {
  return createHash('sha256').update(signature).digest('base64');
}

const ownParts = new WeakMap<StageNodes, string>();

/**
 * The digest of a stage's FROM and body instructions (by identity), kept per `StageNodes`: after
 * an edit only the edited stage's part is made again. Not their instruction indexes: nodes are the
 * same objects only on the same lines, so findings differ only in instruction indexes when the
 * stage moved by whole instructions (see StageChecks).
 */
function ownPartOf(context: LintContext, stage: StageView): string {
  const nodes = context.stageNodes(stage);
  let digest = ownParts.get(nodes);
  if (digest === undefined) ownParts.set(nodes, (digest = digestOf(nodes.nodes.map(idOf).join('.'))));
  return digest;
}

const textParts = new WeakMap<StageNodes, string>();

/**
 * With the document's text: the digest of the stage's text (its FROM's first line to its last
 * instruction's last line), kept per `StageNodes`. Parsing starts afresh at a FROM, so equal text
 * (with the same escape character and directives, in the document part) means instructions equal
 * but for their lines, which moved by as many as the FROM did.
 */
function textPartOf(context: LintContext, stage: StageView, text: string, lineStart: (line: number) => number): string {
  const nodes = context.stageNodes(stage);
  let digest = textParts.get(nodes);
  if (digest === undefined) {
    const { fromLine, toLine } = linesOf(context, stage);
    textParts.set(nodes, (digest = digestOf(text.slice(lineStart(fromLine), lineStart(toLine + 1)))));
  }
  return digest;
}

/** The lines of a stage's instructions: its FROM's first line to its last instruction's last line. */
function linesOf(context: LintContext, stage: StageView): { fromLine: number; toLine: number } {
  const last = stage.body.length > 0 ? context.instructions[stage.body[stage.body.length - 1]] : stage.from;
  return { fromLine: stage.from.range.start.line, toLine: last.range.end.line };
}

/**
 * Where each line of `text` starts (the offset after each line break): the parse's own line table
 * (`lines`), else one made when first asked.
 */
function lineStarts(text: string, lines: SourceLines | undefined): (line: number) => number {
  let starts: ArrayLike<number> | undefined = lines?.starts;
  return (line) => {
    starts ??= lineStartOffsets(text);
    return line < starts.length ? starts[line] : text.length;
  };
}

/**
 * What a stage-scoped rule's findings for a stage depend on: the stage's and its FROM ancestors'
 * instructions (by identity), the stage's index, the global ARGs, the target, the platforms and
 * the lint options. Equal signatures mean equal findings, but for instruction indexes when the
 * stage's FROM moved (see StageChecks). One step per stage.
 */
function* stageSignatureSteps(context: LintContext, options: LintOptions, text?: string): Generator<void, string[]> {
  const plan = context.plan;
  const syntax = context.syntax;
  const documentPart = [
    context.globalInstructions.map((i) => idOf(context.instructions[i])).join('.'),
    plan.targetStage, plan.targetPlatform, plan.buildPlatform, context.pragmas.nonPosixShell ? 1 : 0,
    JSON.stringify([options.buildArgs ?? {}, options.dockerignore ?? null, options.contextSecrets ?? null, syntax.escapeChar, syntax.directives.map((d) => [d.name, d.value])]),
  ].join('|');
  // Each stage's own part once (a chain repeats its ancestors' parts).
  const own: string[] = [];
  const lineStart = text === undefined ? undefined : lineStarts(text, sourceLinesOf(syntax));
  const partOf = (s: StageView) => (text !== undefined && lineStart ? textPartOf(context, s, text, lineStart) : ownPartOf(context, s));
  const ownPart = (s: StageView) => (own[s.index] ??= `${partOf(s)}:${baseImagePart(s, options)}`);
  const out: string[] = [];
  for (const stage of context.stages) {
    out.push(digestOf(`${stage.index}|${context.stageChain(stage).map(ownPart).join('/')}|${context.shipsInTarget(stage.index) ? 1 : 0}|${documentPart}`));
    yield;
  }
  return out;
}

/**
 * What the local store knows of a stage's base image: rules read its env (UndefinedVar), platform
 * and digest, so an image pulled or removed changes the findings of the stages built on it.
 */
function baseImagePart(stage: StageView, options: LintOptions): string {
  const ref = plannedBaseRef(stage);
  return (ref !== undefined && options.images?.find(ref)?.digest) || '';
}

/**
 * What a size-reading stage rule's findings depend on besides the stage signature: the predicted,
 * measured and wasted bytes of the steps of the stage and its FROM ancestors. One step per stage.
 */
function* sizeSignatureSteps(context: LintContext, signatures: string[]): Generator<void, string[]> {
  const out: string[] = [];
  for (const stage of context.stages) {
    const hash = createHash('sha256').update(signatures[stage.index]);
    for (const s of context.stageChain(stage)) if (s.plan) hash.update(bytesPartOf(s.plan));
    out.push(hash.digest('base64'));
    yield;
  }
  return out;
}

/**
 * A planned stage's bytes part of size signatures: each step's predicted, measured and wasted bytes
 * (-1 for none) as doubles. Kept per planned stage; a stage moved by lines typed above it is a new
 * object, and numbers cost little to write where a string per step cost ~5 ms per edit on 9,000 steps.
 */
const bytesParts = new WeakMap<PlannedStage, { steps: readonly PlannedStep[]; part: Float64Array }>();

function bytesPartOf(stage: PlannedStage): Float64Array {
  const kept = bytesParts.get(stage);
  if (kept && kept.steps === stage.steps) return kept.part;
  const part = new Float64Array(stage.steps.length * 3);
  stage.steps.forEach((step, k) => {
    part[3 * k] = step.predictedBytes ?? -1;
    part[3 * k + 1] = step.measuredBytes ?? -1;
    part[3 * k + 2] = step.wastedBytes ?? -1;
  });
  bytesParts.set(stage, { steps: stage.steps, part });
  return part;
}

/** Reads `# check=` (or the BUILDKIT_DOCKERFILE_CHECK build argument, which replaces it). */
function readCheckConfig(syntax: DockerfileSyntax, buildArgs: Readonly<Record<string, string>>): { check: CheckConfig; problems: ExternalFinding[] } {
  const fromArg = buildArgs.BUILDKIT_DOCKERFILE_CHECK;
  const directive = syntax.directives.find((d) => d.name === 'check');
  const value = fromArg ?? directive?.value;
  if (value === undefined) return { check: defaultCheckConfig, problems: [] };
  const parsed = parseCheckDirective(value);
  const problems: ExternalFinding[] = [];
  if (parsed.error !== undefined && directive && fromArg === undefined) {
    problems.push({ code: 'invalid-check-directive', range: directive.valueRange, message: `failed to parse check options: ${parsed.error}`, severity: 'error', source: 'layerlens' });
  }
  return { check: parsed.config, problems };
}

/**
 * A rule run in small steps: the context, the policy, then each rule (a stage-scoped rule one
 * stage at a time, after that stage's RUN scripts are parsed a few at a time). `carry` is a run
 * over the same syntax and the same plan without sizes (same options and settings): rules that do
 * not read sizes take their findings over from it instead of running. `finished`: stage checks
 * finished by runs given up since `previous` (see FinishedChecks), taken over like its findings
 * and added to as this run's checks finish.
 */
function* ruleSteps(input: LintInput, options: LintOptions, settings: LintSettings, onRuleError?: (code: string, err: unknown) => void, previous?: RuleRun, carry?: RuleRun, finished?: FinishedChecks): Generator<void, RuleRun> {
  const started = performance.now();
  const { check, problems } = readCheckConfig(input.syntax, options.buildArgs ?? {});
  const context = yield* LintContext.inSteps(input.syntax, input.plan, options, previous?.context);
  const policy = new SuppressionPolicy(check, context.pragmas, settings.severity ?? {});
  const signatures = yield* stageSignatureSteps(context, options, input.text);
  let sized: string[] | undefined;
  const stageFindings = new Map<string, StageChecks>();
  const stageChecks = { run: 0, reused: 0 };
  const byRule = new Map<Rule, Finding[]>();
  let carried = 0;
  for (const rule of allRules) {
    if (!rule.check || !policy.ruleEnabled(rule.meta)) continue;
    const from = context.findings.length;
    const kept = carry && !rule.readsSizes ? carry.byRule.get(rule) : undefined;
    if (kept) {
      for (const f of kept) context.findings.push(f);
      if (rule.scope === 'stage') for (const stage of context.stages) copyStageFindings(rule, context, stage, signatures[stage.index], carry as RuleRun, stageFindings);
      byRule.set(rule, kept);
      carried++;
      continue;
    }
    try {
      if (rule.scope === 'stage') yield* stageRuleSteps(rule, context, rule.readsSizes ? (sized ??= yield* sizeSignatureSteps(context, signatures)) : signatures, stageFindings, stageChecks, previous, finished);
      else if (rule.checkInSteps) yield* rule.checkInSteps(context);
      else rule.check(context);
    } catch (err) {
      context.checkedStages = context.stages;
      onRuleError?.(rule.meta.code, err);
    }
    byRule.set(rule, context.findings.slice(from));
    yield;
  }
  return { context, policy, check, findings: context.findings, directiveProblems: problems, stageFindings, signatures, stageChecks, byRule, carried, elapsedMs: performance.now() - started };
}

function copyStageFindings(rule: Rule, context: LintContext, stage: StageView, signature: string, from: RuleRun, to: RuleRun['stageFindings']): void {
  const kept = keptFindings(from.stageFindings.get(signature), rule, stage);
  if (kept) findingsOfStage(to, context, signature, stage).set(rule.meta.code, kept);
}

/**
 * The findings per rule code of `stage` (of `signature`), made empty on first use or when they
 * were kept for the stage at another place.
 */
function findingsOfStage(all: Map<string, StageChecks>, context: LintContext, signature: string, stage: StageView): Map<string, Finding[]> {
  let checks = all.get(signature);
  const { fromLine, toLine } = linesOf(context, stage);
  if (!checks || checks.fromIndex !== stage.fromIndex || checks.fromLine !== fromLine) all.set(signature, (checks = { fromIndex: stage.fromIndex, fromLine, toLine, byCode: new Map() }));
  return checks.byCode;
}

/** Wording that names a line (`on line 12`): such a finding is not taken over to a moved stage. */
const LINE_WORDED = /\bline \d/i;

/** Whether `text` (a message or fix title) names a line, so it would be wrong once moved. */
export function namesALine(text: string): boolean {
  return LINE_WORDED.test(text);
}

/**
 * A rule's kept findings of a stage of the same signature, moved with the stage's FROM (instruction
 * indexes; lines, quick fixes included); undefined when they cannot be moved (the rule runs again):
 * a finding or fix edit outside the stage's lines, or wording that names lines.
 */
function keptFindings(checks: StageChecks | undefined, rule: Rule, stage: StageView): Finding[] | undefined {
  const kept = checks?.byCode.get(rule.meta.code);
  if (!kept || !checks) return undefined;
  const by = stage.fromIndex - checks.fromIndex;
  const lines = stage.from.range.start.line - checks.fromLine;
  if (by === 0 && lines === 0) return kept;
  if (lines === 0) return kept.map((f) => (f.instructionIndex === undefined ? f : { ...f, instructionIndex: f.instructionIndex + by }));
  if (kept.length === 0) return kept;
  if (rule.wordsLines) return undefined;
  const inStage = (r: Range) => r.start.line >= checks.fromLine && r.end.line <= checks.toLine;
  const out: Finding[] = [];
  for (const f of kept) {
    if (!inStage(f.range) || namesALine(f.message)) return undefined;
    const given = f.fixes;
    let fixes: Finding['fixes'];
    if (typeof given === 'function') fixes = () => movedFixes(given(), lines);
    else if (given) {
      if (given.some((fix) => namesALine(fix.title) || fix.edits.some((e) => !inStage(e.range)))) return undefined;
      fixes = movedFixes(given, lines);
    }
    const moved: Finding = { ...f, range: movedRange(f.range, lines) };
    if (f.instructionIndex !== undefined) moved.instructionIndex = f.instructionIndex + by;
    if (given !== undefined) moved.fixes = fixes;
    out.push(moved);
  }
  return out;
}

function movedFixes(fixes: QuickFix[] | undefined, lines: number): QuickFix[] | undefined {
  return fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: movedRange(e.range, lines) })) }));
}

/**
 * Stage findings (by stage signature, then rule code) of the checks that runs given up for a newer
 * version had finished: while typing fast into a large file each run is dropped for the next
 * keystroke, and the stages they checked (those after an inserted line, all re-parsed) stay the
 * same from one keystroke to the next, so the next run takes them over instead of starting again.
 */
export type FinishedChecks = Map<string, StageChecks>;

/**
 * Runs a stage-scoped rule on the stages whose findings cannot be taken over from `previous` (or
 * `finished`), one stage per step. A rule reports only on the stages it is given, so the findings
 * are those of one check over all of them (in the same order).
 */
function* stageRuleSteps(rule: Rule, context: LintContext, signatures: string[], out: RuleRun['stageFindings'], counts: { run: number; reused: number }, previous?: RuleRun, finished?: FinishedChecks): Generator<void, void> {
  const code = rule.meta.code;
  const dirty: StageView[] = [];
  for (const stage of context.stages) {
    const signature = signatures[stage.index];
    const kept = keptFindings(previous?.stageFindings.get(signature), rule, stage) ?? keptFindings(finished?.get(signature), rule, stage);
    if (kept) {
      for (const f of kept) context.findings.push(f);
      findingsOfStage(out, context, signature, stage).set(code, kept);
      counts.reused++;
    } else {
      dirty.push(stage);
    }
  }
  if (dirty.length === 0) return;
  counts.run += dirty.length;
  const from = context.findings.length;
  for (const stage of dirty) {
    yield* context.runScriptsInSteps(stage);
    yield* stageInvocationsInSteps(context, stage);
    const before = context.findings.length;
    context.checkedStages = [stage];
    try {
      rule.check?.(context);
    } finally {
      context.checkedStages = context.stages;
    }
    if (finished) keepFinished(context, stage, context.findings.slice(before), findingsOfStage(finished, context, signatures[stage.index], stage), code);
    yield;
  }
  const byStage = new Map<number, Finding[]>(dirty.map((s) => [s.index, []]));
  for (let k = from; k < context.findings.length; k++) {
    const f = context.findings[k];
    const index = f.instructionIndex ?? instructionIndexAt(context.syntax, f.range);
    byStage.get(index === undefined ? -1 : context.stageIndexOf(index))?.push(f);
  }
  for (const stage of dirty) findingsOfStage(out, context, signatures[stage.index], stage).set(code, byStage.get(stage.index) ?? []);
}

/** Keeps a stage's finished check for a later run, when all its findings are in the stage (as a rule's should be). */
function keepFinished(context: LintContext, stage: StageView, findings: Finding[], byCode: Map<string, Finding[]>, code: string): void {
  for (const f of findings) {
    const index = f.instructionIndex ?? instructionIndexAt(context.syntax, f.range);
    if (index === undefined || context.stageIndexOf(index) !== stage.index) return;
  }
  byCode.set(code, findings);
}

/** Runs the enabled rules at once. Pure; a failing rule is skipped (and reported to `onRuleError`). */
export function runRules(input: LintInput, options: LintOptions = {}, settings: LintSettings = {}, onRuleError?: (code: string, err: unknown) => void, previous?: RuleRun, carry?: RuleRun, finished?: FinishedChecks): RuleRun {
  return runAllSteps(ruleSteps(input, options, settings, onRuleError, previous, carry, finished));
}

/**
 * Runs the enabled rules in turns (see inTurns.ts), so requests are served in between on large
 * files; stops (undefined) as soon as `current()` says the input is stale.
 */
export function runRulesInTurns(input: LintInput, options: LintOptions, settings: LintSettings, current: () => boolean, onRuleError?: (code: string, err: unknown) => void, previous?: RuleRun, carry?: RuleRun, sliceMs?: number, finished?: FinishedChecks): Promise<RuleRun | undefined> {
  return runStepsInTurns(ruleSteps(input, options, settings, onRuleError, previous, carry, finished), current, sliceMs);
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  if (a.start.line === b.start.line && (a.start.character === a.end.character || b.start.character === b.end.character)) return true;
  return before(a.start, b.end) && before(b.start, a.end);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * Parser/planner codes that state the same problem as a rule, so the rule's finding at the same
 * place would be a duplicate (an empty base name is `blank-base` when building with the current
 * arguments, and InvalidDefaultArgInFrom with the defaults: one problem when both fire).
 */
const SAME_PROBLEM: Readonly<Record<string, readonly string[]>> = {
  InvalidDefaultArgInFrom: ['blank-base', 'invalid-image-ref'],
};

/** Parser and planner problems as external findings. */
export function upstreamFindings(input: LintInput): ExternalFinding[] {
  return [...input.syntax.problems, ...input.plan.problems].map((p) => ({
    code: p.code,
    range: p.range,
    message: p.message,
    severity: p.severity,
    source: 'layerlens',
  }));
}

/**
 * Everything to show for a document: rule findings, parser/planner problems and extra findings
 * (shellcheck), with policy applied. A rule finding is dropped when the parser or planner already
 * reports the same code at an overlapping range; exact duplicates are dropped too.
 */
export function collectProblems(run: RuleRun, upstream: readonly ExternalFinding[], extra: readonly ExternalFinding[] = []): LintProblem[] {
  return runAllSteps(problemSteps(run, upstream, extra));
}

/** `collectProblems` in small steps (a step per 128 findings). */
export function* problemSteps(run: RuleRun, upstream: readonly ExternalFinding[], extra: readonly ExternalFinding[] = []): Generator<void, LintProblem[]> {
  const out: LintProblem[] = [];
  const seen = new Map<number, Finding[]>();
  const upstreamByCode = new Map<string, Range[]>();
  for (const u of upstream) {
    let list = upstreamByCode.get(u.code);
    if (!list) upstreamByCode.set(u.code, (list = []));
    list.push(u.range);
  }
  const syntax = run.context.syntax;
  const push = (f: Finding, fallback: RuleSeverity, source: 'layerlens' | 'shellcheck', href?: string) => {
    const instructionIndex = f.instructionIndex ?? instructionIndexAt(syntax, f.range);
    const severity = run.policy.severityOf(f.code, instructionIndex, fallback);
    if (severity === undefined) return;
    // Exact duplicates (same code, range and message) are dropped; compared among those on the same line.
    const line = f.range.start.line;
    const onLine = seen.get(line);
    if (onLine) {
      if (onLine.some((o) => o.code === f.code && o.message === f.message && sameRange(o.range, f.range))) return;
      onLine.push(f);
    } else seen.set(line, [f]);
    const meta = ruleMeta(f.code);
    const given = f.fixes;
    if (typeof given !== 'function') {
      // A plain property: a literal with a getter is made as a dictionary (~2 µs each, thousands per lint).
      out.push({ code: f.code, range: f.range, message: f.message, severity, source, href: href ?? meta?.href, tag: meta?.tag, instructionIndex, fixes: given ?? [] });
      return;
    }
    let fixes: QuickFix[] | undefined;
    out.push({
      code: f.code, range: f.range, message: f.message, severity, source, href: href ?? meta?.href, tag: meta?.tag, instructionIndex,
      get fixes(): QuickFix[] {
        return (fixes ??= given() ?? []);
      },
    });
  };
  /** Whether the parser or planner states the problem of `f` already (same code or an alias, overlapping range). */
  const taken = (f: Finding): boolean => {
    if (upstreamByCode.size === 0) return false;
    const overlapping = (code: string) => upstreamByCode.get(code)?.some((r) => sameRange(r, f.range) || overlaps(r, f.range)) ?? false;
    return overlapping(f.code) || (Object.hasOwn(SAME_PROBLEM, f.code) && SAME_PROBLEM[f.code].some(overlapping));
  };
  let count = 0;
  for (const u of upstream) {
    push(u, u.severity, u.source, u.href);
    if (++count % 128 === 0) yield;
  }
  for (const p of run.directiveProblems) push(p, p.severity, p.source);
  for (const f of run.findings) {
    if (++count % 128 === 0) yield;
    if (taken(f)) continue;
    push(f, ruleMeta(f.code)?.defaultSeverity ?? 'warning', 'layerlens');
  }
  for (const e of extra) {
    push(e, e.severity, e.source, e.href);
    if (++count % 128 === 0) yield;
  }
  yield;
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

/** Rules, upstream problems and extra findings in one call (tests, CLI). */
export function lintDocument(input: LintInput, options: LintOptions = {}, settings: LintSettings = {}, extra: readonly ExternalFinding[] = []): LintProblem[] {
  return collectProblems(runRules(input, options, settings), upstreamFindings(input), extra);
}
