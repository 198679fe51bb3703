// MaintainerDeprecated: MAINTAINER sets a deprecated image field; a label carries the author now.
import { matchCase, replace } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

function labelValue(raw: string): string {
  const value = raw.trim();
  if (/^"[^"\\$]*"$/.test(value)) return value;
  return `"${value.replace(/[\\"$`]/g, (c) => '\\' + c)}"`;
}

export const maintainerDeprecated: Rule = {
  scope: 'stage',
  meta: {
    code: 'MaintainerDeprecated',
    title: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author',
    explanation: 'MAINTAINER fills a deprecated field of the image config; tools read the OCI `org.opencontainers.image.authors` label.',
    fix: 'Replace it with `LABEL org.opencontainers.image.authors="..."`.',
    href: buildkitDocs('MaintainerDeprecated'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL4000'],
    tag: 'deprecated',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) for (const i of stage.body) {
      const instruction = ctx.instructions[i];
      if (instruction.name !== 'MAINTAINER') continue;
      const arg = instruction.args[0];
      const fixes = arg
        ? [{
            title: 'Replace with LABEL org.opencontainers.image.authors',
            edits: [replace({ start: instruction.keyword.range.start, end: arg.range.end }, `${matchCase(instruction.keyword.text, 'LABEL')} org.opencontainers.image.authors=${labelValue(arg.value)}`)],
            preferred: true,
          }]
        : [];
      ctx.report({ code: 'MaintainerDeprecated', range: instruction.keyword.range, message: 'Maintainer instruction is deprecated in favor of using label', instructionIndex: i, fixes });
    }
  },
};
