// The outline of a large Dockerfile in a real VS Code: the client talks to the server over stdio,
// where the server keeps each version's outline encoded and splices it into its responses.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateLayerlens, openDockerfile, waitFor } from './helpers';

const STAGES = 31;
const PER_STAGE = 100;

/** 3,100 instructions and more: a large document (compact outline, names and ranges). */
function largeDockerfile(): string {
  const lines = ['ARG BASE=busybox'];
  for (let s = 0; s < STAGES; s++) {
    lines.push(`FROM \${BASE} AS stage-${s}`);
    for (let i = 1; i < PER_STAGE; i++) lines.push(i % 2 ? `RUN echo ${s}.${i} > /tmp/${i}` : `ENV STEP_${i}=${s}`);
  }
  return lines.join('\n') + '\n';
}

function outlineOf(uri: vscode.Uri): Thenable<vscode.DocumentSymbol[] | undefined> {
  return vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
}

describe('the outline of a large Dockerfile (server over stdio)', () => {
  it('lists every stage with its instructions, the same when asked again, and follows an edit', async () => {
    await activateLayerlens();
    const editor = await openDockerfile(largeDockerfile());
    try {
      const uri = editor.document.uri;
      const first = await waitFor('the outline', async () => {
        const found = await outlineOf(uri);
        return found?.length ? found : undefined;
      });
      const stageNames = Array.from({ length: STAGES }, (_, s) => `stage-${s}`);
      assert.deepStrictEqual(first.map((s) => s.name), ['ARG', ...stageNames]);
      assert.deepStrictEqual(first.slice(1).map((s) => s.children.length), stageNames.map(() => PER_STAGE));
      assert.strictEqual(first[3].children[1].name, 'RUN');
      assert.strictEqual(first[3].children[1].range.start.line, 1 + 2 * PER_STAGE + 1);
      const again = await outlineOf(uri);
      assert.deepStrictEqual(again?.map((s) => s.name), first.map((s) => s.name));

      const line = 1 + 5 * PER_STAGE;
      assert.ok(await editor.edit((edit) => edit.replace(new vscode.Range(line, 0, line, editor.document.lineAt(line).text.length), 'FROM ${BASE} AS renamed')));
      const edited = await waitFor('the outline of the edited version', async () => {
        const found = await outlineOf(uri);
        return found?.some((s) => s.name === 'renamed') ? found : undefined;
      });
      assert.deepStrictEqual(edited.map((s) => s.name), ['ARG', ...stageNames.map((n) => (n === 'stage-5' ? 'renamed' : n))]);
      assert.deepStrictEqual(edited[6].selectionRange.start, new vscode.Position(line, 16));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
