// Checks of FROM lines: UndefinedArgInFrom, InvalidDefaultArgInFrom, RedundantTargetPlatform,
// FromPlatformFlagConstDisallowed and InvalidBaseImagePlatform.
import { lookupIn, processWord } from '../../parser/shell/lexer';
import type { FlagNode, Range } from '../../parser/types';
import { parseImageReference } from '../../../runner/store/imageReference';
import { goQuote, rangeInFlagValue, rangeInWord, replace } from '../edits';
import type { LintContext, StageView } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';
import { suggestName } from '../suggest';
import { fromImageRef, globalArgs, parsePlatform, PREDEFINED_ARGS } from './globalArgs';

function platformFlag(stage: StageView): FlagNode | undefined {
  return stage.from.flags.find((f) => f.name === 'platform' && f.value !== undefined);
}

export const undefinedArgInFrom: Rule = {
  meta: {
    code: 'UndefinedArgInFrom',
    title: 'FROM command must use declared ARGs',
    explanation: 'A variable in FROM that no ARG before the first FROM declares expands to an empty string.',
    fix: 'Declare the ARG before the first FROM (or fix the typo).',
    href: buildkitDocs('UndefinedArgInFrom'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    const args = globalArgs(ctx, true);
    const known = new Set([...args.declared, ...Object.keys(args.values), ...PREDEFINED_ARGS]);
    const lookup = lookupIn(args.values);
    for (const stage of ctx.stages) {
      const report = (name: string, range: Range) => {
        const suggestion = suggestName(name, known);
        ctx.report({
          code: 'UndefinedArgInFrom',
          range,
          message: `FROM argument '${name}' is not declared${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
          instructionIndex: stage.fromIndex,
          fixes: suggestion ? [{ title: `Change to ${suggestion}`, edits: [replace(range, suggestion)], preferred: true }] : undefined,
        });
      };
      const image = stage.from.image;
      if (image && image.value.includes('$')) {
        for (const ref of processWord(image.value, lookup, { escapeChar: ctx.syntax.escapeChar }).references) {
          if (!ref.set && !known.has(ref.name)) report(ref.name, rangeInWord(stage.from, image, ref.nameStart, ref.nameEnd));
        }
      }
      const flag = platformFlag(stage);
      if (flag?.value !== undefined && flag.value.includes('$')) {
        for (const ref of processWord(flag.value, lookup, { escapeChar: ctx.syntax.escapeChar }).references) {
          if (!ref.set && !known.has(ref.name)) report(ref.name, rangeInFlagValue(flag, ref.nameStart, ref.nameEnd));
        }
      }
    }
  },
};

function isValidReference(ref: string): boolean {
  try {
    parseImageReference(ref, undefined);
    return true;
  } catch {
    return false;
  }
}

export const invalidDefaultArgInFrom: Rule = {
  meta: {
    code: 'InvalidDefaultArgInFrom',
    title: 'Default value for global ARG results in an empty or invalid base image name',
    explanation: 'Without `--build-arg`, the ARG defaults make the FROM image empty or invalid, so a plain `docker build` fails.',
    fix: 'Give the global ARG a default that forms a valid image reference.',
    href: buildkitDocs('InvalidDefaultArgInFrom'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    const args = globalArgs(ctx, false);
    const lookup = lookupIn(args.values);
    const stageNames = new Set(ctx.stages.map((s) => s.name).filter((n): n is string => n !== undefined));
    for (const stage of ctx.stages) {
      const image = stage.from.image;
      if (!image || !image.value.includes('$')) continue;
      const r = processWord(image.value, lookup, { escapeChar: ctx.syntax.escapeChar });
      if (r.error) continue;
      if (r.result !== '' && (stageNames.has(r.result.toLowerCase()) || isValidReference(r.result))) continue;
      ctx.report({
        code: 'InvalidDefaultArgInFrom',
        range: image.range,
        message: `Default value for ARG ${image.value} results in empty or invalid base image name`,
        instructionIndex: stage.fromIndex,
      });
    }
  },
};

export const redundantTargetPlatform: Rule = {
  meta: {
    code: 'RedundantTargetPlatform',
    title: 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
    explanation: 'Stages are built for the target platform anyway; the flag only adds noise.',
    fix: 'Remove the `--platform=$TARGETPLATFORM` flag.',
    href: buildkitDocs('RedundantTargetPlatform'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL3065'],
    tag: 'unnecessary',
  },
  check(ctx: LintContext) {
    const args = globalArgs(ctx, true);
    for (const stage of ctx.stages) {
      const flag = platformFlag(stage);
      if (flag?.value === undefined) continue;
      const r = processWord(flag.value, lookupIn(args.values), { escapeChar: ctx.syntax.escapeChar });
      if (r.error || r.unmatched.size > 0 || r.matched.size !== 1 || !r.matched.has('TARGETPLATFORM')) continue;
      if (r.result !== args.values.TARGETPLATFORM) continue;
      const next = stage.from.image?.range.start;
      const removal = next && next.line === flag.range.end.line ? { start: flag.range.start, end: next } : flag.range;
      ctx.report({
        code: 'RedundantTargetPlatform',
        range: flag.range,
        message: `Setting platform to predefined ${flag.value} in FROM is redundant as this is the default behavior`,
        instructionIndex: stage.fromIndex,
        fixes: [{ title: `Remove ${flag.text}`, edits: [replace(removal, '')], preferred: true }],
      });
    }
  },
};

export const fromPlatformFlagConstDisallowed: Rule = {
  meta: {
    code: 'FromPlatformFlagConstDisallowed',
    title: 'FROM --platform flag should not use a constant value',
    explanation: 'A constant platform pins the stage to one architecture and breaks multi-platform builds; use $BUILDPLATFORM or $TARGETPLATFORM.',
    fix: 'Use `--platform=$BUILDPLATFORM` (or name the stage after the platform if the pin is intended).',
    href: buildkitDocs('FromPlatformFlagConstDisallowed'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL3029'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.stages) {
      const flag = platformFlag(stage);
      if (flag?.value === undefined) continue;
      const r = processWord(flag.value, () => undefined, { escapeChar: ctx.syntax.escapeChar });
      if (r.error || r.matched.size > 0 || r.unmatched.size > 0) continue;
      const platform = parsePlatform(r.result);
      if (!platform) continue;
      const name = stage.name ?? '';
      if (name.includes(platform.os) || name.includes(platform.arch)) continue;
      ctx.report({
        code: 'FromPlatformFlagConstDisallowed',
        range: flag.valueRange ?? flag.range,
        message: `FROM --platform flag should not use constant value ${goQuote(r.result)}`,
        instructionIndex: stage.fromIndex,
      });
    }
  },
};

export const invalidBaseImagePlatform: Rule = {
  meta: {
    code: 'InvalidBaseImagePlatform',
    title: 'Base image platform does not match expected target platform',
    explanation: 'The base image in the store was pulled for another platform than the stage builds for; RUN steps would fail or emulate.',
    fix: 'Pull the image for the target platform, or set `--platform` on the FROM line.',
    href: buildkitDocs('InvalidBaseImagePlatform'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    const images = ctx.options.images;
    if (!images) return;
    const args = globalArgs(ctx, true).values;
    for (const stage of ctx.stages) {
      const image = stage.from.image;
      const ref = fromImageRef(ctx, stage, args);
      if (!image || !ref) continue;
      const known = images.find(ref);
      const actual = known?.platform ? parsePlatform(known.platform) : undefined;
      const expectedText = stage.plan?.platform ?? ctx.plan.targetPlatform;
      const expected = parsePlatform(expectedText);
      if (!actual || !expected || (actual.os === expected.os && actual.arch === expected.arch)) continue;
      ctx.report({
        code: 'InvalidBaseImagePlatform',
        range: image.range,
        message: `Base image ${ref} was pulled with platform ${goQuote(known?.platform ?? '')}, expected ${goQuote(expectedText)} for current build`,
        instructionIndex: stage.fromIndex,
      });
    }
  },
};
