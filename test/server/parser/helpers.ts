// Small helpers shared by the parser tests.
import { parseDockerfile } from '../../../server/parser';
import type { DockerfileSyntax, InstructionNode, Range } from '../../../server/parser';

export function parse(text: string): DockerfileSyntax {
  return parseDockerfile(text);
}

/** The only instruction named `name` (fails the test when there is not exactly one). */
export function only(syntax: DockerfileSyntax, name: string): InstructionNode {
  const found = syntax.instructions.filter((i) => i.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0];
}

/** `[startLine, startChar, endLine, endChar]`. */
export function at(range: Range): [number, number, number, number] {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

/** The text a range covers. */
export function textOf(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  const parts = [lines[range.start.line].slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l]);
  parts.push(lines[range.end.line].slice(0, range.end.character));
  return parts.join('\n');
}

export function codes(syntax: DockerfileSyntax): string[] {
  return syntax.problems.map((p) => p.code);
}
