// WORKDIR: BuildKit makes the directory (and its parents) with `mkdir -p`, owned by the stage's
// USER; when it already exists the step changes nothing and the image gets no layer for it.
import type { PlannedStep } from '../../server/plan/types';
import type { BuildSession } from './buildSession';
import type { LayerRef } from './layerStack';
import { LayerStaging } from './layerStaging';
import { resolveOwner } from './resolveOwner';

/** The staged layer, or undefined when the directory exists already. */
export async function workdirStep(session: BuildSession, step: PlannedStep, layers: readonly LayerRef[], now: number): Promise<LayerStaging | undefined> {
  if (step.details.kind !== 'workdir') throw new Error('internal error: workdirStep needs WORKDIR');
  const union = await session.union(layers);
  const resolved = union.resolve(step.details.path) ?? step.details.path;
  if (union.lookup(resolved)?.stat.isDirectory()) return undefined;
  const owner = step.user ? resolveOwner(step.user, union) : { uid: 0, gid: 0 };
  const staging = new LayerStaging(await session.scratch.dir('build-workdir'), union, session.ids, { mode: 0o755, owner, mtime: now });
  staging.ensureDir(resolved);
  staging.finish();
  return staging;
}
