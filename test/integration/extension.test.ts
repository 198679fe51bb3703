import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateLayerlens, hoverText, openDockerfile, waitFor } from './helpers';

describe('the extension in a real VS Code', () => {
  it('activates when a Dockerfile from the workspace is opened, with the dockerfile language', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the examples workspace is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'Dockerfile')));
    await vscode.window.showTextDocument(document);
    assert.strictEqual(document.languageId, 'dockerfile');
    const api = await activateLayerlens();
    assert.ok(api.client.isRunning(), 'the language client is running');
  });

  it('recognises Containerfile and *.dockerfile names as Dockerfiles', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    for (const name of ['Containerfile', 'web.dockerfile']) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'variants', name)));
      assert.strictEqual(document.languageId, 'dockerfile', name);
    }
  });

  it('registers every command the manifest declares', async () => {
    await activateLayerlens();
    const registered = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension('layerlens.layerlens')!.packageJSON as { contributes: { commands: { command: string }[] } };
    const missing = manifest.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, []);
  });

  it('shows the three views in the Layerlens container', async () => {
    await activateLayerlens();
    for (const view of ['layerlens.layerPlan', 'layerlens.images', 'layerlens.containers']) {
      await vscode.commands.executeCommand(`${view}.focus`);
    }
  });

  it('publishes the server diagnostics for a line BuildKit rejects', async () => {
    await activateLayerlens();
    const editor = await openDockerfile('FROM busybox\nFORM busybox\nRUN true\n');
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(editor.document.uri);
      return found.length > 0 ? found : undefined;
    });
    const unknown = diagnostics.find((d) => /FORM/i.test(d.message));
    assert.ok(unknown, `a diagnostic names FORM: ${JSON.stringify(diagnostics.map((d) => d.message))}`);
    assert.strictEqual(unknown.range.start.line, 1);
    assert.strictEqual(unknown.source, 'layerlens');
  });

  it('answers hover with the server documentation and the step it makes', async () => {
    await activateLayerlens();
    const editor = await openDockerfile('FROM busybox\nRUN echo hello > /greeting\n');
    const hovers = await waitFor('hover', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(1, 1));
      return found.length > 0 ? found : undefined;
    });
    const text = hoverText(hovers);
    assert.match(text, /\*\*RUN\*\*/);
    assert.match(text, /creates a filesystem layer/);
  });

  it('shows the open Dockerfile in the layer plan view', async () => {
    const api = await activateLayerlens();
    await openDockerfile('FROM busybox AS base\nRUN echo one\n\nFROM base\nCOPY --from=base /bin/sh /sh\nCMD ["/sh"]\n');
    const plan = await waitFor('a plan with two stages', async () => {
      await api.layerPlan.refresh();
      const current = api.layerPlan.current;
      return current && current.plan.stages.length === 2 ? current : undefined;
    });
    const stageNames = plan.plan.stages.map((s) => s.name);
    assert.deepStrictEqual(stageNames.slice(0, 1), ['base']);
    const steps = plan.plan.stages.flatMap((s) => s.steps);
    assert.ok(steps.some((s) => s.createsLayer), 'RUN and COPY make layers');
    assert.ok(steps.some((s) => !s.createsLayer), 'CMD is metadata');
  });
});
