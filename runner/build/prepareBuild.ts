// From Dockerfile text to the plan the build executes: parse, scan the build context (the same
// scanner and checksums the language server uses), resolve (and pull) base images so their
// digests and configs enter the plan, add ONBUILD triggers of the bases, and wait for context
// checksums so no cache key is left "unknown". Problems of stages the target needs stop the build.
import type { DockerfileSyntax, Range } from '../../server/parser/types';
import { parseDockerfile } from '../../server/parser';
import { planDockerfile } from '../../server/plan';
import { parsePlatform } from '../../server/plan/platform';
import type { BaseImageConfig, ImageResolver, LayerPlan, PlannedStep, PlanOptions, PlanProblem } from '../../server/plan/types';
import { openBuildContext, type OpenBuildContext } from '../../server/context';
import { pullImage } from '../registry/pullImage';
import type { ImageStore, StoredImage } from '../store/imageStore';
import { BuildError } from './buildError';
import type { BuildEvent } from './events';

export interface PrepareOptions {
  text: string;
  dockerfilePath: string;
  contextDir: string;
  target?: string;
  buildArgs: Record<string, string>;
  platform: string;
  buildPlatform: string;
  pull: boolean;
  emit(event: BuildEvent): void;
}

export interface PreparedBuild {
  syntax: DockerfileSyntax;
  plan: LayerPlan;
  context: OpenBuildContext;
  /** Images the plan names, by `ref|platform`. */
  images: Map<string, StoredImage>;
  /** The range to report for a step (ONBUILD trigger steps point at their FROM). */
  rangeOf(step: PlannedStep): Range;
  isOnbuild(step: PlannedStep): boolean;
}

/** Lines inserted after a FROM for ONBUILD triggers, and how to map ranges back. */
interface Insertion {
  afterLine: number;
  count: number;
  fromRange: Range;
}

export function imageKey(ref: string, platform: string): string {
  return `${ref}|${platform}`;
}

function platformMatches(image: StoredImage, platform: string): boolean {
  const want = parsePlatform(platform);
  if (typeof want === 'string') return true;
  return image.config.os === want.os && image.config.architecture === want.architecture && (!want.variant || !image.config.variant || image.config.variant === want.variant);
}

async function resolveImage(store: ImageStore, ref: string, platform: string, pull: boolean, emit: (e: BuildEvent) => void): Promise<StoredImage> {
  if (!pull) {
    const local = await store.resolveImage(ref);
    if (local && platformMatches(local, platform)) return local;
  }
  const parsed = parsePlatform(platform);
  emit({ type: 'pull', time: Date.now(), ref, status: 'started' });
  try {
    const image = await pullImage(store, ref, {
      platform: typeof parsed === 'string' ? undefined : { os: parsed.os, architecture: parsed.architecture, ...(parsed.variant ? { variant: parsed.variant } : {}) },
      onEvent: (e) => {
        if (e.kind === 'layer-progress') emit({ type: 'pull', time: Date.now(), ref, status: 'progress', current: e.progress.received, total: e.progress.total });
      },
    });
    emit({ type: 'pull', time: Date.now(), ref, status: 'done' });
    return image;
  } catch (err) {
    const local = pull ? await store.resolveImage(ref) : undefined;
    if (local && platformMatches(local, platform)) {
      emit({ type: 'warning', time: Date.now(), message: `could not pull ${ref} (${(err as Error).message}); using the local image` });
      return local;
    }
    throw new BuildError(`${ref}: not in the local store and cannot be pulled: ${(err as Error).message}`);
  }
}

/** Image references the reachable stages need, with the platform of each. */
function referencedImages(plan: LayerPlan): { ref: string; platform: string; range: Range }[] {
  const out: { ref: string; platform: string; range: Range }[] = [];
  for (const stage of plan.stages) {
    if (!stage.reachable) continue;
    if (stage.base.kind === 'image') out.push({ ref: stage.base.ref, platform: stage.platform, range: stage.steps[0].range });
    for (const step of stage.steps) {
      const d = step.details;
      if ((d.kind === 'copy' || d.kind === 'add') && d.from.kind === 'image') out.push({ ref: d.from.ref, platform: stage.platform, range: step.range });
      if (d.kind === 'run') for (const m of d.mounts) if (m.fromImage) out.push({ ref: m.fromImage, platform: stage.platform, range: step.range });
    }
  }
  return out;
}

function configOf(image: StoredImage): BaseImageConfig {
  const c = image.config.config ?? {};
  return { env: c.Env, workingDir: c.WorkingDir, user: c.User, shell: c.Shell };
}

function firstError(problems: readonly PlanProblem[]): PlanProblem | undefined {
  return problems.find((p) => p.severity === 'error');
}

/** The text with each stage's ONBUILD triggers inserted after its FROM. */
function withTriggers(text: string, syntax: DockerfileSyntax, plan: LayerPlan, images: Map<string, StoredImage>): { text: string; insertions: Insertion[] } | undefined {
  const insertions: (Insertion & { lines: string[] })[] = [];
  for (const stage of plan.stages) {
    if (!stage.reachable) continue;
    let triggers: string[] = [];
    if (stage.base.kind === 'image') triggers = images.get(imageKey(stage.base.ref, stage.platform))?.config.config?.OnBuild ?? [];
    else if (stage.base.kind === 'stage') triggers = plan.stages[stage.base.stageIndex].config.onbuild;
    if (triggers.length === 0) continue;
    const from = syntax.instructions[stage.steps[0].instructionIndex];
    for (const t of triggers) {
      if (/^\s*(ONBUILD|FROM|MAINTAINER)\b/i.test(t)) throw new BuildError(`ONBUILD trigger "${t}" of the base is not allowed`, { range: from.range });
    }
    const lines = triggers.flatMap((t) => t.split(/\r?\n/));
    insertions.push({ afterLine: from.range.end.line, count: lines.length, fromRange: from.range, lines });
  }
  if (insertions.length === 0) return undefined;
  const original = text.split('\n');
  const out: string[] = [];
  original.forEach((line, i) => {
    out.push(line);
    for (const ins of insertions) if (ins.afterLine === i) out.push(...ins.lines);
  });
  return { text: out.join('\n'), insertions: insertions.map(({ afterLine, count, fromRange }) => ({ afterLine, count, fromRange })) };
}

function rangeMapper(insertions: Insertion[]): { rangeOf(r: Range): Range; inserted(r: Range): boolean } {
  const sorted = [...insertions].sort((a, b) => a.afterLine - b.afterLine);
  const locate = (line: number): { line: number } | { from: Range } => {
    let shift = 0;
    for (const ins of sorted) {
      const start = ins.afterLine + 1 + shift;
      if (line < start) break;
      if (line < start + ins.count) return { from: ins.fromRange };
      shift += ins.count;
    }
    return { line: line - shift };
  };
  return {
    inserted: (r) => 'from' in locate(r.start.line),
    rangeOf: (r) => {
      const start = locate(r.start.line);
      if ('from' in start) return start.from;
      const end = locate(r.end.line);
      return { start: { line: start.line, character: r.start.character }, end: 'from' in end ? { line: start.line, character: r.start.character } : { line: end.line, character: r.end.character } };
    },
  };
}

/** RUN needs the host's architecture: there is no emulation. COPY-only foreign stages are fine. */
function refuseForeignRuns(plan: LayerPlan, host: string): void {
  const arch = (p: string) => p.split('/')[1];
  for (const stage of plan.stages) {
    if (!stage.reachable || arch(stage.platform) === arch(host) || !stage.steps.some((s) => s.details.kind === 'run')) continue;
    throw new BuildError(`stage ${stage.name ?? stage.index} is for ${stage.platform} and has RUN steps, which cannot run on this ${host} machine (no emulation)`, { range: stage.steps[0].range });
  }
}

export async function prepareBuild(store: ImageStore, o: PrepareOptions): Promise<PreparedBuild> {
  let text = o.text;
  let syntax = parseDockerfile(text);
  const syntaxError = syntax.problems.find((p) => p.severity === 'error');
  if (syntaxError) throw new BuildError(`${syntaxError.message} [${syntaxError.code}]`, { range: syntaxError.range });
  if (syntax.instructions.length === 0) throw new BuildError('the Dockerfile is empty');

  const context = openBuildContext({ contextDir: o.contextDir, dockerfilePath: o.dockerfilePath, watch: false });
  await context.ready;
  const scan = context.scanner.state();
  if (scan.state === 'error') {
    context.dispose();
    throw new BuildError(`build context ${o.contextDir}: ${scan.message}`);
  }
  try {
    const images = new Map<string, StoredImage>();
    const resolver: ImageResolver = {
      digest: (ref, platform) => images.get(imageKey(ref, platform))?.manifestDigest,
      config: (ref, platform) => {
        const image = images.get(imageKey(ref, platform));
        return image ? configOf(image) : undefined;
      },
    };
    const planOptions: PlanOptions = { target: o.target, buildArgs: o.buildArgs, platform: o.platform, buildPlatform: o.buildPlatform, context: context.reader };
    const plan = (): LayerPlan => planDockerfile(syntax, { ...planOptions, images: resolver });
    const resolveAll = async (p: LayerPlan): Promise<void> => {
      for (const { ref, platform, range } of referencedImages(p)) {
        const key = imageKey(ref, platform);
        if (images.has(key)) continue;
        try {
          images.set(key, await resolveImage(store, ref, platform, o.pull, o.emit));
        } catch (err) {
          throw err instanceof BuildError ? new BuildError(err.message, { range }) : err;
        }
      }
    };

    let current = planDockerfile(syntax, planOptions);
    const early = firstError(current.problems);
    if (early) throw new BuildError(`${early.message} [${early.code}]`, { range: early.range });
    refuseForeignRuns(current, o.buildPlatform);
    await resolveAll(current);
    current = plan();
    await resolveAll(current); // COPY --from=image refs now carry digests

    let insertions: Insertion[] = [];
    const triggered = withTriggers(text, syntax, current, images);
    if (triggered) {
      text = triggered.text;
      insertions = triggered.insertions;
      syntax = parseDockerfile(text);
      const bad = syntax.problems.find((p) => p.severity === 'error');
      if (bad) throw new BuildError(`ONBUILD trigger: ${bad.message}`, { range: rangeMapper(insertions).rangeOf(bad.range) });
      current = plan();
      await resolveAll(current);
    }

    // Context checksums are hashed in the background: plan again until every one is known.
    for (let round = 0; round < 5; round++) {
      current = plan();
      for (const stage of current.stages) {
        for (const step of stage.steps) {
          const d = step.details;
          if (stage.reachable && d.kind === 'run') for (const m of d.mounts) if (m.type === 'bind' && m.fromStage === undefined && m.fromImage === undefined) context.reader.checksum(m.source ?? '.', { excludes: [], parents: false });
        }
      }
      const pending = current.stages.some((s) => s.reachable && s.steps.some((step) => step.cacheKeyInputs.sources?.some((src) => src.checksum === 'unknown' && !/^https?:\/\//.test(src.path))));
      await context.reader.settle();
      if (!pending) break;
    }
    current = plan();

    const mapper = rangeMapper(insertions);
    const error = firstError(current.problems);
    if (error) throw new BuildError(`${error.message} [${error.code}]`, { range: mapper.rangeOf(error.range) });
    for (const p of current.problems) {
      // SOURCE_DATE_EPOCH is read by the builder itself, as BuildKit does: not an unused arg.
      if (p.code === 'unused-build-arg' && /\bSOURCE_DATE_EPOCH\b/.test(p.message)) continue;
      o.emit({ type: 'warning', time: Date.now(), message: p.message, range: mapper.rangeOf(p.range), code: p.code });
    }
    return {
      syntax,
      plan: current,
      context,
      images,
      rangeOf: (step) => mapper.rangeOf(step.range),
      isOnbuild: (step) => mapper.inserted(step.range),
    };
  } catch (err) {
    context.dispose();
    throw err;
  }
}
