// Entry point of size prediction: walks the plan stage by stage, predicts every layer, tracks
// the files each stage is known to hold, and derives wasted space and an efficiency score.
import type { LayerPlan, PlannedStage, PlannedStep, SizeConfidence, StepSizes } from '../types';
import { formatBytes } from './formatBytes';
import { predictCopyStep, type StepContext } from './predictCopyStep';
import { predictRunStep } from './predictRunStep';
import type { PackageManager, SizeReaders } from './sizeReaders';
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

function predictFrom(stage: PlannedStage, readers: SizeReaders, stageReports: ReadonlyMap<number, StageSizeReport>, stageName: (i: number) => string): SizePrediction {
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

/** Predicts every layer of every stage. Pure: all outside knowledge comes through `readers`. */
export function predictLayerSizes(plan: LayerPlan, readers: SizeReaders = {}): SizeReport {
  const steps: StepSizeReport[] = [];
  const stages: StageSizeReport[] = [];
  const findings: SizeFinding[] = [];
  const stageStates = new Map<number, StageFileState>();
  const stageInstalled = new Map<number, Map<PackageManager, string[]>>();
  const stageReports = new Map<number, StageSizeReport>();
  const stepReports = new Map<string, StepSizeReport>();
  const stageName = (i: number): string => plan.stages[i]?.name ?? String(i);
  const key = (ref: StepRef): string => `${ref.stage}:${ref.step}`;

  for (const stage of plan.stages) {
    const parentIndex = stage.base.kind === 'stage' ? stage.base.stageIndex : undefined;
    const parentState = parentIndex !== undefined ? stageStates.get(parentIndex) : undefined;
    const state = parentState ? parentState.clone() : new StageFileState();
    const inheritedWaste = state.wasted.length;
    const installed = new Map([...(parentIndex !== undefined ? stageInstalled.get(parentIndex) ?? new Map<PackageManager, string[]>() : new Map<PackageManager, string[]>())].map(([k, v]) => [k, [...v]] as [PackageManager, string[]]));
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

    for (const step of stage.steps) {
      const ref = { stage: stage.index, step: step.index };
      const ctx: StepContext = { ref, state, readers, stageStates, stageName };
      state.addDirectory(step.workdir || '/');
      let prediction: SizePrediction | undefined;
      const d = step.details;
      if (step.index === 0 && d.kind === 'from') {
        prediction = predictFrom(stage, readers, stageReports, stageName);
        if (stage.base.kind !== 'stage') {
          if (prediction.bytes !== undefined) knownBytes += prediction.bytes;
          else allKnown = false;
          confidence = weakerConfidence(confidence, prediction.confidence);
        }
      } else if (step.createsLayer) {
        try {
          if (d.kind === 'copy' || d.kind === 'add') prediction = predictCopyStep(step, d, ctx);
          else if (d.kind === 'run') prediction = predictRunStep(step, d, { ...ctx, baseImage, platform: stage.platform, installed });
          else if (d.kind === 'workdir') prediction = predictWorkdir(step, state);
          else prediction = unknownSize(`${step.instruction} layers are not modelled`);
        } catch (error) {
          // A bug in a model must not take the plan down: the step becomes unknown, with the reason.
          prediction = unknownSize(`size prediction failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        const measured = readers.measured?.measuredBytes(step.cacheKey);
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
      const measured = step.index === 0 ? undefined : readers.measured?.measuredBytes(step.cacheKey);
      if (measured !== undefined) report.measuredBytes = measured;
      steps.push(report);
      stepReports.set(key(ref), report);
      findings.push(...prediction.findings);
    }

    const newWaste = state.wasted.slice(inheritedWaste);
    for (const w of newWaste) {
      const writer = stepReports.get(key(w.writtenBy));
      if (writer) {
        writer.wastedBytes += w.bytes;
        writer.wasted.push(w);
      }
    }
    const byHider = new Map<string, WastedPath[]>();
    for (const w of newWaste) byHider.set(key(w.hiddenBy), [...(byHider.get(key(w.hiddenBy)) ?? []), w]);
    for (const list of byHider.values()) {
      const total = list.reduce((s, w) => s + w.bytes, 0);
      const hider = list[0].hiddenBy;
      const writers = [...new Set(list.map((w) => plan.stages[w.writtenBy.stage]?.steps[w.writtenBy.step]?.display ?? `step ${w.writtenBy.step}`))];
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
    stages.push(report);
    stageReports.set(stage.index, report);
    stageStates.set(stage.index, state);
    stageInstalled.set(stage.index, installed);
  }
  return { steps, stages, findings };
}

/** The size fields for one step from a report (what the plan's JSON carries). */
export function stepSizesOf(report: StepSizeReport): StepSizes {
  const sizes: StepSizes = { confidence: report.prediction.confidence, basis: report.prediction.basis };
  if (report.prediction.bytes !== undefined) sizes.predictedBytes = report.prediction.bytes;
  if (report.measuredBytes !== undefined) sizes.measuredBytes = report.measuredBytes;
  if (report.wastedBytes > 0 || report.prediction.bytes !== undefined) sizes.wastedBytes = report.wastedBytes;
  return sizes;
}

/**
 * Returns a copy of `plan` whose steps carry `predictedBytes`, `measuredBytes`, `basis`,
 * `confidence` and `wastedBytes`. Pure; never throws on any plan.
 */
export function predictStepSizes(plan: LayerPlan, readers: SizeReaders = {}): LayerPlan {
  const report = predictLayerSizes(plan, readers);
  const byStep = new Map(report.steps.map((s) => [`${s.stageIndex}:${s.stepIndex}`, s]));
  return {
    ...plan,
    stages: plan.stages.map((stage) => ({
      ...stage,
      steps: stage.steps.map((step) => {
        const sized = byStep.get(`${stage.index}:${step.index}`);
        return sized ? { ...step, ...stepSizesOf(sized) } : step;
      }),
    })),
  };
}
