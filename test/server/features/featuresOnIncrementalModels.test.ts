// Property, in process: the features computed on the models the server keeps while a document is
// edited (each version re-parsed and re-planned from the last one made, some versions skipped as
// the keystroke debounce skips them; sizes predicted from the last sized plan, size facts arriving
// mid-session) equal those computed on the same text parsed fresh: document
// symbols (full and compact), folding, semantic tokens, code lenses, inlay hints, links, hover,
// highlights, definitions, references, completion and formatting. Every version compared is
// compared on every feature (the stdio property compares a few versions per session).
// Runs: FEATURES_INCREMENTAL_RUNS (default 100).
import * as assert from 'assert';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver';
import { DocumentModels, type DocumentModel } from '../../../server/documentModels';
import { computeCodeLenses } from '../../../server/features/codeLens';
import { computeCompletion } from '../../../server/features/completion';
import { findDefinitions } from '../../../server/features/definition';
import { computeHighlights } from '../../../server/features/documentHighlight';
import { computeDocumentLinks } from '../../../server/features/documentLinks';
import { computeDocumentSymbols } from '../../../server/features/documentSymbols';
import { computeFoldingRanges } from '../../../server/features/folding';
import { formatDocument } from '../../../server/features/formatting';
import { computeHover } from '../../../server/features/hover';
import { computeInlayHints } from '../../../server/features/inlayHints';
import { lineReaderOf, occurrencesOf } from '../../../server/features/occurrences';
import { findReferences } from '../../../server/features/references';
import { computeSemanticTokens } from '../../../server/features/semanticTokens';
import { sessionReaders } from '../plan/size/sessionReaders';
import { describeVersions, editSessionArb, rangedChanges, versionsOf, writeDockerfile } from '../incrementalEdits';
import { treeOf } from '../plan/size/treeOf';

const RUNS = Number(process.env.FEATURES_INCREMENTAL_RUNS ?? 100);

const context = treeOf({ 'app.txt': 5, 'big.bin': 300_000, 'vendor.tar.gz': 4000 });

/** What the server does with a version: nothing (debounced away), parse it, plan it, predict its sizes, or answer requests (compared). */
type Use = 'skip' | 'parse' | 'plan' | 'size' | 'compare';

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null)) as unknown;

/** A few positions of every line: its start, its first word's end, each `$`, `=` and `--` and its end. */
function positionsOf(document: TextDocument): Position[] {
  const out: Position[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    const text = lineReaderOf(document)(line);
    const characters = new Set([0, text.length, (/^\s*\S*/.exec(text)?.[0].length ?? 0)]);
    for (const m of text.matchAll(/\$\{?|=|--|\bAS\s+|from=/gi)) characters.add((m.index ?? 0) + m[0].length + 1);
    for (const character of characters) if (character <= text.length) out.push({ line, character });
  }
  return out;
}

/** Every feature of a model, as JSON (positions from `document`, the same text for both models). */
function featuresOf(model: DocumentModel, document: TextDocument): Record<string, unknown> {
  const occurrences = occurrencesOf(model);
  const readLine = lineReaderOf(document);
  const whole = { start: { line: 0, character: 0 }, end: { line: document.lineCount, character: 0 } };
  const lines = document.lineCount;
  const out: Record<string, unknown> = {
    documentSymbols: json(computeDocumentSymbols(model.syntax, false)),
    compactDocumentSymbols: json(computeDocumentSymbols(model.syntax, true)),
    folding: json(computeFoldingRanges(model.syntax)),
    semanticTokens: json(computeSemanticTokens(model, occurrences, readLine)),
    semanticTokensOfTheLaterHalf: json(computeSemanticTokens(model, occurrences, readLine, Math.floor(lines / 2), lines)),
    codeLenses: json(computeCodeLenses(model)),
    inlayHints: json(computeInlayHints(model, whole)),
    documentLinks: json(computeDocumentLinks(model)),
    formatting: json(formatDocument(model.syntax, model.text, { tabSize: 2, insertSpaces: true, reflow: false, insertFinalNewline: false, trimFinalNewlines: false })),
  };
  for (const position of positionsOf(document)) {
    const at = `${position.line}:${position.character}`;
    out[`hover ${at}`] = json(computeHover(model, position));
    out[`highlights ${at}`] = json(computeHighlights(occurrences, position));
    out[`definitions ${at}`] = json(findDefinitions(occurrences, position));
    out[`references ${at}`] = json(findReferences(occurrences, position, true).map((o) => o.range));
    out[`completion ${at}`] = json(computeCompletion(model, { lineText: readLine(position.line), position }));
  }
  return out;
}

/** Runs a session's versions through one set of models as the server does and compares features with fresh models. */
function checkSession(first: string, edits: Parameters<typeof versionsOf>[1], uses: readonly Use[], twice: readonly boolean[], newsAt: number): void {
  const versions = versionsOf(first, edits);
  const uri = 'file:///incremental/Dockerfile';
  const { readers, news } = sessionReaders(context);
  const models = new DocumentModels(() => ({}), () => readers);
  let document = TextDocument.create(uri, 'dockerfile', 1, versions[0]);
  void models.get(document).planned;
  for (let i = 1; i < versions.length; i++) {
    document = TextDocument.update(document, rangedChanges(document, versions[i], twice[i % twice.length] ?? false), i + 1);
    // Size facts arrive (the server then keeps the plans and predicts sizes again).
    if (i === 1 + (newsAt % versions.length)) {
      news();
      models.invalidateSizes();
    }
    const use: Use = i === versions.length - 1 ? 'compare' : uses[i % uses.length] ?? 'skip';
    if (use === 'skip') continue;
    const model = models.get(document);
    if (use === 'parse') continue;
    void model.planned;
    if (use === 'plan') continue;
    if (use === 'size') {
      void model.plan;
      continue;
    }
    const fresh = TextDocument.create(uri, 'dockerfile', 1, versions[i]);
    const incremental = featuresOf(model, document);
    const expected = featuresOf(new DocumentModels(() => ({}), () => readers).get(fresh), fresh);
    for (const key of Object.keys(expected)) {
      assert.deepStrictEqual(incremental[key], expected[key], `${key} differs after version ${i} of ${versions.length - 1}:\n  ${describeVersions(versions, i)}`);
    }
  }
}

describe('features on the models kept while a document is edited', () => {
  it('equal the features of the same text parsed fresh, after every version compared (property)', function () {
    this.timeout(Math.max(60000, RUNS * 1000));
    fc.assert(fc.property(
      editSessionArb,
      fc.array(fc.constantFrom<Use>('skip', 'parse', 'plan', 'size', 'compare', 'compare'), { minLength: 1, maxLength: 8 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      ({ spec, edits }, uses, twice, newsAt) => checkSession(writeDockerfile(spec), edits, uses, twice, newsAt),
    ), { numRuns: RUNS });
  });
});
