// Extension entry point: starts the language client, registers the views, commands and tasks.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { defaultStoreRoot } from '../runner/store/storeRoot';
import { LayerlensCli } from './cli';
import { ImageBuilder } from './commands/build';
import { registerBuildCommands } from './commands/buildCommands';
import type { CommandContext } from './commands/commandContext';
import { registerContainerCommands } from './commands/containerCommands';
import { registerImageCommands } from './commands/imageCommands';
import { createLanguageClient, updateServerStore } from './languageClient';
import { parsePreflight, runnerProblemDetails, runnerProblemSummary, type PreflightReport } from './runnerStatus';
import { watchStore } from './storeWatcher';
import { registerTaskProvider } from './tasks';
import { CliListView } from './views/cliListView';
import { ImagesView, wasteDecorations } from './views/imagesView';
import { LayerPlanView } from './views/layerPlanView';
import { containerRow, type ContainerEntry } from './views/rows';

/** What the extension exports to other extensions and to its integration tests. */
export interface LayerlensApi {
  client: LanguageClient;
  layerPlan: LayerPlanView;
  images: ImagesView;
  containers: CliListView<ContainerEntry>;
  builder: ImageBuilder;
  /** Runs `layerlens preflight --json` again and updates the views' explanation. */
  checkRunner(): Promise<PreflightReport>;
}

let client: LanguageClient | undefined;

function storeRoot(): string {
  const configured = vscode.workspace.getConfiguration('layerlens').get<string>('store.path');
  return configured || defaultStoreRoot();
}

export async function activate(context: vscode.ExtensionContext): Promise<LayerlensApi> {
  const output = vscode.window.createOutputChannel('Layerlens', { log: true });
  client = createLanguageClient(context, output);
  const cliPath = context.asAbsolutePath('dist/cli.js');
  const cli = new LayerlensCli(cliPath);
  const builder = new ImageBuilder(cli, output);

  const layerPlan = new LayerPlanView(client);
  const images = new ImagesView(cli);
  const containers = new CliListView<ContainerEntry>(cli, ['ps', '-a'], containerRow);
  const refreshViews = async () => { await Promise.all([images.refresh(), containers.refresh()]); };
  const ctx: CommandContext = { cli, output, builder, state: context.workspaceState, refreshViews };
  let storeWatch = watchStore(storeRoot(), () => void refreshViews());

  const imagesTree = vscode.window.createTreeView('layerlens.images', { treeDataProvider: images });
  const containersTree = vscode.window.createTreeView('layerlens.containers', { treeDataProvider: containers });
  let runner: PreflightReport | undefined;
  const checkRunner = async (): Promise<PreflightReport> => {
    const result = await cli.run(['preflight', '--json']).catch((err: Error) => ({ code: 1, stdout: '', stderr: err.message }));
    runner = parsePreflight(result.code, result.stdout, result.stderr);
    const summary = runnerProblemSummary(runner);
    imagesTree.message = summary;
    containersTree.message = summary;
    if (summary) output.warn(`${summary}\n${runnerProblemDetails(runner)}`);
    await vscode.commands.executeCommand('setContext', 'layerlens.runnerUnavailable', !runner.ok);
    return runner;
  };

  context.subscriptions.push(
    output, layerPlan, images, containers, builder, imagesTree, containersTree,
    vscode.commands.registerCommand('layerlens.showRunnerStatus', async () => {
      const report = runner ?? await checkRunner();
      const message = runnerProblemSummary(report) ?? 'The Layerlens runner can build and run containers here.';
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: runnerProblemDetails(report) }, 'Check Again');
      if (choice === 'Check Again') await checkRunner();
    }),
    { dispose: () => storeWatch.dispose() },
    vscode.window.registerTreeDataProvider('layerlens.layerPlan', layerPlan),
    vscode.window.registerFileDecorationProvider(wasteDecorations),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('layerlens.store.path')) return;
      storeWatch.dispose();
      storeWatch = watchStore(storeRoot(), () => void refreshViews());
      void refreshViews();
      if (updateServerStore()) void client?.restart().then(() => layerPlan.refresh());
    }),
    vscode.commands.registerCommand('layerlens.showLayerPlan', () => vscode.commands.executeCommand('layerlens.layerPlan.focus')),
    vscode.commands.registerCommand('layerlens.refreshLayerPlan', () => layerPlan.refresh()),
    vscode.commands.registerCommand('layerlens.refreshImages', () => images.refresh()),
    vscode.commands.registerCommand('layerlens.refreshContainers', () => containers.refresh()),
    vscode.commands.registerCommand('layerlens.restartServer', () => client?.restart()),
    ...registerBuildCommands(ctx),
    ...registerImageCommands(ctx),
    ...registerContainerCommands(ctx, cliPath),
    registerTaskProvider(cliPath),
  );
  await client.start();
  void refreshViews();
  void checkRunner();
  return { client, layerPlan, images, containers, builder, checkRunner };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
