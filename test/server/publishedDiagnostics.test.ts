import * as assert from 'assert';
import type { Diagnostic } from 'vscode-languageserver';
import { PublishedDiagnostics } from '../../server/publishedDiagnostics';

const diagnostic = (code: string, line: number): Diagnostic => ({ code, message: code, range: { start: { line, character: 0 }, end: { line, character: 4 } } });

describe('published diagnostics', () => {
  it('answers for the version that was published only (another version\'s ranges would be off)', () => {
    const shown = new PublishedDiagnostics();
    assert.strictEqual(shown.of('file:///a', 1), undefined);
    const first = [diagnostic('AddInsteadOfCopy', 2)];
    shown.published('file:///a', { version: 1, diagnostics: first });
    assert.strictEqual(shown.of('file:///a', 1), first);
    assert.strictEqual(shown.of('file:///a', 2), undefined, 'edited, not published yet');
    assert.strictEqual(shown.of('file:///b', 1), undefined);
    const second = [diagnostic('AptPinVersions', 1)];
    shown.published('file:///a', { version: 2, diagnostics: second });
    assert.strictEqual(shown.of('file:///a', 2), second);
    assert.strictEqual(shown.of('file:///a', 1), undefined);
  });

  it('forgets a closed document', () => {
    const shown = new PublishedDiagnostics();
    shown.published('file:///a', { version: 3, diagnostics: [diagnostic('MaintainerDeprecated', 0)] });
    shown.forget('file:///a');
    assert.strictEqual(shown.of('file:///a', 3), undefined);
  });
});
