import * as assert from 'assert';
import fc from 'fast-check';
import { computeDocumentSymbols } from '../../../server/features/documentSymbols';
import { findDefinitions } from '../../../server/features/definition';
import { computeFoldingRanges } from '../../../server/features/folding';
import { formatDocument, formatOnEnter } from '../../../server/features/formatting';
import { findReferences } from '../../../server/features/references';
import { renameEdits, renameTarget } from '../../../server/features/rename';
import { computeSemanticTokens } from '../../../server/features/semanticTokens';
import { defaultSettings } from '../../../server/settings';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineReaderOf, occurrencesOf, type Occurrence } from '../../../server/features/occurrences';
import { scanShellText } from '../../../server/features/format/shellScan';

function modelOf(text: string) {
  const syntax = parseDockerfile(text);
  return { uri: 'file:///x', version: 1, text, syntax, plan: planDockerfile(syntax) };
}

const at = (o: Occurrence) => `${o.range.start.line}:${o.range.start.character}-${o.range.end.line}:${o.range.end.character}`;
const variables = (text: string) => occurrencesOf(modelOf(text)).occurrences.filter((o) => o.kind === 'variable');

describe('occurrences', () => {
  it('is computed once per model (document version) and shared', () => {
    const model = modelOf('FROM a\nARG X\nRUN echo $X\n');
    assert.strictEqual(occurrencesOf(model), occurrencesOf(model));
    assert.notStrictEqual(occurrencesOf(modelOf('FROM a\n')), occurrencesOf(model));
  });

  it('finds names exactly: braced, modifiers, nesting, length, across continuation lines', () => {
    const found = variables('FROM a\nARG A B C\nRUN echo ${A:-$B} ${#C} \\\n  "$A"x\n');
    assert.deepStrictEqual(found.filter((o) => o.role === 'reference').map((o) => `${o.name}@${at(o)}`), [
      'A@2:11-2:12', 'B@2:15-2:16', 'C@2:21-2:22', 'A@3:4-3:5',
    ]);
    const braced = found.find((o) => o.role === 'reference' && o.name === 'A');
    // `${A:-$B}`: two characters before the name; the tail is a word of its own.
    assert.deepStrictEqual([braced?.lead, braced?.trail], [2, 0]);
    const plain = variables('FROM a\nARG A\nRUN echo $A ${A}\n').filter((o) => o.role === 'reference');
    assert.deepStrictEqual(plain.map((o) => [o.lead, o.trail]), [[1, 0], [2, 1]]);
  });

  it('skips what is not expanded: escaped dollars, single quotes, shell comments', () => {
    const found = variables("FROM a\nARG X\nRUN echo \\$X '$X' \"$X\" # $X\nENV Y='$X' Z=\"$X\"\n");
    assert.deepStrictEqual(found.filter((o) => o.role === 'reference').map(at), ['2:20-2:21', '3:15-3:16']);
  });

  it('maps heredoc bodies line by line, tabs of <<- included, and flags what may not be expanded', () => {
    const found = variables("FROM a\nARG X\nRUN <<-EOF\n\t\techo $X\n\tEOF\nCOPY <<'EOF' /f\n  $X\nEOF\nCMD [\"echo\", \"$X\"]\n");
    const references = found.filter((o) => o.role === 'reference');
    // The CMD use is listed (same name) but bound to nothing: ARGs do not exist at run time.
    assert.deepStrictEqual(references.map(at), ['3:8-3:9', '6:3-6:4', '8:15-8:16']);
    assert.strictEqual(references[2].symbol, undefined);
    assert.strictEqual(references[0].uncertain, undefined);
    assert.match(references[1].uncertain ?? '', /quoted heredoc <<'EOF'/);
    // Exec form runs without a shell unless the program is one.
    const withEnv = variables('FROM a\nENV X=1\nCMD ["echo", "$X"]\nCMD ["sh", "-c", "echo $X"]\n').filter((o) => o.role === 'reference');
    assert.match(withEnv[0].uncertain ?? '', /exec form/);
    assert.strictEqual(withEnv[1].uncertain, undefined);
  });

  it('reads variables in flags (mount fields, --chown) but never in --from', () => {
    const found = variables('FROM a\nARG U D\nCOPY --chown=$U --from=$D /a /b\nRUN --mount=type=cache,target=${D}/c true\n');
    assert.deepStrictEqual(found.filter((o) => o.role === 'reference').map((o) => `${o.name}@${at(o)}`), ['U@2:14-2:15', 'D@3:32-3:33']);
  });

  it('records images and stage names reached through variables, for rename safety', () => {
    const occ = occurrencesOf(modelOf('ARG BASE=x\nFROM ${BASE} AS one\nFROM nginx:1 AS two\nCOPY --from=redis /a /b\nFROM one\n'));
    assert.deepStrictEqual([...occ.imageNames.keys()], ['nginx:1', 'redis']);
    assert.deepStrictEqual(occ.dynamicStageReferences.map((d) => d.text), ['${BASE}']);
    assert.deepStrictEqual(occ.stages.map((s) => [s.name, s.occurrences.length]), [['one', 2], ['two', 1], ['', 0]]);
  });

  it('finds the occurrence under the cursor, its end included', () => {
    const occ = occurrencesOf(modelOf('FROM a\nARG LONG_NAME\nRUN echo $LONG_NAME$LONG_NAME\n'));
    assert.strictEqual(occ.at({ line: 2, character: 10 })?.range.start.character, 10);
    assert.strictEqual(occ.at({ line: 2, character: 19 })?.range.start.character, 10);
    assert.strictEqual(occ.at({ line: 2, character: 21 })?.range.start.character, 20);
    assert.strictEqual(occ.at({ line: 2, character: 3 }), undefined);
  });

  it('scans text in linear time and never throws on unbalanced input', () => {
    for (const text of ['${', '${A', '"$(', "'", '`', '$((1', '${A:-${B', '\\', '$']) {
      assert.doesNotThrow(() => scanShellText(text, 'shell', '\\', [0, 1]));
    }
    const unit = 'echo "$A" \'x\' $(b "c") ';
    const big = unit.repeat(40_000);
    assert.strictEqual(scanShellText(big, 'shell').mentions.length, 40_000);
    // Best of several runs: time per character stays roughly flat from 2,000 to 40,000 repetitions
    // (a quadratic scan would take 20 times longer per character; allocation noise stays well below that).
    const best = (text: string) => {
      let min = Number.MAX_SAFE_INTEGER;
      for (let i = 0; i < 5; i++) {
        const t = process.hrtime.bigint();
        scanShellText(text, 'shell');
        min = Math.min(min, Number(process.hrtime.bigint() - t));
      }
      return min / text.length;
    };
    const perCharSmall = best(unit.repeat(2_000));
    const perCharBig = best(big);
    assert.ok(perCharBig < perCharSmall * 8, `per character: ${perCharBig.toFixed(1)} ns at 40k vs ${perCharSmall.toFixed(1)} ns at 2k`);
  });

  it('never throws, on any input, in any feature built on it (property)', () => {
    const piece = fc.constantFrom('FROM ', 'from', ' AS ', 'a', 'ARG ', 'ENV ', 'X=1', '$X', '${X:-', '}', '${', 'RUN ', 'COPY ', '--from=',
      '--mount=type=cache,from=a,target=$X', '<<EOF', "<<'EOF'", '<<-EOF', '\nEOF', 'EOF\n', '\\\n', '`\n', '# escape=`\n', '"', "'", '$(', ')',
      '[', ']', '"$X"', ',', ' ', '\t', '\n', '\r\n', '#', 'ONBUILD ', 'HEALTHCHECK CMD ', '🐳', '\u0000', 'é');
    const text = fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, fc.nat(40), fc.nat(40), (source, line, character) => {
      const model = modelOf(source);
      const occ = occurrencesOf(model);
      const lines = source.split('\n');
      const tokens = computeSemanticTokens(model, occ, (l) => lines[l] ?? '').data;
      for (let i = 0; i < tokens.length; i += 5) assert.ok(tokens[i + 2] > 0 && (tokens[i] > 0 || i === 0 || tokens[i + 1] >= tokens[i - 3]));
      computeDocumentSymbols(model.syntax);
      for (const fold of computeFoldingRanges(model.syntax)) assert.ok(fold.endLine > fold.startLine);
      const position = { line, character };
      findDefinitions(occ, position);
      findReferences(occ, position, true);
      const target = renameTarget(model, occ, position, defaultSettings);
      if (target.ok) renameEdits(occ, target.symbol, 'renamed', defaultSettings);
      formatDocument(model.syntax, source, { tabSize: 4, insertSpaces: true, reflow: true, insertFinalNewline: true, trimFinalNewlines: true });
      formatOnEnter(model.syntax, source, { tabSize: 2, insertSpaces: true, reflow: false }, { line: Math.min(line, lines.length - 1), character: 0 });
    }), { numRuns: Number(process.env.FEATURES_PROPERTY_RUNS ?? 500) });
  });
});

describe('lineReaderOf', () => {
  it('reads each line of the document without its ending: LF, CRLF or a lone CR', () => {
    const document = TextDocument.create('file:///x', 'dockerfile', 1, 'FROM a\r\nRUN b\rRUN c\nENV d=1');
    const read = lineReaderOf(document);
    assert.deepStrictEqual([0, 1, 2, 3].map(read), ['FROM a', 'RUN b', 'RUN c', 'ENV d=1']);
  });
});
