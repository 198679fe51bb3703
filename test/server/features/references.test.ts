import * as assert from 'assert';
import type { Location } from 'vscode-languageserver-protocol';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { occurrencesOf } from '../../../server/features/occurrences';
import { findReferences } from '../../../server/features/references';
import { LspClient } from '../lspClient';

const dockerfile = [
  'ARG VERSION=1.2',                                   // 0
  'FROM alpine:${VERSION} AS build',                   // 1
  'ARG VERSION',                                       // 2
  'ENV OUT=/out',                                      // 3
  'RUN --mount=type=cache,target=$OUT/cache \\',       // 4
  '    echo "$VERSION" > $OUT/v && echo \'$OUT\'',     // 5
  'FROM build AS check',                               // 6
  'RUN test -f ${OUT}/v',                              // 7
  'FROM scratch',                                      // 8
  'COPY --from=build /out /',                          // 9
  'COPY --from=0 /out /again',                         // 10
  'RUN --mount=from=BUILD,target=/b true',             // 11
  '',
].join('\n');

const lines = (found: Location[] | null) => (found ?? []).map((l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);

describe('find references', () => {
  let client: LspClient;
  const uri = 'file:///tmp/references/Dockerfile';
  const referencesAt = (line: number, character: number, includeDeclaration: boolean) =>
    client.request<Location[] | null>('textDocument/references', { textDocument: { uri }, position: { line, character }, context: { includeDeclaration } });
  before(async () => {
    client = new LspClient();
    await client.initialize();
    await client.open(uri, dockerfile);
  });
  after(() => client.stop());

  it('lists a stage: its name, FROM <stage>, --from by name and by index, mount from= (case-insensitive)', async () => {
    assert.deepStrictEqual(lines(await referencesAt(9, 14, true)), ['1:26-31', '6:5-10', '9:12-17', '10:12-13', '11:17-22']);
    assert.deepStrictEqual(lines(await referencesAt(1, 27, false)), ['6:5-10', '9:12-17', '10:12-13', '11:17-22']);
  });

  it('lists a global ARG with its re-declaration in the stage and every use there, but not single-quoted text', async () => {
    assert.deepStrictEqual(lines(await referencesAt(5, 14, true)), ['0:4-11', '1:14-21', '2:4-11', '5:11-18']);
  });

  it('lists an ENV through continuation lines, flags and the stage built FROM it', async () => {
    assert.deepStrictEqual(lines(await referencesAt(3, 5, false)), ['4:31-34', '5:23-26', '7:14-17']);
  });

  it('answers an empty list away from symbols', async () => {
    assert.deepStrictEqual(await referencesAt(8, 2, true), []);
  });

  it('groups undeclared variables by name within a stage', () => {
    const text = 'FROM a\nRUN echo $HOME\nRUN cd $HOME\nFROM b\nRUN echo $HOME\n';
    const syntax = parseDockerfile(text);
    const occ = occurrencesOf({ uri: 'file:///x', version: 1, text, syntax, plan: planDockerfile(syntax) });
    assert.deepStrictEqual(findReferences(occ, { line: 1, character: 11 }, true).map((o) => o.range.start.line), [1, 2]);
  });
});
