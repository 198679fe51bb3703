// FileDeletedInLaterLayer: a file added by one layer and deleted by a later one still takes
// space in the earlier layer; the image does not get smaller.
import type { LintContext } from '../lintContext';
import type { PlannedStep } from '../../plan/types';
import type { Rule } from '../rule';
import { deletionHits, layerEffects, type Addition } from './filesystemEffects';
import { formatBytes } from '../../plan/size/formatBytes';

/** The size part of the message: the plan's wasted bytes of the adding step (what later steps hide), else its size. */
function sizeOf(addition: Addition, addingStep: PlannedStep | undefined): string {
  if (addingStep?.wastedBytes !== undefined && addingStep.wastedBytes > 0) return `${formatBytes(addingStep.wastedBytes)} of that layer wasted`;
  const bytes = addingStep?.measuredBytes ?? addingStep?.predictedBytes;
  if (addition.wholeStep && bytes !== undefined && bytes > 0) return `${formatBytes(bytes)} wasted`;
  return 'size unknown';
}

export const fileDeletedInLaterLayer: Rule = {
  scope: 'stage',
  readsSizes: true,
  wordsLines: true,
  meta: {
    code: 'FileDeletedInLaterLayer',
    title: 'File added in one layer and deleted in a later one',
    explanation: 'Layers only add: deleting a file in a later layer hides it but the earlier layer still carries its bytes in the image.',
    fix: 'Delete it in the same RUN that created it, use `RUN --mount=type=bind`/`cache` to avoid adding it, or copy only what is needed.',
    href: 'https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers',
    origin: 'layerlens',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      if (!ctx.shipsInTarget(stage.index)) continue;
      const { additions, deletions } = layerEffects(ctx, stage);
      if (additions.length === 0 || deletions.length === 0) continue;
      const order = new Map<number, number>();
      ctx.stageChain(stage).reverse().forEach((s, k) => s.body.forEach((i, j) => order.set(i, k * 1e6 + j)));
      const reported = new Set<string>();
      for (const deletion of deletions) {
        const when = order.get(deletion.instructionIndex) ?? 0;
        const hit = additions.find((a) => (order.get(a.instructionIndex) ?? 0) < when && deletionHits(deletion.path, a));
        if (!hit) continue;
        const key = `${deletion.instructionIndex}:${deletion.word?.start ?? deletion.invocation.nameWord.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const line = ctx.instructions[hit.instructionIndex].range.start.line + 1;
        const range = deletion.word
          ? deletion.script.rangeAt(deletion.word.start, deletion.word.end)
          : deletion.script.rangeAt(deletion.invocation.command.start, deletion.invocation.command.end);
        const size = sizeOf(hit, ctx.step(hit.instructionIndex));
        ctx.report({
          code: 'FileDeletedInLaterLayer',
          range,
          message: `${hit.path} was added by ${hit.by} on line ${line}; deleting it in a later layer does not shrink the image (${size})`,
          instructionIndex: deletion.instructionIndex,
        });
      }
    }
  },
};

/** Reported by size prediction (a RUN that chmods/chowns files of earlier layers copies them up). */
export const fileCopiedUp: Rule = {
  meta: {
    code: 'FileCopiedUp',
    title: 'Files of earlier layers copied up by a later step',
    explanation: 'Changing the mode or owner of a file from an earlier layer stores a full new copy of it in this layer.',
    fix: 'Set modes and owners when the file is added (`COPY --chmod`/`--chown`), or in the same RUN that creates it.',
    href: 'https://docs.docker.com/reference/dockerfile/#copy---chown---chmod',
    origin: 'layerlens',
    defaultSeverity: 'warning',
    upstream: true,
  },
};

/** Reported by size prediction when no rule covers the cache (yarn, go, cargo, gem...). */
export const cacheLeftInLayer: Rule = {
  meta: {
    code: 'CacheLeftInLayer',
    title: 'Package manager cache left in the layer',
    explanation: 'Download caches written by a RUN stay in its layer and ship in the image although nothing uses them at run time.',
    fix: 'Clean the cache in the same RUN, or mount it with `RUN --mount=type=cache,target=...`.',
    href: 'https://docs.docker.com/build/cache/optimize/#use-cache-mounts',
    origin: 'layerlens',
    defaultSeverity: 'information',
    upstream: true,
  },
};
