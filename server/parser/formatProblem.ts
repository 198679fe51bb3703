// One-line, located rendering of a problem: `file:line:column: severity: message [code]` (1-based).
import type { SyntaxProblem } from './types';

export function formatProblem(file: string, problem: SyntaxProblem): string {
  const { line, character } = problem.range.start;
  return `${file}:${line + 1}:${character + 1}: ${problem.severity}: ${problem.message} [${problem.code}]`;
}
