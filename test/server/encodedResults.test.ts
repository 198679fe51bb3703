import * as assert from 'assert';
import type { ContentTypeEncoderOptions, Message } from 'vscode-languageserver/node';
import { EncodedResults } from '../../server/encodedResults';

const utf8: ContentTypeEncoderOptions = { charset: 'utf-8' };

/** vscode-jsonrpc's own application/json encoding. */
function defaultEncoding(message: Message): Buffer {
  return Buffer.from(JSON.stringify(message, undefined, 0), 'utf-8');
}

function outline(name: string): object[] {
  return [{ name, kind: 5, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 9 } }, children: [{ name: 'RUN', kind: 12, detail: 'echo “quoted” ü ✓ 🐳' }] }];
}

function response(id: number | string | null, result: unknown): Message {
  return { jsonrpc: '2.0', id, result } as Message;
}

describe('encoded results', () => {
  it('encodes a response carrying a kept result byte for byte as vscode-jsonrpc does', async () => {
    const results = new EncodedResults();
    const encoder = results.encoderForWriter();
    const result = results.keep(outline('build'));
    for (const id of [7, 'req-ü', null]) {
      if (!('encode' in encoder)) assert.fail('a function encoder');
      const bytes = await encoder.encode(response(id, result), utf8);
      assert.deepStrictEqual(Buffer.from(bytes), defaultEncoding(response(id, result)), `id ${String(id)}`);
    }
    assert.ok(results.isEncoded(result));
  });

  it('splices the bytes kept at the first response into later ones instead of encoding again', () => {
    const results = new EncodedResults();
    results.encoderForWriter();
    const result = results.keep(outline('build'));
    const first = results.encode(response(1, result), utf8);
    const kept = defaultEncoding(response(2, outline('build')));
    // A kept result must not change; if it did, the kept bytes (not a new encoding) would show it.
    (result[0] as { name: string }).name = 'changed';
    assert.deepStrictEqual(results.encode(response(2, result), utf8), kept);
    assert.strictEqual(first.toString().replace('"id":1', '"id":2'), kept.toString());
  });

  it('keeps a new encoding for a new result object (a new version), never the old one', () => {
    const results = new EncodedResults();
    results.encoderForWriter();
    const before = results.keep(outline('v1'));
    results.encode(response(1, before), utf8);
    const after = results.keep(outline('v2'));
    assert.ok(!results.isEncoded(after));
    assert.deepStrictEqual(results.encode(response(2, after), utf8), defaultEncoding(response(2, outline('v2'))));
    assert.deepStrictEqual(results.encode(response(3, before), utf8), defaultEncoding(response(3, outline('v1'))));
  });

  it('encodes every other message as vscode-jsonrpc does, keeping nothing', () => {
    const results = new EncodedResults();
    results.encoderForWriter();
    const unkept = outline('other');
    const messages: Message[] = [
      response(1, unkept),
      response(2, null),
      response(3, 'text'),
      { jsonrpc: '2.0', id: 4, error: { code: -32800, message: 'Request cancelled' } } as Message,
      { jsonrpc: '2.0', id: 5, method: 'workspace/configuration', params: { items: [{ section: 'layerlens' }] } } as Message,
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a/Dockerfile', diagnostics: [] } } as Message,
    ];
    for (const message of messages) assert.deepStrictEqual(results.encode(message, utf8), defaultEncoding(message), JSON.stringify(message));
    assert.ok(!results.isEncoded(unkept));
  });

  it('encodes a kept result in a response with other members (or another charset) as vscode-jsonrpc does', () => {
    const results = new EncodedResults();
    results.encoderForWriter();
    const result = results.keep(outline('build'));
    const extra = { jsonrpc: '2.0', id: 1, result, extra: true } as Message;
    assert.deepStrictEqual(results.encode(extra, utf8), defaultEncoding(extra));
    assert.deepStrictEqual(results.encode(response(2, result), { charset: 'ascii' }), Buffer.from(JSON.stringify(response(2, result)), 'ascii'));
    assert.ok(!results.isEncoded(result), 'not kept from either');
  });

  it('keeps nothing while no writer uses its encoder (IPC)', () => {
    const results = new EncodedResults();
    const result = results.keep(outline('build'));
    assert.deepStrictEqual(results.encode(response(1, result), utf8), defaultEncoding(response(1, result)));
    assert.ok(!results.isEncoded(result));
  });

  describe('published diagnostics', () => {
    const diagnostic = (line: number, message: string, extra: object = {}) => ({
      range: { start: { line, character: 0 }, end: { line, character: 9 } }, severity: 2, code: 'AptPinVersions', source: 'layerlens', message, ...extra,
    });
    const publication = (params: object): Message => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as Message);

    it('encodes each publication byte for byte as vscode-jsonrpc does, the diagnostics handed over again included', () => {
      const results = new EncodedResults();
      results.encoderForWriter();
      const kept = [diagnostic(1, 'Pin “versions” ü ✓ 🐳'), diagnostic(2, 'b', { codeDescription: { href: 'https://example.com/DL3008' }, tags: [2] })];
      const messages = [
        publication({ uri: 'file:///ü/Dockerfile', version: 3, diagnostics: kept }),
        publication({ uri: 'file:///ü/Dockerfile', version: 4, diagnostics: [kept[1], diagnostic(3, 'new'), kept[0]] }),
        publication({ diagnostics: [kept[0]], uri: 'file:///b/Dockerfile' }),
        publication({ uri: 'file:///b/Dockerfile', version: null, diagnostics: [] }),
        // The hole's own text in the URI: encoded whole instead.
        publication({ uri: '\u0000diagnostics\u0000', diagnostics: kept }),
      ];
      for (const message of messages) assert.deepStrictEqual(results.encode(message, utf8), defaultEncoding(message), JSON.stringify(message));
    });

    it('keeps each diagnostic object\'s JSON from its first publication (a diagnostic must not change once published)', () => {
      const results = new EncodedResults();
      results.encoderForWriter();
      const d = diagnostic(1, 'first');
      const before = defaultEncoding(publication({ uri: 'file:///a/Dockerfile', version: 2, diagnostics: [diagnostic(1, 'first')] }));
      results.encode(publication({ uri: 'file:///a/Dockerfile', version: 1, diagnostics: [d] }), utf8);
      d.message = 'changed';
      assert.deepStrictEqual(results.encode(publication({ uri: 'file:///a/Dockerfile', version: 2, diagnostics: [d] }), utf8), before);
    });

    it('keeps nothing while no writer uses its encoder (IPC)', () => {
      const results = new EncodedResults();
      const d = diagnostic(1, 'first');
      results.encode(publication({ uri: 'file:///a/Dockerfile', diagnostics: [d] }), utf8);
      d.message = 'changed';
      const message = publication({ uri: 'file:///a/Dockerfile', diagnostics: [d] });
      assert.deepStrictEqual(results.encode(message, utf8), defaultEncoding(message));
    });
  });
});
