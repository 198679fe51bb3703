import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BuildOutcome } from '../../client/commands/build';
import { makeBusyboxRootfs, packRootfs } from '../fixtures/busyboxRootfs';
import { activateLayerlens, takeScreenshot, waitFor } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('building and running from the palette (real runner, real VS Code)', function () {
  this.timeout(180000);
  let work: string;
  let store: string;

  before(async function () {
    if (process.platform !== 'linux') this.skip(); // the runner is Linux-only; the editor features are tested everywhere
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-it-'));
    store = path.join(work, 'store');
    const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
    execFileSync(process.execPath, [CLI, 'import', '-c', 'CMD ["/bin/sh"]', tarball, 'busybox:it'], { env: { ...process.env, LAYERLENS_STORE: store } });
    await vscode.workspace.getConfiguration('layerlens').update('store.path', store, vscode.ConfigurationTarget.Global);
  });

  // The store setting stays for the rest of the run (the profile is thrown away afterwards), so the
  // last suite's screenshot shows these images in the Images view.

  function project(name: string, dockerfile: string): { dir: string; file: vscode.Uri } {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    fs.writeFileSync(path.join(dir, 'message.txt'), 'hello from the context\n');
    return { dir, file: vscode.Uri.file(path.join(dir, 'Dockerfile')) };
  }

  it('Build Image puts the image in the Images view, with its layers and the instructions that made them', async () => {
    const api = await activateLayerlens();
    const { dir, file } = project('app', 'FROM busybox:it\nCOPY message.txt /message.txt\nRUN echo built > /built.txt\nCMD ["cat", "/message.txt"]\n');
    const outcome = await vscode.commands.executeCommand<BuildOutcome>('layerlens.buildImage', { dockerfile: file, tag: 'it-app:1', context: dir });
    assert.ok(outcome.ok, `build failed: ${outcome.message}`);
    await api.images.refresh();
    const image = api.images.currentImages.find((i) => i.name === 'docker.io/library/it-app:1');
    assert.ok(image, `it-app:1 is listed: ${JSON.stringify(api.images.currentImages.map((i) => i.name))}`);
    const layers = await api.images.layersOf('docker.io/library/it-app:1');
    assert.strictEqual(layers.length, 3, 'busybox + COPY + RUN');
    assert.match(layers[1].createdBy, /COPY/);
    assert.match(layers[2].createdBy, /echo built/);
    assert.ok(layers.every((l) => l.size > 0));
  });

  it('the Images view flags a layer whose file a later layer deletes, and shows shared vs unique size', async () => {
    const api = await activateLayerlens();
    const { dir, file } = project('waste', 'FROM busybox:it\nRUN dd if=/dev/zero of=/junk bs=1000 count=300\nRUN rm /junk\n');
    const outcome = await vscode.commands.executeCommand<BuildOutcome>('layerlens.buildImage', { dockerfile: file, tag: 'it-waste:1', context: dir });
    assert.ok(outcome.ok, `build failed: ${outcome.message}`);
    await api.images.refresh();
    const image = api.images.currentImages.find((i) => i.name === 'docker.io/library/it-waste:1');
    assert.ok(image?.layerDetails, 'listed with its layers');
    // busybox:it is the base of it-app:1 too: both share it, the rest is their own
    const base = image.layerDetails[0].size;
    assert.strictEqual(image.sharedBytes, base);
    assert.strictEqual(image.uniqueBytes, image.size - base);
    assert.ok(image.efficiency !== null && image.efficiency !== undefined && image.efficiency < 1);
    const roots = await api.images.getChildren();
    const row = roots.find((n) => n.id === 'docker.io/library/it-waste:1')!;
    const rowItem = api.images.getTreeItem(row);
    assert.match(String(rowItem.description), / \(\S+ kB unique\) · [0-9a-f]{12}$/);
    assert.match(String(rowItem.tooltip), /created just now/);
    assert.match(String(rowItem.tooltip), /efficiency \d+\.\d %, 300 kB of layer files deleted or overwritten later/);
    const layers = await api.images.getChildren(row);
    assert.strictEqual(layers.length, 3);
    const ddItem = api.images.getTreeItem(layers[1]);
    assert.match(String(ddItem.description), /· 300 kB wasted$/);
    assert.match(String(ddItem.tooltip), /300 kB of this layer is deleted or overwritten later: \/junk \(300 kB\)/);
    assert.strictEqual((ddItem.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.strictEqual(ddItem.resourceUri?.scheme, 'layerlens-waste');
    assert.doesNotMatch(String(api.images.getTreeItem(layers[2]).description), /wasted/);
    await vscode.commands.executeCommand('layerlens.images.focus');
    await new Promise((r) => setTimeout(r, 1000));
    await takeScreenshot('images-view');
  });

  it('the Layer plan view says why an edited step misses the cache', async () => {
    const api = await activateLayerlens();
    const { file } = project('app', 'FROM busybox:it\nCOPY message.txt /message.txt\nRUN echo built > /built.txt\nCMD ["cat", "/message.txt"]\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const stateOf = async (key: string) => { await api.layerPlan.refresh(); return api.layerPlan.current?.figures[key]; };
    await waitFor('the RUN step cached (the store the views use reaches the server)', async () => ((await stateOf('0:2'))?.cache === 'cached' ? true : undefined));
    await editor.edit((e) => e.replace(new vscode.Range(2, 4, 2, 14), 'echo rebuilt'));
    const run = await waitFor('the edited RUN step to miss', async () => { const f = await stateOf('0:2'); return f?.cache === 'will build' ? f : undefined; });
    assert.deepStrictEqual(run.missReasons, ['the command changed: ["/bin/sh","-c","echo built > /built.txt"] -> ["/bin/sh","-c","echo rebuilt > /built.txt"]']);
    assert.strictEqual((await stateOf('0:1'))?.cache, 'cached');
    const item = api.layerPlan.getTreeItem(api.layerPlan.getChildren(api.layerPlan.getChildren()[0])[2]);
    assert.match(String(item.description), /will build: the command changed/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /Cache miss/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a rebuild with nothing changed reports every step cached', async () => {
    const { dir, file } = project('app', 'FROM busybox:it\nCOPY message.txt /message.txt\nRUN echo built > /built.txt\nCMD ["cat", "/message.txt"]\n');
    const outcome = await vscode.commands.executeCommand<BuildOutcome>('layerlens.buildImage', { dockerfile: file, tag: 'it-app:1', context: dir });
    assert.ok(outcome.ok);
    assert.strictEqual(outcome.cachedSteps, outcome.steps);
  });

  it('Run Image creates a container that appears in the Containers view with its exit code', async () => {
    const api = await activateLayerlens();
    const id = await vscode.commands.executeCommand<string>('layerlens.runImage', { image: 'it-app:1', command: ['sh', '-c', 'cat /message.txt; exit 3'], name: 'it-exit3' });
    assert.ok(id, 'the container started');
    const entry = await waitFor('the container to exit', async () => {
      await api.containers.refresh();
      const found = api.containers.currentEntries.find((c) => c.name === 'it-exit3');
      return found && found.state === 'exited' ? found : undefined;
    }, 30000);
    assert.strictEqual(entry.exitCode, 3);
    const logs = execFileSync(process.execPath, [CLI, 'logs', 'it-exit3'], { env: { ...process.env, LAYERLENS_STORE: store }, encoding: 'utf8' });
    assert.strictEqual(logs, 'hello from the context\n');
  });

  it('Run Image passes environment variables, a read-only volume and a working directory', async () => {
    const api = await activateLayerlens();
    const data = path.join(work, 'data');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'in.txt'), 'from the host\n');
    const id = await vscode.commands.executeCommand<string>('layerlens.runImage', {
      image: 'it-app:1', name: 'it-options', env: ['GREETING=hi'], volumes: [`${data}:/data:ro`], workdir: '/data',
      command: ['sh', '-c', 'echo $GREETING; cat in.txt; pwd; touch /data/x 2>/dev/null || echo read-only'],
    });
    assert.ok(id, 'the container started');
    await waitFor('the container to exit', async () => {
      await api.containers.refresh();
      return api.containers.currentEntries.find((c) => c.name === 'it-options' && c.state === 'exited');
    }, 30000);
    const logs = execFileSync(process.execPath, [CLI, 'logs', 'it-options'], { env: { ...process.env, LAYERLENS_STORE: store }, encoding: 'utf8' });
    assert.strictEqual(logs, 'hi\nfrom the host\n/data\nread-only\n');
  });

  it('a failing RUN becomes a diagnostic on its line, cleared by the next good build', async () => {
    const api = await activateLayerlens();
    const { dir, file } = project('broken', 'FROM busybox:it\nRUN echo fine\nRUN echo about to fail && exit 7\nCMD ["true"]\n');
    const outcome = await vscode.commands.executeCommand<BuildOutcome>('layerlens.buildImage', { dockerfile: file, tag: 'it-broken:1', context: dir });
    assert.strictEqual(outcome.ok, false);
    const diagnostics = api.builder.diagnostics.get(file) ?? [];
    assert.strictEqual(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.strictEqual(diagnostics[0].range.start.line, 2);
    assert.match(diagnostics[0].message, /7/);
    assert.ok(!api.images.currentImages.some((i) => i.name?.includes('it-broken')), 'nothing half-built is tagged');

    fs.writeFileSync(file.fsPath, 'FROM busybox:it\nRUN echo fine\nCMD ["true"]\n');
    const fixed = await vscode.commands.executeCommand<BuildOutcome>('layerlens.buildImage', { dockerfile: file, tag: 'it-broken:1', context: dir });
    assert.ok(fixed.ok);
    assert.strictEqual((api.builder.diagnostics.get(file) ?? []).length, 0);
  });
});
