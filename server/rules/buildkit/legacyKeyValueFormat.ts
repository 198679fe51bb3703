// LegacyKeyValueFormat: `ENV key value` (whitespace separator) instead of `ENV key=value`.
import { replace } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';
import type { QuickFix } from '../types';

/** The `key=value` spelling of a legacy pair, when the value can be carried over unchanged. */
export function modernPair(key: string, rawValue: string): string | undefined {
  const value = rawValue.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(value) || /^'[^']*'$/.test(value)) return `${key}=${value}`;
  if (/["'\\]/.test(value)) return undefined;
  return /\s/.test(value) || value === '' ? `${key}="${value}"` : `${key}=${value}`;
}

export const legacyKeyValueFormat: Rule = {
  scope: 'stage',
  meta: {
    code: 'LegacyKeyValueFormat',
    title: 'Legacy key/value format with whitespace separator should not be used',
    explanation: 'The `KEY value` form sets one variable to the rest of the line, which is easy to misread and cannot set several at once.',
    fix: 'Write `KEY=value` (quote values with spaces).',
    href: buildkitDocs('LegacyKeyValueFormat'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) for (const i of stage.body) {
      const instruction = ctx.instructions[i];
      if (instruction.name !== 'ENV' && instruction.name !== 'LABEL') continue;
      for (const pair of instruction.pairs) {
        if (pair.hasEquals) continue;
        const modern = pair.value ? modernPair(pair.key.value, pair.value.value) : undefined;
        const fixes: QuickFix[] = modern ? [{ title: `Change to ${modern}`, edits: [replace(pair.range, modern)], preferred: true }] : [];
        ctx.report({
          code: 'LegacyKeyValueFormat',
          range: pair.range,
          message: `"${instruction.keyword.text} key=value" should be used instead of legacy "${instruction.keyword.text} key value" format`,
          instructionIndex: i,
          fixes,
        });
      }
    }
  },
};
