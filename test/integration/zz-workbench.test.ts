// Runs last (files run in name order): leaves the workbench showing the example project, which the
// harness photographs when the suite ends (test-artifacts/workbench.png).
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateLayerlens, takeScreenshot, waitFor } from './helpers';

describe('the example workspace', () => {
  it('shows the example Dockerfile with its two stages in the Layer plan view', async () => {
    const api = await activateLayerlens();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'Dockerfile')));
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('layerlens.showLayerPlan');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    const plan = await waitFor('the example plan', async () => {
      await api.layerPlan.refresh();
      const current = api.layerPlan.current;
      return current?.uri === document.uri.toString() && current.plan.stages.length === 2 ? current : undefined;
    });
    assert.deepStrictEqual(plan.plan.stages.map((s) => s.name), ['build', undefined]);
    const roots = api.layerPlan.getChildren();
    assert.strictEqual(roots.length, 2);
    const finalSteps = api.layerPlan.getChildren(roots[1]).map((n) => api.layerPlan.getTreeItem(n).label);
    assert.ok(finalSteps.some((label) => typeof label === 'string' && label.startsWith('COPY --from=build')), JSON.stringify(finalSteps));
    // The build stage's COPY of app/ is predicted exactly from the workspace (the build context);
    // busybox:latest is not in this store, so the image total is a lower bound.
    const copy = await waitFor('a predicted size for COPY app/', async () => {
      await api.layerPlan.refresh();
      const item = api.layerPlan.getChildren(api.layerPlan.getChildren()[0]).map((n) => api.layerPlan.getTreeItem(n))
        .find((i) => i.label === 'COPY app/ ./');
      return item && /kB/.test(String(item.description)) ? item : undefined;
    });
    assert.match(String(copy.description), /^layer · 4\.61 kB · Σ ≥ \S+ kB · will build: it builds on line 6 \(WORKDIR \/src\), which misses the cache$/);
    await vscode.commands.executeCommand('layerlens.refreshImages');
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((r) => setTimeout(r, 1500)); // let the views render
    await takeScreenshot('workbench');
  });
});
