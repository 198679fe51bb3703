// Document symbols: the outline of a Dockerfile. Each stage contains its instructions; ARG, ENV and
// LABEL contain their keys; global ARGs (before the first FROM) sit at the top level. On large
// documents the outline is compact (the payload is what a client waits for: about 200 bytes of
// JSON per symbol, the DocumentSymbol members LSP requires and nothing else): stages and their
// instructions, names and ranges only, no argument summaries and no ARG/ENV/LABEL keys (a third
// fewer symbols on a typical file). Over stdio its JSON is kept per parse (encodedResults.ts).
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { DockerfileSyntax, InstructionNode } from '../parser';
import { isLargeDocument } from '../documentModels';
import { runSafely } from '../requestRunner';
import { sharedEncodedResults } from '../encodedResults';
import type { Feature } from './feature';

const DETAIL_LENGTH = 80;

const instructionKinds: Record<string, SymbolKind> = {
  RUN: SymbolKind.Function, CMD: SymbolKind.Function, ENTRYPOINT: SymbolKind.Function, HEALTHCHECK: SymbolKind.Function,
  SHELL: SymbolKind.Function, ONBUILD: SymbolKind.Event, COPY: SymbolKind.File, ADD: SymbolKind.File,
  ARG: SymbolKind.Variable, ENV: SymbolKind.Variable, LABEL: SymbolKind.Property, EXPOSE: SymbolKind.Number,
};

const pairKinds: Record<string, SymbolKind> = { ARG: SymbolKind.Variable, ENV: SymbolKind.Variable, LABEL: SymbolKind.Key };

/** The outline: stages (kind Class) with their instructions as children. */
export function computeDocumentSymbols(syntax: DockerfileSyntax, compact = isLargeDocument({ syntax })): DocumentSymbol[] {
  const top: DocumentSymbol[] = [];
  let stage: DocumentSymbol | undefined;
  let stageIndex = -1;
  for (const instruction of syntax.instructions) {
    if (instruction.name === 'FROM') {
      stageIndex++;
      stage = {
        name: instruction.stageName?.value ?? `stage ${stageIndex}`,
        detail: instruction.image ? `FROM ${instruction.image.value}` : 'FROM',
        kind: SymbolKind.Class,
        range: { start: instruction.range.start, end: instruction.range.end },
        selectionRange: instruction.stageName?.range ?? instruction.keyword.range,
        children: [instructionSymbol(instruction, compact)],
      };
      top.push(stage);
      continue;
    }
    const symbol = instructionSymbol(instruction, compact);
    if (stage) {
      stage.children?.push(symbol);
      stage.range.end = instruction.range.end;
    } else {
      top.push(symbol);
    }
  }
  return top;
}

function instructionSymbol(instruction: InstructionNode, compact: boolean): DocumentSymbol {
  const symbol: DocumentSymbol = {
    name: instruction.keyword.name || instruction.keyword.text,
    kind: instructionKinds[instruction.name] ?? SymbolKind.Field,
    range: instruction.range,
    selectionRange: instruction.keyword.range,
  };
  if (!compact) symbol.detail = summarize(instruction);
  const pairKind = pairKinds[instruction.name];
  if (pairKind !== undefined && !compact && instruction.pairs.length > 0) {
    symbol.children = instruction.pairs.map((pair) => ({
      name: pair.key.value || '(empty)',
      detail: pair.value ? shorten(pair.value.value) : '',
      kind: pairKind,
      range: pair.range,
      selectionRange: pair.key.range,
    }));
  }
  return symbol;
}

/** The instruction's arguments on one line, shortened. */
function summarize(instruction: InstructionNode): string {
  const text = instruction.text;
  const keyword = instruction.keyword.text;
  const rest = text.startsWith(keyword) ? text.slice(keyword.length) : instruction.args.map((a) => a.value).join(' ');
  return shorten(rest);
}

function shorten(text: string): string {
  const oneLine = text.length > DETAIL_LENGTH * 4 ? text.slice(0, DETAIL_LENGTH * 4) : text;
  const collapsed = oneLine.replace(/\s+/g, ' ').trim();
  return collapsed.length > DETAIL_LENGTH ? collapsed.slice(0, DETAIL_LENGTH - 1) + '…' : collapsed;
}

/** The same outline flattened, for clients without hierarchical symbol support. */
export function flattenDocumentSymbols(uri: string, symbols: DocumentSymbol[], container?: string, out: SymbolInformation[] = []): SymbolInformation[] {
  for (const symbol of symbols) {
    const info: SymbolInformation = { name: symbol.name, kind: symbol.kind, location: { uri, range: symbol.range } };
    if (container !== undefined) info.containerName = container;
    out.push(info);
    if (symbol.children) flattenDocumentSymbols(uri, symbol.children, symbol.name, out);
  }
  return out;
}

/** Whether the client shows nested symbols (set from its capabilities at initialize). */
let hierarchical = false;

export const documentSymbolsFeature: Feature = {
  name: 'documentSymbols',
  capabilities(client) {
    hierarchical = client.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
    return { documentSymbolProvider: { label: 'Dockerfile' } };
  },
  register({ connection, documents, models }) {
    // Outline, breadcrumbs and sticky scroll all ask for the same version: compute once per parse,
    // and over stdio encode once too (the JSON of a large outline costs more than computing it).
    const outlines = new WeakMap<DockerfileSyntax, DocumentSymbol[] | SymbolInformation[]>();
    connection.onDocumentSymbol((params, token) => runSafely(connection, 'documentSymbols', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const syntax = models.syntaxOf(document);
      let symbols = outlines.get(syntax);
      if (!symbols) {
        const nested = computeDocumentSymbols(syntax);
        symbols = hierarchical ? nested : flattenDocumentSymbols(document.uri, nested);
        outlines.set(syntax, sharedEncodedResults.keep(symbols));
      }
      return symbols;
    }));
  },
};
