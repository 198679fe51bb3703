// MultipleInstructionsDisallowed: only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage counts.
import { wholeLines } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

const ONCE = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

export const multipleInstructionsDisallowed: Rule = {
  scope: 'stage',
  wordsLines: true,
  meta: {
    code: 'MultipleInstructionsDisallowed',
    title: 'Multiple instructions of the same type should not be used in the same stage',
    explanation: 'Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; earlier ones are dead code that misleads readers.',
    fix: 'Remove the earlier instruction.',
    href: buildkitDocs('MultipleInstructionsDisallowed'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL4003', 'DL4004', 'DL3012'],
    tag: 'unnecessary',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      const last = new Map<string, number>();
      for (const i of stage.body) {
        const name = ctx.instructions[i].name;
        if (!ONCE.has(name)) continue;
        const previous = last.get(name);
        if (previous !== undefined) {
          const p = ctx.instructions[previous];
          ctx.report({
            code: 'MultipleInstructionsDisallowed',
            range: p.range,
            message: `Multiple ${ctx.instructions[i].keyword.text} instructions should not be used in the same stage because only the last one will be used`,
            instructionIndex: previous,
            fixes: [{ title: `Remove this ${name} (line ${ctx.instructions[i].range.start.line + 1} replaces it)`, edits: [{ range: wholeLines(p.range.start.line, p.range.end.line), newText: '' }] }],
          });
        }
        last.set(name, i);
      }
    }
  },
};
