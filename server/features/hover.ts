// Hover: documentation of the instruction under the cursor and what its step does to the image.
import type { Hover, Position, Range } from 'vscode-languageserver';
import type { DocumentModel } from '../documentModels';
import { findStepAt } from '../plan';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';
import { instructionDocs, instructionReferenceUrl } from './instructionDocs';

export function computeHover(model: DocumentModel, position: Position): Hover | null {
  const instruction = model.syntax.instructions.find((i) => contains(i.keyword.range, position));
  if (!instruction) return null;
  const name = instruction.keyword.name;
  const doc = instructionDocs[name];
  const parts: string[] = [];
  if (doc) {
    parts.push(`**${name}** — ${doc.summary}`, '```dockerfile\n' + doc.syntax + '\n```');
  } else {
    parts.push(`**${instruction.keyword.text}** is not a Dockerfile instruction.`);
  }
  const step = findStepAt(model.plan, position)?.step;
  if (step) {
    const effect = step.createsLayer ? 'creates a filesystem layer' : 'changes image metadata only';
    parts.push(`Step ${step.index + 1}: ${effect}; cache key \`${step.cacheKey.slice(0, 12)}\``);
  }
  if (doc) parts.push(`[Reference](${instructionReferenceUrl(name)})`);
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: instruction.keyword.range };
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

export const hoverFeature: Feature = {
  name: 'hover',
  capabilities: () => ({ hoverProvider: true }),
  register({ connection, documents, models }) {
    connection.onHover((params, token) => runSafely(connection, 'hover', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      return document ? computeHover(models.get(document), params.position) : null;
    }));
  },
};
