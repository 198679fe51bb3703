import * as assert from 'assert';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { sameDiagnostics } from '../../../server/features/diagnostics';

const at = (line: number, message = 'm'): Diagnostic => ({
  range: { start: { line, character: 0 }, end: { line, character: 3 } },
  severity: DiagnosticSeverity.Warning, code: 'SC2086', source: 'shellcheck', message,
});

describe('sameDiagnostics: a republish is skipped only when nothing shown changed', () => {
  it('equal lists of fresh objects are the same', () => {
    assert.strictEqual(sameDiagnostics([at(1), at(2)], [at(1), at(2)]), true);
  });
  it('a new finding, a moved range or another message is a change', () => {
    assert.strictEqual(sameDiagnostics([at(1)], [at(1), at(2)]), false);
    assert.strictEqual(sameDiagnostics([at(1)], [at(3)]), false);
    assert.strictEqual(sameDiagnostics([at(1)], [at(1, 'other')]), false);
  });
});
