import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BuildOutcome } from '../../client/commands/build';
import { makeBusyboxRootfs, packRootfs } from '../fixtures/busyboxRootfs';
import { activateLayerlens, waitFor } from './helpers';

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
