// ADD where COPY suffices (hadolint DL3020): ADD also fetches URLs and unpacks archives, so using
// it for plain files hides which of those is meant.
import { matchCase, replace } from '../edits';
import type { LintContext } from '../lintContext';
import { hadolintDocs, type Rule } from '../rule';
import { isRemoteSource } from '../buildkit/copyIgnoredFile';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tb2|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tlz|tar\.lzma|tar\.Z|tZ|gz|bz2|xz|zst|lz|lzma|lz4)$/i;
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);

export const addInsteadOfCopy: Rule = {
  scope: 'stage',
  meta: {
    code: 'AddInsteadOfCopy',
    title: 'Use COPY instead of ADD for files and folders',
    explanation: 'ADD silently unpacks archives and fetches URLs; COPY says exactly what happens to local files.',
    fix: 'Replace ADD with COPY.',
    href: hadolintDocs('DL3020'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3020'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) for (const i of stage.body) {
      const instruction = ctx.instructions[i];
      if (instruction.name !== 'ADD' || instruction.args.length < 2) continue;
      const sources = instruction.args.slice(0, -1).map((w) => w.value);
      if (sources.some((s) => s.includes('$') || isRemoteSource(s) || ARCHIVE.test(s))) continue;
      const fixable = instruction.flags.every((f) => COPY_FLAGS.has(f.name));
      ctx.report({
        code: 'AddInsteadOfCopy',
        range: instruction.keyword.range,
        message: 'Use COPY instead of ADD for files and folders',
        instructionIndex: i,
        fixes: fixable ? [{ title: 'Replace ADD with COPY', edits: [replace(instruction.keyword.range, matchCase(instruction.keyword.text, 'COPY'))], preferred: true }] : undefined,
      });
    }
  },
};
