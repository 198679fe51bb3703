// Folding ranges: each stage, each instruction spanning several lines, each heredoc, and each block of
// two or more comment lines (parser directives included).
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { DockerfileSyntax, Range } from '../parser';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';

/** Last line a range really covers (an end at character 0 of a later line does not cover that line). */
function lastLine(range: Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}

export function computeFoldingRanges(syntax: DockerfileSyntax, limit = Number.MAX_SAFE_INTEGER): FoldingRange[] {
  const folds: FoldingRange[] = [];
  const startsTaken = new Set<number>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine || startsTaken.has(startLine)) return;
    startsTaken.add(startLine);
    folds.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };

  const instructions = syntax.instructions;
  // Stages first: where a stage and its FROM instruction start on the same line, the stage wins.
  for (let i = 0; i < instructions.length; i++) {
    if (instructions[i].name !== 'FROM') continue;
    let last = i;
    while (last + 1 < instructions.length && instructions[last + 1].name !== 'FROM') last++;
    add(instructions[i].range.start.line, lastLine(instructions[last].range));
  }
  for (const instruction of instructions) {
    const start = instruction.range.start.line;
    const heredocs = instruction.heredocs;
    // The instruction's own lines (before any heredoc body), then each heredoc from its marker line.
    const commandEnd = heredocs.length > 0 ? Math.max(start, heredocs[0].bodyRange.start.line - 1) : lastLine(instruction.range);
    add(start, commandEnd);
    for (const heredoc of heredocs) {
      const end = heredoc.terminatorRange ? heredoc.terminatorRange.start.line : lastLine(heredoc.bodyRange);
      const marker = heredoc.range.start.line;
      // A second heredoc on the same line folds its body only.
      add(startsTaken.has(marker) ? heredoc.bodyRange.start.line : marker, end);
    }
  }
  // Comment blocks: consecutive comment or directive lines.
  const commentLines = [...syntax.directives.map((d) => d.range.start.line), ...syntax.comments.map((c) => c.range.start.line)].sort((a, b) => a - b);
  for (let i = 0; i < commentLines.length;) {
    let j = i;
    while (j + 1 < commentLines.length && commentLines[j + 1] === commentLines[j] + 1) j++;
    add(commentLines[i], commentLines[j], FoldingRangeKind.Comment);
    i = j + 1;
  }
  folds.sort((a, b) => a.startLine - b.startLine);
  return folds.length > limit ? folds.slice(0, limit) : folds;
}

/** The client's `rangeLimit`, read from its capabilities at initialize. */
let rangeLimit = Number.MAX_SAFE_INTEGER;

export const foldingFeature: Feature = {
  name: 'folding',
  capabilities(client) {
    rangeLimit = client.textDocument?.foldingRange?.rangeLimit ?? Number.MAX_SAFE_INTEGER;
    return { foldingRangeProvider: true };
  },
  register({ connection, documents, models }) {
    connection.onFoldingRanges((params, token) => runSafely(connection, 'foldingRanges', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      return document ? computeFoldingRanges(models.syntaxOf(document), rangeLimit) : null;
    }));
  },
};
