// The layer plan: what a build of a Dockerfile would do, step by step. JSON data: the planner's
// steps and stages read their cache keys through getters (worked out on first read, see
// plannedObjects.ts) and give this shape to JSON.stringify.
import type { Range, Severity } from '../parser/types';

/** A semantic problem found while planning (unknown stage, bad flag value, undefined variable...). */
export interface PlanProblem {
  range: Range;
  message: string;
  /** BuildKit's check name where one exists (e.g. `UndefinedVar`), else a kebab-case code. */
  code: string;
  severity: Severity;
}

/**
 * Read-only view of the build context, for COPY/ADD source checksums. Synchronous: callers keep
 * a cached scan (issue 5). Return undefined when the content is unknown.
 */
export interface BuildContextReader {
  /**
   * Hex sha256 over the files `source` selects (path relative to the context root, wildcards
   * allowed), names, modes and content included, mtimes excluded, `.dockerignore` honoured.
   */
  checksum(source: string, options: ChecksumOptions): string | undefined;
}

export interface ChecksumOptions {
  /** `--exclude` patterns of the instruction. */
  excludes: readonly string[];
  /** `--parents`. */
  parents: boolean;
}

/** What is known of a base image (from the local store or a registry cache); no I/O wait. */
export interface ImageResolver {
  /** Content digest (`sha256:...`) of `ref` (normalized, e.g. `docker.io/library/alpine:3.20`) for `platform`. */
  digest(ref: string, platform: string): string | undefined;
  /** The image config, when known: its ENV, WORKDIR, USER and SHELL seed the stage. */
  config?(ref: string, platform: string): BaseImageConfig | undefined;
}

/** The parts of an OCI image config that planning uses. */
export interface BaseImageConfig {
  env?: string[];
  workingDir?: string;
  user?: string;
  shell?: string[];
}

export interface PlanOptions {
  /** Stage name (case-insensitive) or index to build; default the last stage. */
  target?: string;
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** Target platform, `os/arch[/variant]`; default `buildPlatform`. */
  platform?: string;
  /** Platform of the builder; default `linux/amd64`. */
  buildPlatform?: string;
  /** Build context, for COPY/ADD content checksums. Without it those keys say "unknown". */
  context?: BuildContextReader;
  /** Base image digests. Without it FROM keys use the reference text. */
  images?: ImageResolver;
  /** The previous plan of the same document: unchanged steps are reused (fast re-plan). */
  previous?: LayerPlan;
}

/** Where a stage starts from. */
export type StageBase =
  | { kind: 'image'; ref: string; digest?: string }
  | { kind: 'stage'; stageIndex: number; name: string }
  | { kind: 'scratch' };

/** An edge of the stage graph: this stage needs `stageIndex`. */
export interface StageDependency {
  stageIndex: number;
  via: 'from' | 'copy' | 'mount';
  /** Step (within the dependent stage) that creates the edge; undefined for `from`. */
  stepIndex?: number;
  range: Range;
}

/** How sure a size is (issue 5). */
export type SizeConfidence = 'exact' | 'high' | 'medium' | 'low' | 'unknown';

/** Size fields a step can carry; all optional, filled by size prediction and builds. */
export interface StepSizes {
  predictedBytes?: number;
  measuredBytes?: number;
  /** How the prediction was made, or why it is unknown. */
  basis?: string;
  confidence?: SizeConfidence;
  wastedBytes?: number;
}

/** A RUN `--mount`, expanded. */
export interface RunMount {
  type: 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
  target?: string;
  source?: string;
  /** Stage index when `from=` names a stage; `fromImage` when it names an image. */
  fromStage?: number;
  fromImage?: string;
  id?: string;
  readOnly?: boolean;
  sharing?: 'shared' | 'private' | 'locked';
  mode?: string;
  uid?: string;
  gid?: string;
  required?: boolean;
  env?: string;
  size?: string;
  /** Every field as written (expanded), for anything not modelled above. */
  options: Record<string, string>;
}

/** A heredoc as the step uses it (content expanded when `expand`). */
export interface PlannedHeredoc {
  name: string;
  fileDescriptor: number;
  content: string;
  expand: boolean;
}

/** The source of COPY/ADD `--from`. */
export type CopyFrom = { kind: 'stage'; stageIndex: number } | { kind: 'image'; ref: string } | { kind: 'context' };

export type StepDetails =
  | { kind: 'from' }
  | {
      kind: 'run';
      /** The argv to execute: shell form gets the stage's SHELL prepended. */
      argv: string[];
      shellForm: boolean;
      mounts: RunMount[];
      network?: string;
      security?: string;
      heredocs: PlannedHeredoc[];
    }
  | {
      kind: 'copy' | 'add';
      sources: string[];
      destination: string;
      from: CopyFrom;
      chown?: string;
      chmod?: string;
      link: boolean;
      parents: boolean;
      excludes: string[];
      /** ADD --checksum. */
      checksum?: string;
      /** ADD --keep-git-dir. */
      keepGitDir?: boolean;
      /** ADD --unpack (undefined = default behaviour). */
      unpack?: boolean;
      heredocs: PlannedHeredoc[];
    }
  | { kind: 'env' | 'label'; pairs: { key: string; value: string }[] }
  | { kind: 'arg'; args: { name: string; value?: string }[] }
  | { kind: 'workdir'; path: string }
  | { kind: 'user'; user: string }
  | { kind: 'expose'; ports: string[] }
  | { kind: 'volume'; paths: string[] }
  | { kind: 'cmd' | 'entrypoint'; argv: string[]; shellForm: boolean }
  | { kind: 'shell'; argv: string[] }
  | { kind: 'stopsignal'; signal: string }
  | {
      kind: 'healthcheck';
      none: boolean;
      test: string[];
      interval?: string;
      timeout?: string;
      startPeriod?: string;
      startInterval?: string;
      retries?: number;
    }
  | { kind: 'onbuild'; trigger: string }
  | { kind: 'maintainer'; name: string }
  | { kind: 'unknown' };

/**
 * What went into a cache key: enough to explain a miss field by field.
 * The key is `sha256(canonical JSON of these inputs)`; `parent` chains it to the layer below.
 */
export interface CacheKeyInputs {
  /** Cache key of the filesystem state this step starts from ('' for the first FROM). */
  parent: string;
  /** The operation as BuildKit records it (`FROM`, `RUN`, `COPY`, `ADD`, `WORKDIR`, or config). */
  op: string;
  /** Expanded command line, e.g. `/bin/sh -c apt-get update` or `COPY src/ /app/`. */
  command: string;
  /** `KEY=VALUE` entries that reach the step (ENV, and build args for RUN), sorted. */
  env: string[];
  workdir: string;
  user: string;
  platform: string;
  /** For COPY/ADD: each source with its content checksum or 'unknown' (mtime excluded). */
  sources?: { path: string; checksum: string }[];
  /** Mount sources/targets, network and security mode for RUN; chown/chmod/link for COPY. */
  options?: Record<string, string>;
  /** For FROM: the base image reference and its digest ('unknown' when unresolved). */
  base?: { ref: string; digest: string };
}

/** A `$NAME` / `${NAME...}` used by a step, with what it resolved to there. */
export interface VariableUse {
  name: string;
  /** The whole reference, e.g. `${NAME:-x}`, in the document. */
  range: Range;
  /** The operator of `${NAME<op>word}`, when there is one (`:-`, `+`, `#`, `//`, ...). */
  modifier?: string;
  /** Whether the variable was set (ENV, a build arg with a value, or a global ARG on FROM). */
  set: boolean;
  /** Its value when set. */
  value?: string;
  /** Where the value comes from. */
  source?: 'env' | 'arg' | 'global-arg' | 'platform-arg';
  /**
   * Who expands it: the builder (BuildKit substitutes it; an unset one is BuildKit's
   * UndefinedVar), or the shell of a shell-form RUN at build time (from the same variables).
   */
  expandedBy: 'builder' | 'shell';
}

/** One instruction of a stage as the build would execute it. */
export interface PlannedStep extends StepSizes {
  /** Position within the stage (0 = FROM). */
  index: number;
  stageIndex: number;
  /** Index into `DockerfileSyntax.instructions`. */
  instructionIndex: number;
  /** Upper-case instruction name. */
  instruction: string;
  /** Range of the source instruction. */
  range: Range;
  /** True for RUN, COPY, ADD, and WORKDIR other than `/`. */
  createsLayer: boolean;
  /** WORKDIR: the layer is empty unless the directory is missing in the image. */
  layerOnlyIfMissing?: boolean;
  /** Arguments after variable expansion, as the builder uses them. */
  arguments: string[];
  /** Human-readable form, e.g. `RUN apt-get update`. */
  display: string;
  details: StepDetails;
  /** Build args in scope before this step runs, with their values (undefined = declared, no value). */
  args: Record<string, string | undefined>;
  /** Environment before this step runs. */
  env: Record<string, string>;
  workdir: string;
  user: string;
  shell: string[];
  /** Variables the step's expanded words used, with their resolved values. */
  variables: VariableUse[];
  /**
   * Hex sha256 of this step's operation, chained to the parent filesystem state
   * (`cacheKeyInputs.parent`). For `COPY --link` the parent is left out (the layer is
   * independent of what it lands on). For metadata steps it identifies the config change.
   */
  cacheKey: string;
  cacheKeyInputs: CacheKeyInputs;
  /** Cache key of the filesystem after this step (unchanged by metadata steps). */
  stateKey: string;
}

/** The image config a stage ends with (what the build engine writes). */
export interface PlannedImageConfig {
  env: Record<string, string>;
  workdir: string;
  user: string;
  shell: string[];
  cmd?: string[];
  entrypoint?: string[];
  labels: Record<string, string>;
  exposedPorts: string[];
  volumes: string[];
  stopSignal?: string;
  healthcheck?: Extract<StepDetails, { kind: 'healthcheck' }>;
  onbuild: string[];
  maintainer?: string;
}

/** One build stage (`FROM ... [AS name]` and its instructions). */
export interface PlannedStage {
  index: number;
  /** Lower-cased stage name, when `AS name` was given. */
  name?: string;
  nameRange?: Range;
  /** From the FROM line to the end of the stage's last instruction. */
  range: Range;
  base: StageBase;
  /** Expanded `--platform`, or the target platform. */
  platform: string;
  dependencies: StageDependency[];
  /** Needed to build the target. */
  reachable: boolean;
  steps: PlannedStep[];
  /** Cache key of the stage's final filesystem. */
  resultKey: string;
  /** The image config after the stage's last step. */
  config: PlannedImageConfig;
}

/** The whole plan. */
export interface LayerPlan {
  version: 1;
  stages: PlannedStage[];
  /** Index of the target stage; -1 when there are no stages. */
  targetStage: number;
  /** ARGs declared before the first FROM, with resolved values. */
  globalArgs: { name: string; value?: string; range: Range }[];
  /** Predefined platform args (BUILDPLATFORM, TARGETARCH, ...) with their values. */
  platformArgs: Record<string, string>;
  targetPlatform: string;
  buildPlatform: string;
  problems: PlanProblem[];
}
