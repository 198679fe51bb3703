import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { renameEdits, renameTarget } from '../../../server/features/rename';
import { occurrencesOf } from '../../../server/features/occurrences';
import { defaultSettings } from '../../../server/settings';
import { LspClient } from '../lspClient';

const dockerfile = [
  'ARG VERSION=3.19',                                  // 0
  'FROM alpine:${VERSION} AS Builder',                 // 1
  'ARG VERSION',                                       // 2
  'ENV OUT=/out',                                      // 3
  'RUN mkdir -p $OUT && echo ${VERSION} > ${OUT}/v',   // 4
  'FROM builder AS test',                              // 5
  'RUN test -s $OUT/v',                                // 6
  'FROM busybox',                                      // 7
  'COPY --from=BUILDER /out /out',                     // 8
  'COPY --from=0 /out /again',                         // 9
  '',
].join('\n');

let documents = 0;

describe('rename', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null,
      capabilities: { textDocument: { rename: { prepareSupport: true } }, workspace: { workspaceEdit: { documentChanges: true } } },
    });
    await client.connection.sendNotification('initialized', {});
  });
  after(() => client.stop());

  async function open(text: string): Promise<string> {
    const uri = `file:///tmp/rename-${++documents}/Dockerfile`;
    await client.open(uri, text);
    return uri;
  }
  const prepare = (uri: string, line: number, character: number) =>
    client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: { line, character } });
  const rename = (uri: string, line: number, character: number, newName: string) =>
    client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: { line, character }, newName });
  async function renamed(text: string, line: number, character: number, newName: string): Promise<string> {
    const uri = await open(text);
    const edit = await rename(uri, line, character, newName);
    const change = edit.documentChanges?.[0];
    assert.ok(change && 'edits' in change, JSON.stringify(edit));
    assert.deepStrictEqual(change.textDocument, { uri, version: 1 });
    return TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), change.edits as TextEdit[]);
  }
  async function refusal(text: string, line: number, character: number, newName?: string): Promise<string> {
    const uri = await open(text);
    try {
      if (newName === undefined) await prepare(uri, line, character);
      else await rename(uri, line, character, newName);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    assert.fail('the rename was not refused');
  }

  it('declares rename with prepare support', async () => {
    const other = new LspClient();
    try {
      const init = (await other.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { textDocument: { rename: { prepareSupport: true } } } })) as {
        capabilities: { renameProvider?: unknown };
      };
      assert.deepStrictEqual(init.capabilities.renameProvider, { prepareProvider: true });
    } finally {
      await other.stop();
    }
  });

  it('prepares a stage rename with the name as written at the cursor', async () => {
    const uri = await open(dockerfile);
    assert.deepStrictEqual(await prepare(uri, 8, 14), { range: { start: { line: 8, character: 12 }, end: { line: 8, character: 19 } }, placeholder: 'BUILDER' });
  });

  it('renames a stage at its name, FROM <stage> and --from, leaving --from=<index> alone', async () => {
    const after = await renamed(dockerfile, 5, 7, 'compile');
    assert.match(after, /^FROM alpine:\$\{VERSION\} AS compile$/m);
    assert.match(after, /^FROM compile AS test$/m);
    assert.match(after, /^COPY --from=compile \/out \/out$/m);
    assert.match(after, /^COPY --from=0 \/out \/again$/m);
    const plan = planDockerfile(parseDockerfile(after));
    assert.deepStrictEqual(plan.stages.map((s) => s.name), ['compile', 'test', undefined]);
    assert.deepStrictEqual(plan.problems.filter((p) => p.severity === 'error'), []);
  });

  it('renames a global ARG together with its re-declaration and uses in the stage', async () => {
    const after = await renamed(dockerfile, 4, 30, 'ALPINE_VERSION');
    assert.deepStrictEqual(after.split('\n').slice(0, 5), [
      'ARG ALPINE_VERSION=3.19',
      'FROM alpine:${ALPINE_VERSION} AS Builder',
      'ARG ALPINE_VERSION',
      'ENV OUT=/out',
      'RUN mkdir -p $OUT && echo ${ALPINE_VERSION} > ${OUT}/v',
    ]);
  });

  it('renames an ENV in its stage and in the stage built FROM it', async () => {
    const after = await renamed(dockerfile, 3, 5, 'OUTPUT_DIR');
    assert.match(after, /^ENV OUTPUT_DIR=\/out$/m);
    assert.match(after, /^RUN mkdir -p \$OUTPUT_DIR && echo \$\{VERSION\} > \$\{OUTPUT_DIR\}\/v$/m);
    assert.match(after, /^RUN test -s \$OUTPUT_DIR\/v$/m);
  });

  it('answers plain `changes` to a client without versioned edits', async () => {
    const other = new LspClient();
    try {
      await other.initialize();
      const uri = 'file:///tmp/rename-plain/Dockerfile';
      await other.open(uri, 'FROM a AS one\nFROM one\n');
      const edit = await other.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: { line: 1, character: 6 }, newName: 'two' });
      assert.deepStrictEqual(edit.changes?.[uri]?.map((e) => e.range.start), [{ line: 0, character: 10 }, { line: 1, character: 5 }]);
    } finally {
      await other.stop();
    }
  });

  describe('refuses, saying why', () => {
    it('a stage referred to by index', async () => {
      assert.match(await refusal(dockerfile, 9, 12), /by its index/);
    });
    it('an unnamed stage', async () => {
      assert.match(await refusal('FROM a\nFROM b\nCOPY --from=0 / /\n', 2, 12), /stage 0 has no name/);
    });
    it('a stage name that is taken, reserved, invalid, or an image used elsewhere', async () => {
      const text = 'FROM a AS one\nFROM b AS two\nFROM ubuntu\nCOPY --from=nginx /x /x\n';
      assert.match(await refusal(text, 0, 11, 'TWO'), /stage named 'two' already exists \(line 2\)/);
      assert.match(await refusal(text, 0, 11, 'scratch'), /reserved/);
      assert.match(await refusal(text, 0, 11, '1st'), /not a valid stage name/);
      assert.match(await refusal(text, 0, 11, 'ubuntu'), /Line 3 uses the image 'ubuntu'/);
      assert.match(await refusal(text, 0, 11, 'nginx'), /Line 4 uses the image 'nginx'/);
    });
    it('a stage named through a variable', async () => {
      const text = 'ARG BASE=builder\nFROM alpine AS builder\nFROM ${BASE}\n';
      assert.match(await refusal(text, 1, 17), /through a variable/);
    });
    it('an undeclared variable', async () => {
      assert.match(await refusal('FROM a\nRUN echo $HOME\n', 1, 11), /not declared in this Dockerfile/);
    });
    it('a predefined build argument and a variable that programs read', async () => {
      assert.match(await refusal('FROM a\nARG TARGETARCH\nRUN echo $TARGETARCH\n', 2, 12), /BuildKit sets itself/);
      assert.match(await refusal('FROM a\nENV PATH=/x:$PATH\n', 1, 5), /Programs read PATH/);
    });
    it('a variable used inside a quoted heredoc, which is not expanded', async () => {
      const text = "FROM a\nARG NAME=x\nCOPY <<'EOF' /f\n$NAME\nEOF\nRUN echo $NAME\n";
      assert.match(await refusal(text, 5, 10), /line 4 is inside the quoted heredoc <<'EOF'/);
    });
    it('a variable an ONBUILD trigger uses (it runs in another build)', async () => {
      assert.match(await refusal('FROM a\nENV APP=/app\nONBUILD COPY . $APP\n', 1, 5), /ONBUILD trigger/);
    });
    it('an ARG also declared in another stage (one --build-arg sets both)', async () => {
      const text = 'FROM a AS one\nARG MODE=debug\nFROM b AS two\nARG MODE=release\nRUN echo $MODE\n';
      assert.match(await refusal(text, 4, 11), /also declared in 'one' \(line 2\); one --build-arg MODE sets both/);
    });
    it('an invalid new variable name, or one already used in the scope', async () => {
      const text = 'FROM a\nARG A=1\nARG B=2\nRUN echo $A $B $C\n';
      assert.match(await refusal(text, 1, 4, '9lives'), /not a valid variable name/);
      assert.match(await refusal(text, 1, 4, 'B'), /B is already used in stage 0 \(line 3\)/);
      assert.match(await refusal(text, 1, 4, 'C'), /C is already used in stage 0 \(line 4\)/);
      assert.match(await refusal(text, 1, 4, 'HTTP_PROXY'), /BuildKit sets itself/);
    });
    it('an ARG given a value by layerlens.build.args, and the configured target stage', async () => {
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: { build: { args: { MODE: 'fast' }, target: 'final' } } } });
      try {
        assert.match(await refusal('FROM a\nARG MODE\nRUN echo $MODE\n', 2, 11), /layerlens\.build\.args/);
        assert.match(await refusal('FROM a AS final\n', 0, 12), /configured build target/);
      } finally {
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: {} } });
      }
    });
  });

  it('refuses a rename that would make an ENV of a parent stage capture a child stage variable', () => {
    const text = 'FROM a AS base\nENV X=1\nFROM base\nRUN echo $X $Y\n';
    const syntax = parseDockerfile(text);
    const occurrences = occurrencesOf({ uri: 'file:///x', version: 1, text, syntax, plan: planDockerfile(syntax) });
    const target = renameTarget({ uri: 'file:///x', version: 1, text, syntax, plan: planDockerfile(syntax) }, occurrences, { line: 1, character: 4 }, defaultSettings);
    assert.ok(target.ok);
    const result = renameEdits(occurrences, target.symbol, 'Y', defaultSettings);
    assert.ok('reason' in result && /Y is already used in stage 1/.test(result.reason), JSON.stringify(result));
  });
});
