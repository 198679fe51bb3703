// What the diagnostics under the cursor mean: each rule's one-line explanation, its fix and its
// documentation link, for the hover (editors show it next to the diagnostic's own message).
import type { Position, Range } from 'vscode-languageserver';
import { ruleMeta } from '../../rules/registry';
import { rangeContains } from './cursor';

export interface ProblemExplanation {
  /** Markdown: one paragraph per rule. */
  value: string;
  /** The range of the first problem explained. */
  range: Range;
}

/** A problem as shown: a published diagnostic or a lint problem. */
export interface ShownProblem {
  code?: string | number;
  range: Range;
}

/** Explains the rules whose problems cover `position` (each rule once); undefined when none has a catalogue entry. */
export function explainProblemsAt(problems: readonly ShownProblem[], position: Position): ProblemExplanation | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  let range: Range | undefined;
  for (const problem of problems) {
    if (problem.code === undefined || !rangeContains(problem.range, position)) continue;
    const meta = ruleMeta(String(problem.code));
    if (!meta || seen.has(meta.code)) continue;
    seen.add(meta.code);
    range ??= problem.range;
    const aliases = meta.hadolint && meta.hadolint.length > 0 ? ` (hadolint ${meta.hadolint.join(', ')})` : '';
    parts.push(`**${meta.code}**${aliases}: ${meta.explanation} *Fix:* ${meta.fix} [Documentation](${meta.href})`);
  }
  return range ? { value: parts.join('\n\n'), range } : undefined;
}
