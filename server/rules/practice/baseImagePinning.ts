// Base images should be pinned: a tag at least (hadolint DL3006), not `latest` (DL3007). When the
// digest is known (local store or plan, looked up when the fix is asked for), the quick fix pins it.
import { parseImageReference } from '../../../runner/store/imageReference';
import { fromImageRef, globalArgs } from '../buildkit/globalArgs';
import type { LintContext, StageView } from '../lintContext';
import { hadolintDocs, type Rule } from '../rule';
import type { QuickFix } from '../types';

interface BaseImage {
  ref: string;
  tag?: string;
  digest?: string;
}

function baseImageOf(ctx: LintContext, stage: StageView, args: Record<string, string>): BaseImage | undefined {
  const ref = fromImageRef(ctx, stage, args);
  if (!ref) return undefined;
  try {
    parseImageReference(ref);
  } catch {
    return undefined;
  }
  // parseImageReference fills in `latest`; what was written decides here.
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
  return { ref, tag, digest: at >= 0 ? ref.slice(at + 1) : undefined };
}

function digestFix(ctx: LintContext, stage: StageView, image: BaseImage): QuickFix[] | undefined {
  const word = stage.from.image;
  if (!word || word.value.includes('$')) return undefined;
  const digest = (stage.plan?.base.kind === 'image' ? stage.plan.base.digest : undefined) ?? ctx.options.images?.find(image.ref)?.digest;
  if (!digest) return undefined;
  return [{ title: `Pin to digest ${digest.slice(0, 19)}…`, edits: [{ range: word.range, newText: `${word.value}@${digest}` }], preferred: true }];
}

export const baseImageUntagged: Rule = {
  meta: {
    code: 'BaseImageUntagged',
    title: 'Always tag the version of an image explicitly',
    explanation: 'An untagged base image means `latest`, which changes under you between builds.',
    fix: 'Add a version tag (`debian:12`), or pin the digest.',
    href: hadolintDocs('DL3006'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3006'],
  },
  check(ctx: LintContext) {
    const args = globalArgs(ctx, true).values;
    for (const stage of ctx.stages) {
      const image = baseImageOf(ctx, stage, args);
      if (!image || image.tag || image.digest || !stage.from.image) continue;
      ctx.report({
        code: 'BaseImageUntagged',
        range: stage.from.image.range,
        message: `Always tag the version of an image explicitly: ${image.ref} means ${image.ref}:latest`,
        instructionIndex: stage.fromIndex,
        fixes: () => digestFix(ctx, stage, image),
      });
    }
  },
};

export const baseImageLatestTag: Rule = {
  meta: {
    code: 'BaseImageLatestTag',
    title: 'Using latest is prone to errors if the image will ever update',
    explanation: '`latest` moves with every upstream release, so the same Dockerfile builds different images over time.',
    fix: 'Use a release tag (`node:22`), or pin the digest.',
    href: hadolintDocs('DL3007'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3007'],
  },
  check(ctx: LintContext) {
    const args = globalArgs(ctx, true).values;
    for (const stage of ctx.stages) {
      const image = baseImageOf(ctx, stage, args);
      if (!image || image.tag !== 'latest' || image.digest || !stage.from.image) continue;
      ctx.report({
        code: 'BaseImageLatestTag',
        range: stage.from.image.range,
        message: `Using latest is prone to errors if the image will ever update: pin ${image.ref} to a release tag or digest`,
        instructionIndex: stage.fromIndex,
        fixes: () => digestFix(ctx, stage, image),
      });
    }
  },
};
