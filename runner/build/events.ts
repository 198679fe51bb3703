// The build engine's progress: a stream of plain JSON events. The CLI renders them (a live display
// in a terminal, plain lines otherwise, or one JSON object per line with `--progress=json`, which
// is what the VS Code client reads). Ranges are the plan's: 0-based lines and UTF-16 columns of the
// Dockerfile, end exclusive (LSP ranges). Times are milliseconds since the Unix epoch.
import type { Range } from '../../server/parser/types';

export type { Range };

/** Which step an event is about: indices into `LayerPlan.stages[stage].steps`. */
export interface StepRef {
  stage: number;
  step: number;
}

export interface BuildStartedEvent {
  type: 'build-started';
  time: number;
  dockerfile: string;
  context: string;
  /** Index of the target stage. */
  target: number;
  /** Stages the target needs, in plan order, with their step count (FROM included). */
  stages: { index: number; name?: string; steps: number }[];
  platform: string;
}

export interface PullEvent {
  type: 'pull';
  time: number;
  ref: string;
  status: 'started' | 'progress' | 'done';
  /** Bytes downloaded so far / total of the current layer (status `progress`). */
  current?: number;
  total?: number;
}

export interface StageStartedEvent {
  type: 'stage-started';
  time: number;
  stage: number;
  name?: string;
}

export interface StageFinishedEvent {
  type: 'stage-finished';
  time: number;
  stage: number;
  durationMs: number;
}

export interface StepStartedEvent extends StepRef {
  type: 'step-started';
  time: number;
  instruction: string;
  /** `RUN apt-get update`, as the plan displays the step. */
  display: string;
  range: Range;
  /** The plan's cache key of the step (hex sha256). */
  cacheKey: string;
  /** Set for a step that an ONBUILD trigger of the base added. */
  onbuild?: boolean;
}

export interface StepOutputEvent extends StepRef {
  type: 'step-output';
  time: number;
  stream: 'stdout' | 'stderr';
  /** One line, without its newline (a partial last line is flushed at the end). */
  line: string;
}

export interface StepFinishedEvent extends StepRef {
  type: 'step-finished';
  time: number;
  durationMs: number;
  /** The result came from the build cache (nothing ran). */
  cached: boolean;
  /** The layer the step made: absent for metadata steps and for steps that changed nothing. */
  layer?: { diffId: string; bytes: number };
  cacheKey: string;
}

export interface StepFailedEvent extends StepRef {
  type: 'step-failed';
  time: number;
  durationMs: number;
  range: Range;
  message: string;
  /** Exit code of a failed RUN. */
  exitCode?: number;
  /** The last lines the RUN printed (stdout and stderr interleaved). */
  lastLines: string[];
}

export interface WarningEvent {
  type: 'warning';
  time: number;
  message: string;
  range?: Range;
  code?: string;
}

export interface BuildFinishedEvent {
  type: 'build-finished';
  time: number;
  durationMs: number;
  /** Image id (config digest) and manifest digest of the result. */
  imageId: string;
  manifestDigest: string;
  tags: string[];
  steps: number;
  cachedSteps: number;
}

export interface BuildFailedEvent {
  type: 'build-failed';
  time: number;
  durationMs: number;
  message: string;
  /** Where in the Dockerfile, when the failure has a place. */
  range?: Range;
  step?: StepRef;
  exitCode?: number;
}

export type BuildEvent =
  | BuildStartedEvent
  | PullEvent
  | StageStartedEvent
  | StageFinishedEvent
  | StepStartedEvent
  | StepOutputEvent
  | StepFinishedEvent
  | StepFailedEvent
  | WarningEvent
  | BuildFinishedEvent
  | BuildFailedEvent;

export type BuildEventListener = (event: BuildEvent) => void;
