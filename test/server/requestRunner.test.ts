// Request handlers that wait: a document changed meanwhile answers ContentModified (the client
// asks again), errors answer the fallback, and a result is passed through.
import * as assert from 'assert';
import { CancellationTokenSource, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { ContentModifiedError, runSafelyInTurns } from '../../server/requestRunner';

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
