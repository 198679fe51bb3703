// Lints an open document with everything the editor knows: rules (memoised per document model
// and settings), parser/planner problems, build-context facts read in the background, local
// images, and shellcheck results as far as they are ready. Shared by diagnostics and code actions.
import { fileURLToPath } from 'url';
import type { DocumentModel } from '../documentModels';
import { movedFindings, shellcheckFindingsOf, shellcheckScriptOf } from '../shellcheck/shellcheckFindings';
import type { ShellcheckComment, ShellcheckScript } from '../shellcheck/runShellcheck';
import { scriptKey, type ShellcheckService } from '../shellcheck/shellcheckService';
import type { SizeFinding } from '../plan/size';
import type { LintOptions } from './lintContext';
import { sizeFindingsAsExternal } from './sizeFindings';
import { namesALine, problemSteps, runRules, runRulesInTurns, upstreamFindings, type ExternalFinding, type FinishedChecks, type LintInput, type LintProblem, type RuleRun } from './lintDocument';
import type { LayerPlan, PlannedStage } from '../plan/types';
import { madeRunScript, type RunScript } from './shell/runScript';
import type { BuildContextInfo } from './workspace/buildContextInfo';
import { runAllSteps } from '../steps';
import { runStepsInTurns } from '../turns';

export interface LinterSettings {
  severity: Readonly<Record<string, string>>;
  buildArgs: Readonly<Record<string, string>>;
}

export interface LinterDeps {
  /** Findings of size prediction for a model, when the model carries them. */
  sizeFindings?: (model: DocumentModel) => readonly SizeFinding[] | undefined;
  contextInfo?: BuildContextInfo;
  shellcheck?: ShellcheckService;
  images?: LintOptions['images'];
  /** Changes (by identity) whenever what `images` knows changes, so cached runs are redone. */
  imagesVersion?: () => unknown;
  onRuleError?: (code: string, err: unknown) => void;
}

export interface DocumentLint {
  run: RuleRun;
  problems: LintProblem[];
  /** Shellcheck results still being computed for this document. */
  shellcheckPending: boolean;
  /** Rules read the plan without sizes (size prediction has not run yet): size wording may refine. */
  sizesPending: boolean;
}

/** The file path of a `file:` URI, else undefined (untitled documents have no context). */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Whether the plan rules see carries predicted sizes (predicting them is left to whoever reads `plan`). */
function sizedIn(model: DocumentModel): boolean {
  return !(model.sizesPending?.() && model.planned);
}

/** What the rules read: the sized plan when it is there, else the plan without sizes. */
function lintInputOf(model: DocumentModel): LintInput {
  return { syntax: model.syntax, plan: sizedIn(model) ? model.plan : (model.planned as LayerPlan), text: model.text };
}

/** A rule run in turns that several lints of one model wait for. */
interface SharedRun {
  fingerprint: string;
  sized: boolean;
  /** The `current` of every lint waiting for it. */
  wanted: Set<() => boolean>;
  entry: Promise<RunEntry | undefined>;
}

/**
 * The RUN scripts of one stage (or of the instructions before the first FROM), what shellcheck is
 * asked for them and the findings of its answers. A stage's part is taken over by the next run
 * while the stage's signature and planned stage (its steps' shells, ENV and ARG) are the same.
 */
interface ScriptPart {
  /** Undefined for the instructions before the first FROM (made again every run). */
  signature?: string;
  plan?: PlannedStage;
  scripts: RunScript[];
  /** What shellcheck is asked for each script (computed on first lint, then reused). */
  requests?: ShellcheckScript[];
  /** Shellcheck's answers (the service hands a part's final answers over as the same array) and their findings. */
  answered?: { answers: readonly (ShellcheckComment[] | undefined)[]; findings: ExternalFinding[]; pending: boolean };
  /** Where the stage's FROM is (instruction index and line), for parts taken over by a moved stage. */
  at?: { fromIndex: number; fromLine: number };
  /**
   * The previous run's part of the same signature, made for another planned stage (re-planned,
   * e.g. after an edit in a stage it copies from) or for the stage before lines typed above it
   * moved it: its requests, when equal, are taken over (the same array, so shellcheck's answers
   * are too, and their findings, moved). Dropped once requests are made.
   */
  before?: ScriptPart;
}

interface RunEntry {
  /** Settings, options and images the run saw (sizes left out: see `sized`). */
  fingerprint: string;
  /** The run read predicted sizes. */
  sized: boolean;
  run: RuleRun;
  /** The RUN scripts in document order, by stage. */
  parts: ScriptPart[];
}

export class DocumentLinter {
  /**
   * Runs by the plan the rules read: a model made only to predict sizes again shares its plan
   * without sizes with the model before it, so that run is kept; the run of its sized plan takes
   * over every finding that does not read sizes.
   */
  private readonly runs = new WeakMap<LayerPlan, RunEntry>();
  /** Rule runs under way in turns, by the plan they read. */
  private readonly underway = new WeakMap<LayerPlan, SharedRun>();
  /** The last rule run per document: stage findings are taken over from it after an edit. */
  private readonly lastRuns = new Map<string, { sized?: RuleRun; unsized?: RuleRun }>();
  /**
   * Per document, the stage checks that runs in turns given up since its last run had finished
   * (for the fingerprint and sizes they ran with): the next run takes them over.
   */
  private readonly finished = new Map<string, { fingerprint: string; sized: boolean; checks: FinishedChecks }>();

  constructor(private readonly deps: LinterDeps = {}) {}

  private optionsFor(model: DocumentModel, settings: LinterSettings): LintOptions {
    const file = filePathOf(model.uri);
    const facts = file && this.deps.contextInfo ? this.deps.contextInfo.factsFor(file) : {};
    return { buildArgs: settings.buildArgs, dockerignore: facts.dockerignore, contextSecrets: facts.contextSecrets, images: this.deps.images };
  }

  private readonly versionIds = new WeakMap<object, number>();
  private nextVersionId = 0;

  /** The last run of a document with sizes known alike: its stage findings may be taken over. */
  private previousRun(model: DocumentModel): RuleRun | undefined {
    const last = this.lastRuns.get(model.uri);
    return sizedIn(model) ? last?.sized : last?.unsized;
  }

  private fingerprintOf(options: LintOptions, settings: LinterSettings, model: DocumentModel): string {
    const version = this.deps.imagesVersion?.();
    let imagesId = 0;
    if (typeof version === 'object' && version !== null) {
      imagesId = this.versionIds.get(version) ?? ++this.nextVersionId;
      this.versionIds.set(version, imagesId);
    }
    return JSON.stringify([settings.severity, settings.buildArgs, options.dockerignore, options.contextSecrets, imagesId]);
  }

  /** The cached run of what the rules read now, when the settings and options are those of `fingerprint`. */
  private cachedRun(model: DocumentModel, fingerprint: string): RunEntry | undefined {
    const cached = this.runs.get(lintInputOf(model).plan);
    return cached && cached.fingerprint === fingerprint && cached.sized === sizedIn(model) ? cached : undefined;
  }

  /** For a lint of the sized plan: the run of the same plan without sizes, whose other findings carry over. */
  private carryFor(model: DocumentModel, fingerprint: string): RuleRun | undefined {
    if (!sizedIn(model) || !model.planned || model.planned === model.plan) return undefined;
    const unsized = this.runs.get(model.planned);
    return unsized && unsized.fingerprint === fingerprint && !unsized.sized && unsized.run.context.syntax === model.syntax ? unsized.run : undefined;
  }

  /**
   * The RUN scripts shellcheck is asked about, by stage: those of `carry` when its run is kept;
   * else a stage's part of the previous run when the stage is unchanged, else made a step per 256
   * instructions.
   */
  private *scriptSteps(model: DocumentModel, run: RuleRun, carry?: RuleRun): Generator<void, ScriptPart[]> {
    const carried = carry && this.runs.get(carry.context.plan);
    if (carried && carried.run === carry) return carried.parts;
    const parts: ScriptPart[] = [];
    if (!this.deps.shellcheck?.available) return parts;
    const previous = this.previousRun(model);
    const known = new Map<string, ScriptPart>();
    for (const part of (previous && this.runs.get(previous.context.plan))?.parts ?? []) if (part.signature !== undefined) known.set(part.signature, part);
    const context = run.context;
    let count = 0;
    const scriptsOf = function* (indexes: readonly number[]): Generator<void, RunScript[]> {
      const scripts: RunScript[] = [];
      for (const i of indexes) {
        if (context.instructions[i].name === 'RUN') {
          const script = context.runScript(i);
          if (script) scripts.push(script);
        }
        if (++count % 256 === 0) yield;
      }
      return scripts;
    };
    const global = yield* scriptsOf(context.globalInstructions);
    if (global.length > 0) parts.push({ scripts: global });
    for (const stage of context.stages) {
      const signature = run.signatures[stage.index];
      const kept = known.get(signature);
      if (kept && stage.plan !== undefined && kept.plan === stage.plan) {
        parts.push(kept);
        continue;
      }
      const at = { fromIndex: stage.fromIndex, fromLine: stage.from.range.start.line };
      const scripts = (kept && movedScripts(context, stage.body, kept, at)) || (yield* scriptsOf(stage.body));
      if (kept && sameItems(kept.scripts, scripts)) parts.push({ signature, plan: stage.plan, scripts: kept.scripts, answered: kept.answered, before: kept, at });
      else parts.push({ signature, plan: stage.plan, scripts, at, before: kept?.scripts.length === scripts.length ? kept : undefined });
    }
    return parts;
  }

  /** Keeps a run of the plan it read (`sized`: with sizes) for later lints. */
  private remember(model: DocumentModel, fingerprint: string, run: RuleRun, parts: ScriptPart[], sized = sizedIn(model), plan = lintInputOf(model).plan): RunEntry {
    const entry: RunEntry = { fingerprint, sized, run, parts };
    this.runs.set(plan, entry);
    const last = this.lastRuns.get(model.uri) ?? {};
    this.lastRuns.set(model.uri, sized ? { ...last, sized: run } : { ...last, unsized: run });
    if (this.finished.get(model.uri)?.sized === entry.sized) this.finished.delete(model.uri);
    return entry;
  }

  /** The rule run of a model (cached until the model, settings or context facts change). */
  ruleRun(model: DocumentModel, settings: LinterSettings): RunEntry {
    const options = this.optionsFor(model, settings);
    const fingerprint = this.fingerprintOf(options, settings, model);
    const cached = this.cachedRun(model, fingerprint);
    if (cached) return cached;
    const carry = this.carryFor(model, fingerprint);
    const run = runRules(lintInputOf(model), options, { severity: settings.severity }, this.deps.onRuleError, this.previousRun(model), carry);
    return this.remember(model, fingerprint, run, runAllSteps(this.scriptSteps(model, run, carry)));
  }

  /**
   * Like `lint`, but in turns (requests are served in between): the rules, the shellcheck
   * requests and the problems list alike. Gives up, resolving undefined, when `current()` turns
   * false (a newer version arrived).
   */
  async lintInTurns(model: DocumentModel, settings: LinterSettings, current: () => boolean): Promise<DocumentLint | undefined> {
    const options = this.optionsFor(model, settings);
    const fingerprint = this.fingerprintOf(options, settings, model);
    let entry = this.cachedRun(model, fingerprint);
    while (!entry) {
      // Lints of one model at the same time (diagnostics, code actions) share one rule run, which
      // goes on while any of them still wants it.
      const plan = lintInputOf(model).plan;
      let shared = this.underway.get(plan);
      if (!shared || shared.fingerprint !== fingerprint || shared.sized !== sizedIn(model)) {
        const wanted = new Set<() => boolean>();
        const started: SharedRun = { fingerprint, sized: sizedIn(model), wanted, entry: this.ruleRunInTurns(model, options, settings, fingerprint, () => [...wanted].some((c) => c())) };
        this.underway.set(plan, started);
        void started.entry.finally(() => {
          if (this.underway.get(plan) === started) this.underway.delete(plan);
        });
        shared = started;
      }
      shared.wanted.add(current);
      try {
        entry = await shared.entry;
      } finally {
        shared.wanted.delete(current);
      }
      if (!current()) return undefined;
      // Sizes predicted while a run without them went on: its findings do not read them, so the
      // lint is of the sized plan (the run carries over what does not read sizes).
      if (entry && entry.sized !== sizedIn(model)) entry = undefined;
      entry ??= this.cachedRun(model, fingerprint);
    }
    return runStepsInTurns(this.lintSteps(model, entry), current);
  }

  /** The rule run and the RUN scripts of a model in turns, remembered; undefined when `current()` turned false. */
  private async ruleRunInTurns(model: DocumentModel, options: LintOptions, settings: LinterSettings, fingerprint: string, current: () => boolean): Promise<RunEntry | undefined> {
    // Whether the run reads sizes is settled now: sizes predicted meanwhile do not make it a run of the sized plan.
    const sized = sizedIn(model);
    const input = lintInputOf(model);
    const carry = this.carryFor(model, fingerprint);
    const run = await runRulesInTurns(input, options, { severity: settings.severity }, current, this.deps.onRuleError, this.previousRun(model), carry, undefined, this.finishedChecks(model, fingerprint));
    if (!run) return undefined;
    const parts = await runStepsInTurns(this.scriptSteps(model, run, carry), current);
    return parts && this.remember(model, fingerprint, run, parts, sized, input.plan);
  }

  /** The stage checks finished by given-up runs of the document with this fingerprint and sizes (made empty otherwise). */
  private finishedChecks(model: DocumentModel, fingerprint: string): FinishedChecks {
    const sized = sizedIn(model);
    let kept = this.finished.get(model.uri);
    if (!kept || kept.fingerprint !== fingerprint || kept.sized !== sized) this.finished.set(model.uri, (kept = { fingerprint, sized, checks: new Map() }));
    return kept.checks;
  }

  /** Drops what is kept for a closed document. */
  forget(uri: string): void {
    this.lastRuns.delete(uri);
    this.finished.delete(uri);
  }

  lint(model: DocumentModel, settings: LinterSettings): DocumentLint {
    return runAllSteps(this.lintSteps(model, this.ruleRun(model, settings)));
  }

  /** A lint from its rule run: shellcheck's results as far as ready, size findings, the problems list; in small steps. */
  private *lintSteps(model: DocumentModel, entry: RunEntry): Generator<void, DocumentLint> {
    const { run } = entry;
    const extra: ExternalFinding[] = [];
    let pending = false;
    const shellcheck = this.deps.shellcheck;
    const parts = entry.parts.filter((p) => p.scripts.length > 0);
    if (shellcheck?.available && parts.length > 0) {
      // One request per RUN (thousands on a large file), built a step at a time and kept per stage.
      for (const part of parts) {
        if (part.requests) continue;
        const requests = yield* mapSteps(part.scripts, (s) => keyed(requestOf(run, s)));
        const before = part.before;
        part.before = undefined;
        if (before?.requests && sameRequests(before.requests, requests)) {
          // The stage's text is unchanged (it may have moved: lines typed above it): the same
          // requests, answers and findings, moved as far as the stage.
          part.requests = before.requests;
          if (!part.answered) part.answered = before.answered && movedAnswers(before.answered, before.at, part.at);
        } else {
          part.requests = requests;
          part.answered = undefined;
        }
      }
      const answers = shellcheck.requestParts(model.uri, parts.map((p) => p.requests as ShellcheckScript[]));
      yield;
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k];
        if (part.answered?.answers !== answers[k]) part.answered = yield* answeredSteps(model, part.scripts, answers[k]);
        for (const f of part.answered.findings) extra.push(f);
        pending ||= part.answered.pending;
      }
    }
    const sized = this.deps.sizeFindings?.(model);
    if (sized && sized.length > 0) extra.push(...sizeFindingsAsExternal(model.syntax, model.plan, sized, run.findings));
    yield;
    const problems = yield* problemSteps(run, upstreamFindings(lintInputOf(model)), extra);
    return { run, problems, shellcheckPending: pending, sizesPending: !entry.sized };
  }
}

/** The findings of a part's shellcheck answers (undefined: still pending), a step per 64 scripts. */
function* answeredSteps(model: DocumentModel, scripts: readonly RunScript[], answers: readonly (ShellcheckComment[] | undefined)[]): Generator<void, NonNullable<ScriptPart['answered']>> {
  const findings: ExternalFinding[] = [];
  let pending = false;
  for (let i = 0; i < answers.length; i++) {
    const comments = answers[i];
    if (!comments) {
      pending = true;
      continue;
    }
    let known = mappedFindings.get(scripts[i]);
    if (!known || known.comments !== comments) mappedFindings.set(scripts[i], (known = { comments, findings: shellcheckFindingsOf(scripts[i], model.syntax.instructions[scripts[i].instructionIndex], comments) }));
    for (const f of known.findings) findings.push(f);
    if (i % 64 === 63) yield;
  }
  return { answers, findings, pending };
}

// Shellcheck findings mapped into the document, per script, with the comments they came from. A
// script is kept across versions only for the same instruction node (LintContext.runScript), which
// is all the mapping reads besides the comments: kept across versions too.
const mappedFindings = new WeakMap<RunScript, { comments: readonly ShellcheckComment[]; findings: ExternalFinding[] }>();

// Unchanged RUNs keep their script across versions (the parser hands them over) and their step's
// ENV and ARG maps (the planner moves reused steps and size prediction copies them, keeping the
// maps), so their shellcheck request, and its cache key, is kept too.
const requestsByScript = new WeakMap<RunScript, { env?: object; args?: object; request: ShellcheckScript }>();

/**
 * The scripts of a stage whose text is unchanged since `kept` (same signature): `kept`'s scripts,
 * moved when lines typed or removed above it moved the stage (their shellcheck requests are found
 * by the scripts first made). Undefined when a RUN is not where the move puts it (then the scripts
 * are made again).
 */
function movedScripts(context: RuleRun['context'], body: readonly number[], kept: ScriptPart, at: NonNullable<ScriptPart['at']>): RunScript[] | undefined {
  if (!kept.at || kept.scripts.length === 0) return undefined;
  const lines = at.fromLine - kept.at.fromLine;
  const by = at.fromIndex - kept.at.fromIndex;
  // Not moved: the same scripts (the same text at the same place).
  if (lines === 0 && by === 0) return kept.scripts;
  const first = at.fromIndex;
  const last = body.length > 0 ? body[body.length - 1] : first;
  const scripts: RunScript[] = [];
  for (const earlier of kept.scripts) {
    const i = earlier.instructionIndex + by;
    if (i <= first || i > last || context.instructions[i].name !== 'RUN') return undefined;
    const script = context.takeOverRunScript(i, earlier, lines);
    if (!script) return undefined;
    scripts.push(script);
  }
  return scripts;
}

/** Whether two maps have the same names in the same order. */
function sameNames(a: object, b: object): boolean {
  const x = Object.keys(a);
  const y = Object.keys(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function requestOf(run: RuleRun, script: RunScript): ShellcheckScript {
  const step = run.context.step(script.instructionIndex);
  const kept = requestsByScript.get(script) ?? requestsByScript.get(madeRunScript(script));
  if (kept && kept.env === step?.env && kept.args === step?.args) return kept.request;
  // A re-planned step has new maps, mostly with the same names in the same order (all the request
  // reads of them): the kept request stays, without sorting the names again.
  if (kept && step && kept.env && kept.args && sameNames(kept.env, step.env) && sameNames(kept.args, step.args)) {
    requestsByScript.set(script, { env: step.env, args: step.args, request: kept.request });
    return kept.request;
  }
  const made = shellcheckScriptOf(run.context, script);
  // A re-planned step has new maps with mostly the same names (all the request reads of them):
  // the kept request, whose cache key is made and hashed, then stays.
  const request = kept && sameRequest(kept.request, made) ? kept.request : made;
  requestsByScript.set(script, { env: step?.env, args: step?.args, request });
  return request;
}

/** Whether two lists of requests ask the same (text, dialect and exported names). */
function sameRequests(a: readonly ShellcheckScript[], b: readonly ShellcheckScript[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameRequest(a[i], b[i])) return false;
  return true;
}

/**
 * A part's answered findings moved with its stage (lines and instruction indexes); undefined
 * (mapped again) when a message names a line.
 */
function movedAnswers(answered: NonNullable<ScriptPart['answered']>, from: ScriptPart['at'], to: ScriptPart['at']): ScriptPart['answered'] {
  if (!from || !to) return undefined;
  const lines = to.fromLine - from.fromLine;
  const by = to.fromIndex - from.fromIndex;
  if (answered.findings.some((f) => namesALine(f.message))) return undefined;
  const findings = movedFindings(answered.findings, lines).map((f) => ({ ...f, instructionIndex: f.instructionIndex === undefined ? undefined : f.instructionIndex + by }));
  return { answers: answered.answers, findings, pending: answered.pending };
}

/** Whether two lists hold the same items (by identity) in the same order. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameRequest(a: ShellcheckScript, b: ShellcheckScript): boolean {
  if (a.dialect !== b.dialect || a.text !== b.text || a.exported.length !== b.exported.length) return false;
  if (a.exported === b.exported) return true;
  for (let i = 0; i < a.exported.length; i++) if (a.exported[i] !== b.exported[i]) return false;
  return true;
}

// Looking a key up in a Set hashes it (and flattens the concatenated string) once for good.
const noKeys = new Set<string>();

/**
 * The request with its cache key made and hashed now, a step at a time, rather than inside
 * `ShellcheckService.request` (6,000 at once: 40-80 ms there before, 10-25 ms after, at load 6).
 */
function keyed(request: ShellcheckScript): ShellcheckScript {
  noKeys.has(scriptKey(request));
  return request;
}

/** `items.map(f)`, a step per 32 items. */
function* mapSteps<T, U>(items: readonly T[], f: (item: T) => U): Generator<void, U[]> {
  const out: U[] = [];
  for (const item of items) {
    out.push(f(item));
    if (out.length % 32 === 0) yield;
  }
  return out;
}

let shared: DocumentLinter | undefined;

/** The linter every feature of this server shares (same caches for diagnostics and code actions). */
export function sharedDocumentLinter(create: () => DocumentLinter): DocumentLinter {
  return (shared ??= create());
}
