// Entry point of size prediction: walks the plan stage by stage, predicts every layer, tracks
// the files each stage is known to hold, and derives wasted space and an efficiency score.
import type { LayerPlan, PlannedStage, PlannedStep, SizeConfidence, StepSizes } from '../types';
import { runAllSteps } from '../../steps';
import { copyStage, withSizes } from '../plannedObjects';
import { formatBytes } from './formatBytes';
import { PausePoints, type ReaderStamp, readerStamp, sameStamp } from './pausePoints';
import { predictCopyStep, type StagesBefore } from './predictCopyStep';
import { predictRunStep } from './predictRunStep';
import { sameData, SizeInputComparer } from './sameSizeInputs';
import type { MeasuredSizeReader, PackageManager, SizeReaders } from './sizeReaders';
import { type SizeFinding, type SizePrediction, unknownSize, weakerConfidence } from './sizePrediction';
import { StageFileState, type StepRef, type WastedPath } from './stageFileState';
import { tarLayerSize } from './tarLayerSize';

export interface StepSizeReport {
  stageIndex: number;
  stepIndex: number;
  prediction: SizePrediction;
  measuredBytes?: number;
  /** Bytes of this layer that later steps delete, replace or copy up. */
  wastedBytes: number;
  wasted: WastedPath[];
}

export interface StageSizeReport {
  stageIndex: number;
  /** Size of the stage's image (base + layers, measured where known) when every layer is known. */
  imageBytes?: number;
  /** What is known of it (a lower bound when some steps are unknown). */
  knownBytes: number;
  confidence: SizeConfidence;
  /** Layer steps whose size is unknown. */
  unknownSteps: number[];
  wastedBytes: number;
  /** dive's image efficiency (1 = nothing wasted), over the known bytes. */
  efficiency: number;
  /** The largest wasted paths, biggest first (at most 10). */
  largestWaste: WastedPath[];
}

export interface SizeReport {
  steps: StepSizeReport[];
  stages: StageSizeReport[];
  /** Cache directories left behind, copy-ups, wasted space, missing sources. */
  findings: SizeFinding[];
}

function rootImageOf(plan: LayerPlan, stage: PlannedStage): string | undefined {
  let current: PlannedStage | undefined = stage;
  for (let hops = 0; current && hops < plan.stages.length; hops++) {
    if (current.base.kind === 'image') return current.base.digest ? `${current.base.ref}@${current.base.digest}` : current.base.ref;
    if (current.base.kind === 'scratch') return undefined;
    current = plan.stages[current.base.stageIndex];
  }
  return undefined;
}

function predictFrom(stage: PlannedStage, readers: SizeReaders, stageReports: StagesBefore<StageSizeReport>, stageName: (i: number) => string): SizePrediction {
  const base = stage.base;
  if (base.kind === 'scratch') return { bytes: 0, confidence: 'exact', basis: 'scratch: an empty filesystem', findings: [] };
  if (base.kind === 'stage') {
    const parent = stageReports.get(base.stageIndex);
    if (!parent) return unknownSize(`stage ${stageName(base.stageIndex)} is not predicted before this one`);
    if (parent.imageBytes === undefined) return unknownSize(`stage ${stageName(base.stageIndex)} has layers of unknown size (at least ${formatBytes(parent.knownBytes)})`);
    return { bytes: parent.imageBytes, confidence: parent.confidence, basis: `the image of stage ${stageName(base.stageIndex)}`, findings: [] };
  }
  const ref = base.digest ? `${base.ref}@${base.digest}` : base.ref;
  const lookup = readers.images?.imageSize(ref, stage.platform);
  if (!lookup) return unknownSize(`${base.ref} is not in the local store and no registry lookup is available`);
  if (lookup.state !== 'known') return unknownSize(`${base.ref}: ${lookup.reason}`);
  const { layers, source } = lookup.value;
  const count = `${layers.length} ${layers.length === 1 ? 'layer' : 'layers'}`;
  const uncompressed = layers.every((l) => l.uncompressedBytes !== undefined) ? layers.reduce((s, l) => s + (l.uncompressedBytes ?? 0), 0) : undefined;
  const compressed = layers.every((l) => l.compressedBytes !== undefined) ? layers.reduce((s, l) => s + (l.compressedBytes ?? 0), 0) : undefined;
  if (uncompressed !== undefined) {
    return { bytes: uncompressed, compressedBytes: compressed, confidence: 'exact', basis: `${base.ref} in the ${source === 'local' ? 'local store' : 'registry'}: ${count}`, findings: [] };
  }
  return {
    compressedBytes: compressed,
    confidence: 'unknown',
    basis: compressed !== undefined
      ? `${base.ref}: ${formatBytes(compressed)} compressed in the registry (${count}); unpacked size unknown until pulled`
      : `${base.ref}: layer sizes unknown`,
    findings: [],
  };
}

function predictWorkdir(step: PlannedStep, state: StageFileState): SizePrediction {
  const path = step.details.kind === 'workdir' ? step.details.path : step.workdir;
  const abs = path.startsWith('/') ? path : `${step.workdir}/${path}`;
  if (state.isDirectory(abs)) return { bytes: 0, confidence: 'high', basis: `${abs} already exists: no layer`, findings: [] };
  const size = tarLayerSize([{ path: abs, kind: 'dir', size: 0 }]);
  state.addDirectory(abs);
  return { bytes: size.tarBytes, contentBytes: 0, confidence: 'medium', basis: `creates ${abs} (${size.entryCount} directories) unless the base image has it`, findings: [] };
}

/** What predicting one stage produced: kept so that the next prediction can take it over. */
interface StageMemo {
  /** The stage as planned (its steps are compared by identity). */
  stage: PlannedStage;
  /** Stages this one read (its parent, COPY --from sources). */
  dependsOn: number[];
  /** The stage's root base image (apt and apk read the installed packages of it). */
  baseImage: string | undefined;
  /** Steps whose display its findings quote (writers of wasted bytes), with that display; undefined when none (most stages). */
  quoted: { stage: number; step: number; display: string }[] | undefined;
  /** A reader answered `pending`: the answer will change, so the stage is predicted again. */
  pending: boolean;
  state: StageFileState;
  installed: Map<PackageManager, string[]>;
  report: StageSizeReport;
  /** Step reports, with the waste found in this stage only. */
  steps: StepSizeReport[];
  findings: SizeFinding[];
  /** Waste found here in layers of parent stages (their reports take it at assembly). */
  parentWaste: WastedPath[];
  /** The sized steps handed out last time (undefined where parent waste changed the report), and the steps they were made of. */
  sized?: { from: readonly PlannedStep[]; steps: (PlannedStep | undefined)[] };
  /** The sized stage handed out last time for `stage`, and the waste child stages added to it then. */
  sizedStage?: { stage: PlannedStage; extra: ReadonlyMap<number, WastedPath[]> | undefined };
}

interface PredictionMemo {
  stages: StageMemo[];
  readers: ReaderStamp;
  /** The measured-size reader and its version the prediction read (undefined: not known to be unchanged). */
  measured?: ReaderStamp;
}

function measuredStamp(readers: SizeReaders): ReaderStamp {
  return [readers.measured, readers.measured?.version?.()];
}

/** Readers that call `onPending` whenever one of them answers `pending` (plain wrappers: a Proxy costs a closure per call). */
function watchPending(readers: SizeReaders, onPending: () => void): SizeReaders {
  const seen = <T>(answer: T): T => {
    if ((answer as { state?: unknown }).state === 'pending') onPending();
    return answer;
  };
  const { context, images, downloads, packages, measured } = readers;
  const text = context?.text?.bind(context);
  const version = (reader: { version?(): number } | undefined): (() => number) | undefined => reader?.version?.bind(reader);
  return {
    context: context && {
      tree: () => context.tree(),
      unavailableReason: () => context.unavailableReason(),
      archive: (path) => seen(context.archive(path)),
      version: version(context),
      text: text && ((node) => seen(text(node))),
    },
    images: images && { imageSize: (ref, platform) => seen(images.imageSize(ref, platform)), version: version(images) },
    downloads: downloads && { contentLength: (url) => seen(downloads.contentLength(url)), version: version(downloads) },
    packages: packages && {
      estimateInstall: (request) => seen(packages.estimateInstall(request)),
      indexFootprint: (manager, baseImage, platform) => seen(packages.indexFootprint(manager, baseImage, platform)),
      version: version(packages),
    },
    measured,
  };
}

function sameBase(a: PlannedStage, b: PlannedStage): boolean {
  if (a.index !== b.index || a.name !== b.name || a.platform !== b.platform || a.base.kind !== b.base.kind) return false;
  if (a.base.kind === 'image' && b.base.kind === 'image') return a.base.ref === b.base.ref && a.base.digest === b.base.digest;
  if (a.base.kind === 'stage' && b.base.kind === 'stage') return a.base.stageIndex === b.base.stageIndex;
  return true;
}

/**
 * Whether the previous prediction of `stage` still holds: the stages it read predicted the same,
 * and its steps the same as far as sizes go. An edit above re-keys every later step (new objects):
 * those are compared by content, and their measured sizes looked up under the new cache keys.
 * `measuredChanged`: the measured-size reader is another one, or its version moved, since the previous prediction.
 */
function reusable(stage: PlannedStage, memo: StageMemo | undefined, settled: ReadonlySet<number>, plan: LayerPlan, measured: MeasuredSizeReader | undefined, measuredChanged: boolean, comparer: SizeInputComparer): memo is StageMemo {
  if (!memo || memo.pending) return false;
  const deps = memo.dependsOn;
  for (let i = 0; i < deps.length; i++) if (!settled.has(deps[i])) return false;
  // Findings quote steps of parent stages that may have been predicted alike after an edit.
  const quoted = memo.quoted ?? [];
  for (let i = 0; i < quoted.length; i++) if (plan.stages[quoted[i].stage]?.steps[quoted[i].step]?.display !== quoted[i].display) return false;
  // The planner hands unchanged stages over as the same object.
  const old = memo.stage;
  if (old === stage && !measuredChanged) return true;
  if (old !== stage) {
    if (old.steps.length !== stage.steps.length || !sameBase(old, stage) || memo.baseImage !== rootImageOf(plan, stage)) return false;
    for (let i = 0; i < stage.steps.length; i++) if (!comparer.sameStep(old.steps[i], stage.steps[i])) return false;
  }
  return sameMeasured(stage, old, memo.steps, measured, measuredChanged);
}

/**
 * Whether the layers of `stage` are measured as the reports of `old` say: those re-keyed since, or
 * all of them when the measured sizes may have changed (one lookup by cache key each).
 */
function sameMeasured(stage: PlannedStage, old: PlannedStage, reports: readonly StepSizeReport[], measured: MeasuredSizeReader | undefined, measuredChanged: boolean): boolean {
  let next = 0;
  for (let i = 0; i < stage.steps.length; i++) {
    const step = stage.steps[i];
    if (!step.createsLayer || step.index === 0) continue;
    // Without measurements no key is read (keys are worked out when first read).
    if (measured && !measuredChanged && step.cacheKey === old.steps[i].cacheKey) continue;
    // Every layer step has a report.
    while (next < reports.length && reports[next].stepIndex < step.index) next++;
    if (measured?.measuredBytes(step.cacheKey) !== reports[next]?.measuredBytes) return false;
  }
  return true;
}

function sameInstalled(a: ReadonlyMap<PackageManager, string[]>, b: ReadonlyMap<PackageManager, string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [manager, names] of a) if (!sameData(names, b.get(manager))) return false;
  return true;
}

/** Whether a stage predicted again gives the stages that read it what its previous prediction gave. */
function sameOutput(old: StageMemo | undefined, fresh: StageMemo): boolean {
  if (!old || old.pending || fresh.pending || old.stage.index !== fresh.stage.index || old.stage.name !== fresh.stage.name) return false;
  return sameInstalled(old.installed, fresh.installed) && sameData(old.report, fresh.report) && old.state.sameContent(fresh.state);
}

interface SharedState {
  plan: LayerPlan;
  readers: SizeReaders;
  stageStates: StagesBefore<StageFileState>;
  stageInstalled: StagesBefore<Map<PackageManager, string[]>>;
  stageReports: StagesBefore<StageSizeReport>;
  stageName(i: number): string;
}

const key = (ref: StepRef): string => `${ref.stage}:${ref.step}`;

/** Predicts one stage, pausing between steps when `pauses` says so; `pending` is for the caller to set (it watches the readers). */
function* predictStage(stage: PlannedStage, shared: SharedState, pauses: PausePoints | undefined): Generator<void, StageMemo> {
  const { plan, readers, stageStates, stageReports, stageName } = shared;
  const steps: StepSizeReport[] = [];
  const findings: SizeFinding[] = [];
  const stepReports = new Map<number, StepSizeReport>();
  const dependsOn: number[] = [];
  const parentIndex = stage.base.kind === 'stage' ? stage.base.stageIndex : undefined;
  if (parentIndex !== undefined) dependsOn.push(parentIndex);
  const parentState = parentIndex !== undefined ? stageStates.get(parentIndex) : undefined;
  const state = parentState ? parentState.clone() : new StageFileState();
  const inheritedWaste = state.wasted.length;
  const parentInstalled = parentIndex !== undefined ? shared.stageInstalled.get(parentIndex) : undefined;
  const installed = new Map<PackageManager, string[]>();
  if (parentInstalled) for (const [k, v] of parentInstalled) installed.set(k, [...v]);
  const baseImage = rootImageOf(plan, stage);
  let knownBytes = 0;
  let allKnown = true;
  let confidence: SizeConfidence = 'exact';
  const unknownSteps: number[] = [];
  if (parentIndex !== undefined) {
    const parent = stageReports.get(parentIndex);
    if (parent) {
      knownBytes = parent.knownBytes;
      allKnown = parent.imageBytes !== undefined;
      confidence = parent.confidence;
    } else allKnown = false;
  }

  let workdir: string | undefined;
  for (const step of stage.steps) {
    if (pauses?.due()) yield* pauses.pause();
    const ref = { stage: stage.index, step: step.index };
    // Directories are never forgotten: a working directory is added once.
    if (step.workdir !== workdir) state.addDirectory((workdir = step.workdir) || '/');
    let prediction: SizePrediction | undefined;
    let measured: number | undefined;
    const d = step.details;
    if ((d.kind === 'copy' || d.kind === 'add') && d.from.kind === 'stage') dependsOn.push(d.from.stageIndex);
    if (step.index === 0 && d.kind === 'from') {
      prediction = predictFrom(stage, readers, stageReports, stageName);
      if (stage.base.kind !== 'stage') {
        if (prediction.bytes !== undefined) knownBytes += prediction.bytes;
        else allKnown = false;
        confidence = weakerConfidence(confidence, prediction.confidence);
      }
    } else if (step.createsLayer) {
      try {
        if (d.kind === 'copy' || d.kind === 'add') prediction = predictCopyStep(step, d, { ref, state, readers, stageStates, stageName });
        else if (d.kind === 'run') prediction = predictRunStep(step, d, { ref, state, readers, stageStates, stageName, baseImage, platform: stage.platform, installed });
        else if (d.kind === 'workdir') prediction = predictWorkdir(step, state);
        else prediction = unknownSize(`${step.instruction} layers are not modelled`);
      } catch (error) {
        // A bug in a model must not take the plan down: the step becomes unknown, with the reason.
        prediction = unknownSize(`size prediction failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      measured = readers.measured?.measuredBytes(step.cacheKey);
      const bytes = measured ?? prediction.bytes;
      if (bytes !== undefined) knownBytes += bytes;
      else {
        allKnown = false;
        unknownSteps.push(step.index);
      }
      confidence = weakerConfidence(confidence, measured !== undefined ? 'exact' : prediction.confidence);
    }
    if (!prediction) continue;
    const report: StepSizeReport = { stageIndex: stage.index, stepIndex: step.index, prediction, wastedBytes: 0, wasted: [] };
    if (measured !== undefined && step.index !== 0) report.measuredBytes = measured;
    steps.push(report);
    stepReports.set(step.index, report);
    for (const finding of prediction.findings) findings.push(finding);
  }

  const newWaste = state.wasted.slice(inheritedWaste);
  const parentWaste: WastedPath[] = [];
  for (const w of newWaste) {
    const writer = w.writtenBy.stage === stage.index ? stepReports.get(w.writtenBy.step) : undefined;
    if (writer) {
      writer.wastedBytes += w.bytes;
      writer.wasted.push(w);
    } else if (w.writtenBy.stage !== stage.index) parentWaste.push(w);
  }
  const quoted: { stage: number; step: number; display: string }[] = [];
  const byHider = new Map<string, WastedPath[]>();
  for (const w of newWaste) {
    const list = byHider.get(key(w.hiddenBy));
    if (list) list.push(w);
    else byHider.set(key(w.hiddenBy), [w]);
  }
  for (const list of byHider.values()) {
    const total = list.reduce((s, w) => s + w.bytes, 0);
    const hider = list[0].hiddenBy;
    const writers = [...new Set(list.map((w) => {
      const display = plan.stages[w.writtenBy.stage]?.steps[w.writtenBy.step]?.display;
      if (display !== undefined) quoted.push({ stage: w.writtenBy.stage, step: w.writtenBy.step, display });
      return display ?? `step ${w.writtenBy.step}`;
    }))];
    findings.push({
      code: 'wasted-space',
      stageIndex: hider.stage,
      stepIndex: hider.step,
      message: `${list[0].how === 'copied-up' ? 'copies up' : list[0].how === 'replaced' ? 'replaces' : 'deletes'} ${formatBytes(total)} that stay in an earlier layer (${writers.slice(0, 2).join(', ')}); do it in the same step that writes them`,
      bytes: total,
      paths: [...list].sort((a, b) => b.bytes - a.bytes).slice(0, 5).map((w) => w.path),
    });
  }

  const allWaste = state.wasted;
  const wastedBytes = allWaste.reduce((s, w) => s + w.bytes, 0);
  const deleted = allWaste.filter((w) => w.how === 'deleted').reduce((s, w) => s + w.bytes, 0);
  const cumulative = knownBytes + deleted;
  const report: StageSizeReport = {
    stageIndex: stage.index,
    imageBytes: allKnown ? knownBytes : undefined,
    knownBytes,
    confidence: allKnown ? confidence : 'unknown',
    unknownSteps,
    wastedBytes,
    efficiency: cumulative === 0 ? 1 : Math.max(0, (cumulative - wastedBytes) / cumulative),
    largestWaste: [...allWaste].sort((a, b) => b.bytes - a.bytes).slice(0, 10),
  };
  return { stage, dependsOn, baseImage, quoted: quoted.length > 0 ? quoted : undefined, pending: false, state, installed, report, steps, findings, parentWaste };
}

function allIn(indexes: readonly number[], set: ReadonlySet<number>): boolean {
  for (let i = 0; i < indexes.length; i++) if (!set.has(indexes[i])) return false;
  return true;
}

/** Takes over the stages from `from` on while their previous prediction holds; the index of the first that does not. */
function takeOver(
  stages: readonly PlannedStage[], from: number, prior: PredictionMemo | undefined, settled: Set<number>, plan: LayerPlan,
  measured: MeasuredSizeReader | undefined, measuredChanged: boolean, comparer: SizeInputComparer, out: StageMemo[],
): number {
  let i = from;
  for (; i < stages.length; i++) {
    const stage = stages[i];
    const old = prior?.stages[stage.index];
    // The common case first, small enough to be inlined: the planner handed the stage over as it was.
    if (old !== undefined && old.stage === stage && !measuredChanged && !old.pending && old.quoted === undefined && allIn(old.dependsOn, settled)) {
      out.push(old);
      settled.add(stage.index);
      continue;
    }
    if (!reusable(stage, old, settled, plan, measured, measuredChanged, comparer)) break;
    out.push(old.stage === stage ? old : { ...old, stage, sizedStage: undefined });
    settled.add(stage.index);
  }
  return i;
}

/** Predicts every stage, taking over from `previous` every stage whose inputs did not change. */
function predictStages(plan: LayerPlan, readers: SizeReaders, previous: PredictionMemo | undefined): PredictionMemo {
  return runAllSteps(predictStagesInSteps(plan, readers, previous, undefined));
}

/** `predictStages`, pausing (yield) between steps when `pauses` says so. */
function* predictStagesInSteps(plan: LayerPlan, readers: SizeReaders, previous: PredictionMemo | undefined, pauses: PausePoints | undefined): Generator<void, PredictionMemo> {
  const stamp = readerStamp(readers);
  const prior = previous && sameStamp(previous.readers, stamp) ? previous : undefined;
  const measured = measuredStamp(readers);
  const measuredChanged = !prior?.measured || !sameStamp(prior.measured, measured);
  let pending = false;
  const watched = watchPending(readers, () => { pending = true; });
  /** The stages predicted or taken over so far, by index (the plan's stages are in index order). */
  const stages: StageMemo[] = [];
  const shared: SharedState = {
    plan, readers: watched,
    stageStates: { get: (i) => stages[i]?.state },
    stageInstalled: { get: (i) => stages[i]?.installed },
    stageReports: { get: (i) => stages[i]?.report },
    stageName: (i) => plan.stages[i]?.name ?? String(i),
  };
  /** Stages whose prediction gives the stages reading them what the previous one gave. */
  const settled = new Set<number>();
  const comparer = new SizeInputComparer();
  const all = plan.stages;
  for (let i = 0; i < all.length; i++) {
    // Stages taken over in a plain loop (most of them after an edit), not one generator step each.
    i = takeOver(all, i, prior, settled, plan, readers.measured, measuredChanged, comparer, stages);
    if (i >= all.length) break;
    const stage = all[i];
    pending = false;
    const memo = yield* predictStage(stage, shared, pauses);
    memo.pending = pending;
    if (sameOutput(prior?.stages[stage.index], memo)) settled.add(stage.index);
    stages.push(memo);
  }
  // Versions are taken after the run: lookups it started count as seen. Answers that changed
  // while paused may be in stages predicted before: then the stamp before the run is kept, so
  // nothing of this run is reused.
  return { stages, readers: pauses?.answersChanged ? stamp : readerStamp(readers), measured: sameStamp(measured, measuredStamp(readers)) ? measured : undefined };
}

/** Step reports in plan order, with the waste child stages found in their layers. */
function assembleSteps(memo: PredictionMemo): StepSizeReport[] {
  const extra = wasteFromChildren(memo);
  const steps: StepSizeReport[] = [];
  for (const stage of memo.stages) {
    const byStep = extra.get(stage.stage.index);
    for (const report of stage.steps) {
      const more = byStep?.get(report.stepIndex);
      if (!more) {
        steps.push(report);
        continue;
      }
      steps.push(withChildWaste(report, more));
    }
  }
  return steps;
}

/** A step's report with the waste child stages found in its layer added. */
function withChildWaste(report: StepSizeReport, more: readonly WastedPath[]): StepSizeReport {
  let wastedBytes = report.wastedBytes;
  for (const w of more) wastedBytes += w.bytes;
  return { ...report, wastedBytes, wasted: [...report.wasted, ...more] };
}

function reportOf(memo: PredictionMemo): SizeReport {
  const findings: SizeFinding[] = [];
  for (const stage of memo.stages) for (const finding of stage.findings) findings.push(finding);
  return { steps: assembleSteps(memo), stages: memo.stages.map((s) => s.report), findings };
}

/** Predicts every layer of every stage. Pure: all outside knowledge comes through `readers`. */
export function predictLayerSizes(plan: LayerPlan, readers: SizeReaders = {}): SizeReport {
  return reportOf(predictStages(plan, readers, undefined));
}

/** The size fields for one step from a report (what the plan's JSON carries). */
export function stepSizesOf(report: StepSizeReport): StepSizes {
  const sizes: StepSizes = { confidence: report.prediction.confidence, basis: report.prediction.basis };
  if (report.prediction.bytes !== undefined) sizes.predictedBytes = report.prediction.bytes;
  if (report.measuredBytes !== undefined) sizes.measuredBytes = report.measuredBytes;
  if (report.wastedBytes > 0 || report.prediction.bytes !== undefined) sizes.wastedBytes = report.wastedBytes;
  return sizes;
}

/** The prediction behind each plan `predictStepSizes` returned (for the next call's `previous`). */
const predictions = new WeakMap<LayerPlan, PredictionMemo>();

/** Waste child stages found in the layers of other stages, by stage and step index. */
function wasteFromChildren(memo: PredictionMemo): Map<number, Map<number, WastedPath[]>> {
  const extra = new Map<number, Map<number, WastedPath[]>>();
  for (const stage of memo.stages) {
    for (const w of stage.parentWaste) {
      let steps = extra.get(w.writtenBy.stage);
      if (!steps) extra.set(w.writtenBy.stage, (steps = new Map()));
      const list = steps.get(w.writtenBy.step);
      if (list) list.push(w);
      else steps.set(w.writtenBy.step, [w]);
    }
  }
  return extra;
}

/** Whether child stages added the same waste (the same objects: their predictions were reused). */
function sameWaste(a: ReadonlyMap<number, WastedPath[]> | undefined, b: ReadonlyMap<number, WastedPath[]> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [step, list] of a) {
    const other = b.get(step);
    if (!other || other.length !== list.length) return false;
    for (let i = 0; i < list.length; i++) if (list[i] !== other[i]) return false;
  }
  return true;
}

/** The stage with its steps sized; steps that did not change keep the objects handed out before. */
function sizeStage(stage: PlannedStage, memo: StageMemo, extra: ReadonlyMap<number, WastedPath[]> | undefined): PlannedStage {
  const sized: (PlannedStep | undefined)[] = [];
  const last = memo.sized;
  const reports = memo.steps;
  let next = 0;
  const steps = stage.steps.map((step, j) => {
    const report = reports[next]?.stepIndex === step.index ? reports[next++] : undefined;
    if (!report) {
      sized.push(step);
      return step;
    }
    const more = extra?.get(step.index);
    if (more) {
      sized.push(undefined);
      return withSizes(step, stepSizesOf(withChildWaste(report, more)));
    }
    const out = (last?.from[j] === step ? last.steps[j] : undefined) ?? withSizes(step, stepSizesOf(report));
    sized.push(out);
    return out;
  });
  memo.sized = { from: stage.steps, steps: sized };
  return copyStage(stage, { steps });
}

/**
 * Returns a copy of `plan` whose steps carry `predictedBytes`, `measuredBytes`, `basis`,
 * `confidence` and `wastedBytes`. Pure; never throws on any plan. With `previous` (a plan this
 * function returned), stages whose steps, parent stages and reader answers did not change are
 * taken over; the result is the same as predicting from scratch.
 */
export function predictStepSizes(plan: LayerPlan, readers: SizeReaders = {}, previous?: LayerPlan): LayerPlan {
  return runAllSteps(sizePlanInSteps(plan, readers, previous, undefined));
}

/**
 * `predictStepSizes` in steps: pauses (yield) once it has worked `sliceMs` since it last resumed,
 * between steps while predicting and between stages while sizing the plan (0: at every such
 * point), so a caller can give the event loop a turn at each pause (the language server on large
 * files). Same result.
 */
export function* predictStepSizesInSteps(plan: LayerPlan, readers: SizeReaders = {}, previous?: LayerPlan, sliceMs = 0): Generator<void, LayerPlan> {
  return yield* sizePlanInSteps(plan, readers, previous, new PausePoints(readers, sliceMs));
}

/** `predictStepSizesInSteps`; without `pauses` it never yields (nor checks the readers around a pause). */
function* sizePlanInSteps(plan: LayerPlan, readers: SizeReaders, previous: LayerPlan | undefined, pauses: PausePoints | undefined): Generator<void, LayerPlan> {
  const memo = yield* predictStagesInSteps(plan, readers, previous ? predictions.get(previous) : undefined, pauses);
  const extra = wasteFromChildren(memo);
  const stages: PlannedStage[] = [];
  for (let i = 0; i < plan.stages.length; i++) {
    if (pauses?.due()) yield* pauses.pause();
    const stage = plan.stages[i];
    const stageMemo = memo.stages[i];
    const more = extra.get(stage.index);
    const last = stageMemo.sizedStage;
    if (last && stageMemo.stage === stage && sameWaste(last.extra, more)) {
      stages.push(last.stage);
      continue;
    }
    const sized = sizeStage(stage, stageMemo, more);
    stageMemo.sizedStage = { stage: sized, extra: more };
    stages.push(sized);
  }
  const result: LayerPlan = { ...plan, stages };
  predictions.set(result, memo);
  return result;
}
