// Request handlers that wait: a document changed meanwhile answers ContentModified (the client
// asks again), errors answer the fallback, and a result is passed through.
import * as assert from 'assert';
import { CancellationTokenSource, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { ContentModifiedError, runSafelyInTurns, stillCurrent } from '../../server/requestRunner';
import { TextDocument } from 'vscode-languageserver-textdocument';

const logged: string[] = [];
const connection = { console: { error: (m: string) => logged.push(m) } } as unknown as Connection;

describe('runSafelyInTurns', () => {
  it('passes a result through', async () => {
    assert.deepStrictEqual(await runSafelyInTurns(connection, 'x', [], undefined, async () => [1]), [1]);
  });

  it('answers ContentModified when the document changed while the handler waited', async () => {
    const answer = await runSafelyInTurns(connection, 'x', [], undefined, async () => { throw new ContentModifiedError(); });
    assert.ok(answer instanceof ResponseError);
    assert.strictEqual(answer.code, LSPErrorCodes.ContentModified);
  });

  it('answers the fallback and logs when the handler fails, and cancelled when the request was', async () => {
    assert.deepStrictEqual(await runSafelyInTurns(connection, 'lens', ['fallback'], undefined, async () => { throw new Error('boom'); }), ['fallback']);
    assert.ok(logged.some((l) => l.startsWith('lens failed: Error: boom')));
    const source = new CancellationTokenSource();
    const answer = runSafelyInTurns(connection, 'x', [], source.token, async () => {
      source.cancel();
      return [2];
    });
    const result = await answer;
    assert.ok(result instanceof ResponseError);
    assert.strictEqual(result.code, LSPErrorCodes.RequestCancelled);
  });
});

describe('stillCurrent', () => {
  it('holds while the same open document is at the same version and the request is not cancelled', () => {
    const uri = 'file:///w/Dockerfile';
    const open = new Map<string, TextDocument>();
    const document = TextDocument.create(uri, 'dockerfile', 1, 'FROM a\n');
    open.set(uri, document);
    const source = new CancellationTokenSource();
    const current = stillCurrent(open, document, source.token);
    assert.strictEqual(current(), true);
    // Closed and opened again: another document at the same version number.
    open.set(uri, TextDocument.create(uri, 'dockerfile', 1, 'FROM b\n'));
    assert.strictEqual(current(), false);
    open.set(uri, document);
    assert.strictEqual(current(), true);
    TextDocument.update(document, [{ text: 'FROM c\n' }], 2);
    assert.strictEqual(current(), false, 'edited');
    const later = stillCurrent(open, document, source.token);
    assert.strictEqual(later(), true);
    source.cancel();
    assert.strictEqual(later(), false, 'cancelled');
  });
});
