// CopyIgnoredFile (experimental): COPY/ADD of a context path that .dockerignore excludes copies nothing.
// As BuildKit: the source is cleaned, and a `!` exception that could re-include it silences the check.
import { goQuote } from '../edits';
import { DockerignoreMatcher } from '../dockerignore';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

export function isRemoteSource(source: string): boolean {
  return /^(https?|git|ssh):\/\//.test(source) || /^git@/.test(source) || /\.git(#.*)?$/.test(source) && /^[\w.-]+\.\w+\//.test(source);
}

export const copyIgnoredFile: Rule = {
  scope: 'stage',
  meta: {
    code: 'CopyIgnoredFile',
    title: 'Attempting to Copy file that is excluded by .dockerignore',
    explanation: '.dockerignore removes the path from the build context, so the COPY fails or silently copies less than intended.',
    fix: 'Remove the path from .dockerignore (or add an `!` exception), or stop copying it.',
    href: buildkitDocs('CopyIgnoredFile'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    experimental: true,
  },
  check(ctx: LintContext) {
    const patterns = ctx.options.dockerignore;
    if (!patterns || patterns.length === 0) return;
    const matcher = new DockerignoreMatcher(patterns);
    for (const stage of ctx.checkedStages) {
      for (const i of stage.body) {
        const instruction = ctx.instructions[i];
        if (instruction.name !== 'COPY' && instruction.name !== 'ADD') continue;
        if (instruction.flags.some((f) => f.name === 'from')) continue;
        const step = ctx.step(i);
        const words = instruction.args.slice(0, -1);
        const planned = step && (step.details.kind === 'copy' || step.details.kind === 'add') && step.details.sources.length === words.length ? step.details.sources : undefined;
        words.forEach((word, k) => {
          const source = planned?.[k] ?? word.value;
          if (word.value.startsWith('<<') || isRemoteSource(source)) return;
          const excluded = matcher.excludedCopySource(source);
          if (excluded === undefined) return;
          ctx.report({
            code: 'CopyIgnoredFile',
            range: word.range,
            message: `Attempting to ${instruction.name === 'ADD' ? 'Add' : 'Copy'} file ${goQuote(excluded)} that is excluded by .dockerignore`,
            instructionIndex: i,
          });
        });
      }
    }
  },
};
