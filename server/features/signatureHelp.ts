// Signature help: the instruction's form with its flags and positional arguments, the one under
// the cursor highlighted (`COPY [--from=..] <src>... <dest>`).
import type { ParameterInformation, Position, SignatureHelp } from 'vscode-languageserver';
import type { DocumentModel } from '../documentModels';
import type { InstructionNode } from '../parser/types';
import { runSafely } from '../requestRunner';
import { comparePositions, lastInstructionIndexBefore, rangeContains } from './docs/cursor';
import { flagDocs, flagSignature } from './docs/flagDocs';
import type { Feature } from './feature';
import { instructionDocs } from './instructionDocs';

export function computeSignatureHelp(model: DocumentModel, position: Position): SignatureHelp | null {
  const { syntax } = model;
  const index = lastInstructionIndexBefore(syntax, position);
  let instruction = index >= 0 ? syntax.instructions[index] : undefined;
  if (!instruction || position.line > instruction.range.end.line) return null;
  if (instruction.onbuild && comparePositions(instruction.onbuild.keyword.range.end, position) < 0) instruction = instruction.onbuild;
  if (comparePositions(position, instruction.keyword.range.end) <= 0) return null;
  const doc = instructionDocs[instruction.name];
  if (!doc || doc.parameters.length === 0) return null;

  const flags = flagDocs[instruction.name] ?? [];
  const pieces = [...flags.map((f) => `[${flagSignature(f)}]`), ...doc.parameters.map((p) => p.label)];
  const parameters: ParameterInformation[] = [];
  let label = instruction.name;
  pieces.forEach((piece, i) => {
    label += ' ';
    parameters.push({
      label: [label.length, label.length + piece.length],
      documentation: { kind: 'markdown', value: i < flags.length ? flags[i].summary : doc.parameters[i - flags.length].summary },
    });
    label += piece;
  });
  return {
    signatures: [{ label, documentation: { kind: 'markdown', value: doc.summary }, parameters }],
    activeSignature: 0,
    activeParameter: activeParameter(instruction, position, flags.map((f) => f.name), doc.parameters.length),
  };
}

function activeParameter(instruction: InstructionNode, position: Position, flagNames: string[], positional: number): number {
  const flag = instruction.flags.find((f) => rangeContains(f.range, position));
  if (flag) {
    const i = flagNames.indexOf(flag.name);
    return i >= 0 ? i : flagNames.length;
  }
  const args = instruction.args;
  const at = args.findIndex((a) => rangeContains(a.range, position));
  const before = at >= 0 ? at : args.filter((a) => comparePositions(a.range.end, position) < 0).length;
  let p: number;
  switch (instruction.name) {
    case 'COPY':
    case 'ADD': {
      // The last argument is the destination once there are two; a new word after the sources may be it too.
      const isLast = at >= 0 ? at === args.length - 1 && args.length >= 2 : before >= 1;
      p = isLast ? 1 : 0;
      break;
    }
    case 'FROM':
    case 'HEALTHCHECK':
      p = before;
      break;
    default:
      p = 0;
  }
  return flagNames.length + Math.min(p, positional - 1);
}

export const signatureHelpFeature: Feature = {
  name: 'signature help',
  capabilities: () => ({ signatureHelpProvider: { triggerCharacters: [' '], retriggerCharacters: [' ', ','] } }),
  register({ connection, documents, models }) {
    connection.onSignatureHelp((params, token) => runSafely(connection, 'signature help', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      return document ? computeSignatureHelp(models.get(document), params.position) : null;
    }));
  },
};
