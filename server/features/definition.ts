// Go to definition: from a `$NAME` to the ARG/ENV that sets it there, from a stage reference
// (`FROM builder`, `--from=builder`, `--from=0`) to the stage.
import type { Location, Position, Range } from 'vscode-languageserver';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';
import { documentOccurrences, type DocumentOccurrences } from './occurrences';

/** Ranges of the definitions of what is at `position` (empty when nothing known is there). */
export function findDefinitions(occurrences: DocumentOccurrences, position: Position): Range[] {
  const occurrence = occurrences.at(position);
  const symbol = occurrence?.symbol;
  if (!occurrence || !symbol) return [];
  if (occurrence.role === 'reference' && occurrence.binding) {
    // An ARG re-declared without a default takes its value from the global ARG: show both.
    const global = symbol.kind === 'arg' && symbol.scope < 0 && occurrence.binding.scope >= 0
      ? symbol.occurrences.find((o) => o.role === 'definition' && o.scope < 0)
      : undefined;
    return global ? [occurrence.binding.range, global.range] : [occurrence.binding.range];
  }
  const definitions = symbol.occurrences.filter((o) => o.role === 'definition').map((o) => o.range);
  return definitions.length > 0 ? definitions : [symbol.anchor];
}

export const definitionFeature: Feature = {
  name: 'definition',
  capabilities: () => ({ definitionProvider: true }),
  register({ connection, documents, models }) {
    connection.onDefinition((params, token) => runSafely(connection, 'definition', null, token, (): Location[] | null => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const ranges = findDefinitions(documentOccurrences(models, document).occurrences, params.position);
      return ranges.length > 0 ? ranges.map((range) => ({ uri: document.uri, range })) : null;
    }));
  },
};
