// Document symbols: the outline of a Dockerfile. Each stage contains its instructions; ARG, ENV and
// LABEL contain their keys; global ARGs (before the first FROM) sit at the top level. On large
// documents the outline is compact (the payload is what a client waits for: about 200 bytes of
// JSON per symbol, the DocumentSymbol members LSP requires and nothing else): stages and their
// instructions, names and ranges only, no argument summaries and no ARG/ENV/LABEL keys (a third
// fewer symbols on a typical file). Over stdio its JSON is kept per parse (encodedResults.ts), made
// from the JSON of each stage's symbol, kept while the stage's instructions are unchanged (encodeOutline).
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

/**
 * The outline: stages (kind Class) with their instructions as children. Each top-level symbol (a
 * stage, or an instruction before the first FROM) is kept while its instructions are the objects
 * they were (a re-parse keeps the unchanged ones), so an edit inside one stage makes that one again.
 */
export function computeDocumentSymbols(syntax: DockerfileSyntax, compact = isLargeDocument({ syntax })): DocumentSymbol[] {
  return outlineEntries(syntax, compact).map((e) => e.symbol);
}

/** A top-level symbol and the instructions it shows. */
interface OutlineEntry {
  instructions: InstructionNode[];
  stageIndex: number;
  compact: boolean;
  symbol: DocumentSymbol;
}

/** By the first instruction of each entry. */
const keptEntries = new WeakMap<InstructionNode, OutlineEntry>();

function outlineEntries(syntax: DockerfileSyntax, compact: boolean): OutlineEntry[] {
  const all = syntax.instructions;
  const out: OutlineEntry[] = [];
  let stageIndex = -1;
  for (let i = 0; i < all.length;) {
    let end = i + 1;
    if (all[i].name === 'FROM') {
      stageIndex++;
      while (end < all.length && all[end].name !== 'FROM') end++;
    }
    const kept = keptEntries.get(all[i]);
    if (kept && kept.compact === compact && kept.stageIndex === stageIndex && sameObjects(kept.instructions, all, i, end)) {
      out.push(kept);
    } else {
      const instructions = all.slice(i, end);
      const symbol = all[i].name === 'FROM' ? stageSymbol(instructions, stageIndex, compact) : instructionSymbol(all[i], compact);
      const entry: OutlineEntry = { instructions, stageIndex, compact, symbol };
      keptEntries.set(all[i], entry);
      out.push(entry);
    }
    i = end;
  }
  return out;
}

function sameObjects(kept: readonly InstructionNode[], all: readonly InstructionNode[], from: number, to: number): boolean {
  if (kept.length !== to - from) return false;
  for (let k = 0; k < kept.length; k++) if (kept[k] !== all[from + k]) return false;
  return true;
}

/** A stage: its FROM, then every instruction up to the next FROM. */
function stageSymbol(instructions: readonly InstructionNode[], stageIndex: number, compact: boolean): DocumentSymbol {
  const from = instructions[0];
  const last = instructions[instructions.length - 1];
  return {
    name: from.stageName?.value ?? `stage ${stageIndex}`,
    detail: from.image ? `FROM ${from.image.value}` : 'FROM',
    kind: SymbolKind.Class,
    range: { start: from.range.start, end: last.range.end },
    selectionRange: from.stageName?.range ?? from.keyword.range,
    children: instructions.map((i) => instructionSymbol(i, compact)),
  };
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** The JSON of each top-level symbol once encoded (kept symbols are not changed). */
const encodedSymbols = new WeakMap<DocumentSymbol, Buffer>();

/**
 * JSON.stringify(symbols) in UTF-8, for an outline of computeDocumentSymbols: each top-level symbol
 * kept from an earlier outline keeps its JSON too, so an edit inside one stage encodes that stage
 * again. The outline of the 30,000-line file is 3.8 MB, ~20 ms to stringify whole.
 */
export function encodeOutline(symbols: readonly DocumentSymbol[]): Buffer {
  const parts: Buffer[] = [OPEN];
  for (const symbol of symbols) {
    if (parts.length > 1) parts.push(COMMA);
    let json = encodedSymbols.get(symbol);
    if (!json) {
      json = Buffer.from(JSON.stringify(symbol), 'utf-8');
      encodedSymbols.set(symbol, json);
    }
    parts.push(json);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
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
        if (hierarchical) {
          symbols = sharedEncodedResults.keep(nested, () => encodeOutline(nested));
        } else {
          symbols = sharedEncodedResults.keep(flattenDocumentSymbols(document.uri, nested));
        }
        outlines.set(syntax, symbols);
      }
      return symbols;
    }));
  },
};
