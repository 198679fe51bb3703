// Find references: every place a stage or an ARG/ENV variable is defined or used, with BuildKit's
// scoping (a variable not declared in the file: its same-named uses in the same stage).
import type { Location, Position } from 'vscode-languageserver';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';
import { documentOccurrences, type DocumentOccurrences, type Occurrence } from './occurrences';

/** The occurrences that denote the same thing as the one at `position`, in document order. */
export function relatedOccurrences(occurrences: DocumentOccurrences, position: Position): Occurrence[] {
  const occurrence = occurrences.at(position);
  if (!occurrence) return [];
  if (occurrence.symbol) return occurrence.symbol.occurrences;
  // Undeclared (base image env, shell variables): the same name, undeclared, in the same scope.
  return (occurrences.variablesByName.get(occurrence.name) ?? []).filter((o) => !o.symbol && o.scope === occurrence.scope);
}

export function findReferences(occurrences: DocumentOccurrences, position: Position, includeDeclaration: boolean): Occurrence[] {
  return relatedOccurrences(occurrences, position).filter((o) => includeDeclaration || o.role !== 'definition');
}

export const referencesFeature: Feature = {
  name: 'references',
  capabilities: () => ({ referencesProvider: true }),
  register({ connection, documents, models }) {
    connection.onReferences((params, token) => runSafely(connection, 'references', null, token, (): Location[] | null => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const found = findReferences(documentOccurrences(models, document).occurrences, params.position, params.context.includeDeclaration);
      return found.map((o) => ({ uri: document.uri, range: o.range }));
    }));
  },
};
