// Document highlight: the other places of the stage or variable under the cursor; definitions as
// writes, uses as reads, uses that may not be expanded (quoted heredocs, exec form) as plain text.
import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';
import { documentOccurrences, type DocumentOccurrences } from './occurrences';
import { relatedOccurrences } from './references';

export function computeHighlights(occurrences: DocumentOccurrences, position: Position): DocumentHighlight[] {
  return relatedOccurrences(occurrences, position).map((o) => ({
    range: o.range,
    kind: o.role === 'definition' ? DocumentHighlightKind.Write : o.uncertain ? DocumentHighlightKind.Text : DocumentHighlightKind.Read,
  }));
}

export const documentHighlightFeature: Feature = {
  name: 'documentHighlight',
  capabilities: () => ({ documentHighlightProvider: true }),
  register({ connection, documents, models }) {
    connection.onDocumentHighlight((params, token) => runSafely(connection, 'documentHighlight', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      return document ? computeHighlights(documentOccurrences(models, document).occurrences, params.position) : null;
    }));
  },
};
