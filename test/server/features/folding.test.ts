import * as assert from 'assert';
import type { FoldingRange } from 'vscode-languageserver-protocol';
import { parseDockerfile } from '../../../server/parser';
import { computeFoldingRanges } from '../../../server/features/folding';
import { LspClient } from '../lspClient';

const dockerfile = [
  '# syntax=docker/dockerfile:1',      // 0
  '# A builder for the app:',          // 1
  '# compiles, then tests.',           // 2
  'FROM golang:1.22 AS build',         // 3
  'RUN apt-get update && \\',          // 4
  '    apt-get install -y git',        // 5
  'RUN <<EOF',                         // 6
  'go build ./...',                    // 7
  'go test ./...',                     // 8
  'EOF',                               // 9
  '',                                  // 10
  'FROM scratch',                      // 11
  'COPY <<one <<two /etc/',            // 12
  'first',                             // 13
  'one',                               // 14
  'second',                            // 15
  'two',                               // 16
  '',
].join('\n');

const summary = (folds: FoldingRange[] | null) => (folds ?? []).map((f) => `${f.startLine}-${f.endLine}${f.kind ? ` ${f.kind}` : ''}`);

describe('folding ranges', () => {
  it('folds stages, continued instructions, heredocs and comment blocks over stdio', async () => {
    const client = new LspClient();
    try {
      const init = (await client.initialize()) as { capabilities: { foldingRangeProvider?: boolean } };
      assert.strictEqual(init.capabilities.foldingRangeProvider, true);
      const uri = 'file:///tmp/folding/Dockerfile';
      await client.open(uri, dockerfile);
      const folds = await client.request<FoldingRange[] | null>('textDocument/foldingRange', { textDocument: { uri } });
      assert.deepStrictEqual(summary(folds), [
        '0-2 comment',   // directive + comments
        '3-9',           // stage 'build'
        '4-5',           // continued RUN
        '6-9',           // RUN heredoc
        '11-16',         // stage 1
        '12-14',         // first heredoc, from its marker line
        '15-16',         // second heredoc on the same line: its body
      ]);
    } finally {
      await client.stop();
    }
  });

  it('never reports two ranges starting on one line, and honours a range limit', () => {
    const syntax = parseDockerfile('FROM a\nRUN <<EOF\nx\nEOF\nFROM b\nRUN a \\\n  b\n# one\n# two\n');
    const folds = computeFoldingRanges(syntax);
    assert.strictEqual(new Set(folds.map((f) => f.startLine)).size, folds.length);
    assert.deepStrictEqual(summary(folds), ['0-3', '1-3', '4-6', '5-6', '7-8 comment']);
    assert.strictEqual(computeFoldingRanges(syntax, 2).length, 2);
  });
});
