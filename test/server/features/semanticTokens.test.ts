import * as assert from 'assert';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-protocol';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { computeDocumentSymbols } from '../../../server/features/documentSymbols';
import { occurrencesOf } from '../../../server/features/occurrences';
import { computeSemanticTokens, semanticTokensLegend } from '../../../server/features/semanticTokens';
import { LspClient } from '../lspClient';

const dockerfile = [
  '# syntax=docker/dockerfile:1',                                  // 0
  'ARG BASE=alpine:3.19',                                          // 1
  'FROM ${BASE} AS build',                                         // 2
  'RUN --mount=type=cache,target=/root/.cache \\',                 // 3
  '    echo "v=$BASE" && \\',                                      // 4
  "    echo 'literal'",                                            // 5
  'COPY <<EOF /etc/motd',                                          // 6
  'hello $BASE',                                                   // 7
  'EOF',                                                           // 8
  'FROM build',                                                    // 9
  'CMD ["sh", "-c", "echo hi"]',                                   // 10
  '',
].join('\n');

interface Token { line: number; character: number; text: string; type: string; modifiers: string[] }

function decode(data: number[], legend: SemanticTokensLegend, text: string): Token[] {
  const lines = text.split('\n');
  const out: Token[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    const modifiers = legend.tokenModifiers.filter((_, bit) => (data[i + 4] & (1 << bit)) !== 0);
    out.push({ line, character, text: lines[line].slice(character, character + data[i + 2]), type: legend.tokenTypes[data[i + 3]], modifiers });
  }
  return out;
}

const show = (tokens: Token[]) => tokens.map((t) => `${t.line}:${t.text}:${t.type}${t.modifiers.length ? '.' + t.modifiers.join('.') : ''}`);

/** 30,000 lines: 2,500 stages of 12 lines with variables, continuations, flags, strings and comments. */
function bigDockerfile(): string[] {
  const block = [
    'FROM alpine:3.19 AS stage', 'ARG VERSION=1.0', 'ENV APP_HOME=/app PATH=$APP_HOME/bin:$PATH', 'WORKDIR ${APP_HOME}',
    'RUN apt-get update && \\', '    apt-get install -y --no-install-recommends curl="${VERSION}" && \\', "    echo 'done' > /tmp/x",
    'COPY --from=0 --chown=1000:1000 src/ /app/src/', 'LABEL org.opencontainers.image.version="$VERSION"',
    'RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt', '# a comment', '',
  ];
  const lines: string[] = [];
  while (lines.length < 30_000) lines.push(...block.map((l, i) => (i === 0 ? `${l}${lines.length}` : l)));
  return lines;
}

describe('semantic tokens', () => {
  let client: LspClient;
  let legend: SemanticTokensLegend;
  const uri = 'file:///tmp/semantic/Dockerfile';
  before(async () => {
    client = new LspClient();
    const init = (await client.initialize()) as { capabilities: { semanticTokensProvider?: { legend: SemanticTokensLegend; full: boolean; range: boolean } } };
    const provider = init.capabilities.semanticTokensProvider;
    assert.ok(provider, 'semanticTokensProvider is declared');
    assert.strictEqual(provider.full, true);
    assert.strictEqual(provider.range, true);
    legend = provider.legend;
    await client.open(uri, dockerfile);
  });
  after(() => client.stop());

  it('declares its legend in the capabilities', () => {
    assert.deepStrictEqual(legend, semanticTokensLegend);
  });

  it('colours instructions, flags, variables, stage names, images, strings, heredocs and directives', async () => {
    const result = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const tokens = show(decode(result.data, legend, dockerfile));
    for (const expected of [
      '0:syntax:macro', '0:docker/dockerfile:1:string',
      '1:ARG:keyword', '1:BASE:variable.declaration', '1:alpine:3.19:string',
      '2:FROM:keyword', '2:${BASE}:variable', '2:AS:keyword', '2:build:class.declaration',
      '3:RUN:keyword', '3:--mount:parameter', '3:type:property', '3:cache:string', '3:target:property',
      '4:"v=:string', '4:$BASE:variable', '4:":string',
      "5:'literal':string",
      '6:COPY:keyword', '6:<<EOF:operator', '7:hello :string', '7:$BASE:variable', '8:EOF:operator',
      '9:FROM:keyword', '9:build:class',
      '10:CMD:keyword', '10:"sh":string', '10:"-c":string', '10:"echo hi":string',
    ]) {
      assert.ok(tokens.includes(expected), `${expected} in ${JSON.stringify(tokens)}`);
    }
    // Tokens never overlap.
    const decoded = decode(result.data, legend, dockerfile);
    for (let i = 1; i < decoded.length; i++) {
      const a = decoded[i - 1];
      const b = decoded[i];
      assert.ok(b.line > a.line || b.character >= a.character + a.text.length, `overlap at ${b.line}:${b.character}`);
    }
  });

  it('answers a range request with the tokens of those lines only', async () => {
    const result = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri }, range: { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } },
    });
    const tokens = decode(result.data, legend, dockerfile);
    assert.deepStrictEqual([...new Set(tokens.map((t) => t.line))], [9, 10]);
    assert.ok(show(tokens).includes('9:build:class'));
  });

  it('marks variables that BuildKit predefines, colours RUN heredoc bodies as scripts and quoted heredocs as text', () => {
    const text = "FROM --platform=$BUILDPLATFORM golang\nRUN <<EOF\necho $TARGETARCH\nEOF\nCOPY <<'EOF' /f\n$TARGETARCH\nEOF\n";
    const syntax = parseDockerfile(text);
    const model = { uri: 'file:///x', version: 1, text, syntax, plan: planDockerfile(syntax) };
    const lines = text.split('\n');
    const tokens = show(decode(computeSemanticTokens(model, occurrencesOf(model), (l) => lines[l] ?? '').data, semanticTokensLegend, text));
    assert.ok(tokens.includes('0:$BUILDPLATFORM:variable.defaultLibrary'), JSON.stringify(tokens));
    assert.ok(tokens.includes('2:echo :heredoc'), JSON.stringify(tokens));
    assert.ok(tokens.includes('2:$TARGETARCH:variable.defaultLibrary'), JSON.stringify(tokens));
    // A quoted heredoc is copied verbatim: its `$TARGETARCH` is text.
    assert.ok(tokens.includes('5:$TARGETARCH:string'), JSON.stringify(tokens));
  });

  it('answers symbols, tokens, folding and navigation on a 30,000-line Dockerfile over stdio (figures printed)', async function () {
    this.timeout(120_000); // about 8 s alone; what it checks is the answers, not their speed (the figures are printed)
    const lines = bigDockerfile();
    const big = 'file:///tmp/semantic-big/Dockerfile';
    await client.open(big, lines.join('\n'));
    await client.diagnosticsFor(big, 1, 120_000); // parsed and planned
    const timed = async <T>(method: string, params: object): Promise<[T, number]> => {
      const start = process.hrtime.bigint();
      const result = await client.request<T>(method, { textDocument: { uri: big }, ...params });
      return [result, Number(process.hrtime.bigint() - start) / 1e6];
    };
    // Let the server settle (other features work in the background after an open), then time each request.
    await timed('textDocument/foldingRange', {});
    await timed('textDocument/foldingRange', {});
    const [symbols, symbolsMs] = await timed<{ kind: number }[]>('textDocument/documentSymbol', {});
    const [tokens, tokensMs] = await timed<SemanticTokens>('textDocument/semanticTokens/full', {});
    const [, symbolsAgainMs] = await timed('textDocument/documentSymbol', {});
    const [tokensAgain, tokensAgainMs] = await timed<SemanticTokens>('textDocument/semanticTokens/full', {});
    assert.deepStrictEqual(tokensAgain.data, tokens.data);
    const [ranged, rangeMs] = await timed<SemanticTokens>('textDocument/semanticTokens/range', { range: { start: { line: 15_000, character: 0 }, end: { line: 15_060, character: 0 } } });
    const [folds, foldMs] = await timed<unknown[]>('textDocument/foldingRange', {});
    const [refs, refsMs] = await timed<unknown[]>('textDocument/references', { position: { line: 29_991, character: 12 }, context: { includeDeclaration: true } });
    const [edits, formatMs] = await timed<unknown[]>('textDocument/formatting', { options: { tabSize: 4, insertSpaces: true } });
    console.log(`      over stdio, 30,000 lines (wall ms, parsed model): documentSymbol ${symbolsMs.toFixed(1)} (again ${symbolsAgainMs.toFixed(1)}), ` +
      `semanticTokens/full ${tokensMs.toFixed(1)} (again ${tokensAgainMs.toFixed(1)}), ` +
      `semanticTokens/range ${rangeMs.toFixed(1)}, foldingRange ${foldMs.toFixed(1)}, references ${refsMs.toFixed(1)}, formatting ${formatMs.toFixed(1)}`);
    // This client has no hierarchical symbols: stages (classes) and their contents, flat.
    assert.strictEqual(symbols.filter((s) => s.kind === 5).length, 2500);
    assert.ok(tokens.data.length / 5 > 90_000);
    assert.ok(ranged.data.length / 5 > 100 && ranged.data.length < tokens.data.length / 100);
    assert.strictEqual(folds.length, 5000);
    // ENV APP_HOME and WORKDIR ${APP_HOME} of the last stage (the $APP_HOME in the same ENV is the value before it).
    assert.strictEqual(refs.length, 2);
    assert.deepStrictEqual(edits, []);
  });

  it('on a 30,000-line Dockerfile, symbols and tokens cost far less than parsing (figures printed)', () => {
    const lines = bigDockerfile();
    const text = lines.join('\n');
    const cpuMs = <T>(work: () => T): [T, number] => {
      const start = process.cpuUsage();
      const result = work();
      const used = process.cpuUsage(start);
      return [result, (used.user + used.system) / 1000];
    };
    const [model, parseMs] = cpuMs(() => {
      const syntax = parseDockerfile(text);
      return { uri: 'file:///big', version: 1, text, syntax, plan: planDockerfile(syntax) };
    });
    const [occurrences, occurrencesMs] = cpuMs(() => occurrencesOf(model));
    const [tokens, tokensMs] = cpuMs(() => computeSemanticTokens(model, occurrences, (l) => lines[l] ?? ''));
    const [symbols, symbolsMs] = cpuMs(() => computeDocumentSymbols(model.syntax));
    console.log(`      30,000 lines (CPU ms): parse+plan ${parseMs.toFixed(1)}, occurrences ${occurrencesMs.toFixed(1)}, ` +
      `semantic tokens ${tokensMs.toFixed(1)} (${tokens.data.length / 5} tokens), document symbols ${symbolsMs.toFixed(1)} (${symbols.length} stages)`);
    assert.strictEqual(symbols.length, 2500);
    assert.ok(tokens.data.length / 5 > 90_000);
    // Load-independent bound: each costs a fraction of the parse it reads.
    assert.ok(occurrencesMs + tokensMs < parseMs, `tokens ${occurrencesMs + tokensMs} ms vs parse ${parseMs} ms`);
    assert.ok(symbolsMs < parseMs / 4, `symbols ${symbolsMs} ms vs parse ${parseMs} ms`);
  });
});
