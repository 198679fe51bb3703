// DuplicateStageName and ReservedStageName.
import { goQuote } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

export const duplicateStageName: Rule = {
  meta: {
    code: 'DuplicateStageName',
    title: 'Stage names should be unique',
    explanation: 'With two stages of one name, `COPY --from` and `FROM` references silently pick one of them.',
    fix: 'Rename one of the stages (and the references meant for it).',
    href: buildkitDocs('DuplicateStageName'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL3024'],
  },
  check(ctx: LintContext) {
    const seen = new Set<string>();
    for (const stage of ctx.stages) {
      const word = stage.from.stageName;
      if (!word || !stage.name) continue;
      if (seen.has(stage.name)) {
        ctx.report({
          code: 'DuplicateStageName',
          range: word.range,
          message: `Duplicate stage name ${goQuote(stage.name)}, stage names should be unique`,
          instructionIndex: stage.fromIndex,
        });
      }
      seen.add(stage.name);
    }
  },
};

const RESERVED = new Set(['context', 'scratch']);

export const reservedStageName: Rule = {
  meta: {
    code: 'ReservedStageName',
    title: 'Reserved words should not be used as stage names',
    explanation: '`scratch` and `context` already mean the empty image and the build context; a stage of that name is ambiguous.',
    fix: 'Choose another stage name.',
    href: buildkitDocs('ReservedStageName'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.stages) {
      const word = stage.from.stageName;
      if (!word || !stage.name || !RESERVED.has(stage.name)) continue;
      ctx.report({
        code: 'ReservedStageName',
        range: word.range,
        message: `Stage name should not use the same name as reserved stage ${goQuote(stage.name)}`,
        instructionIndex: stage.fromIndex,
      });
    }
  },
};
