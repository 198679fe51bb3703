// Extension entry point: starts the language client, registers the views and the commands.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LayerlensCli } from './cli';
import { registerRunnerCommands } from './commands/runnerCommands';
import { createLanguageClient } from './languageClient';
import { CliListView } from './views/cliListView';
import { containerRow, imageRow, type ContainerEntry, type ImageEntry } from './views/rows';
import { LayerPlanView } from './views/layerPlanView';

/** What the extension exports to other extensions and to its integration tests. */
export interface LayerlensApi {
  client: LanguageClient;
  layerPlan: LayerPlanView;
  images: CliListView<ImageEntry>;
  containers: CliListView<ContainerEntry>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<LayerlensApi> {
  const output = vscode.window.createOutputChannel('Layerlens', { log: true });
  client = createLanguageClient(context, output);
  const cli = new LayerlensCli(context.asAbsolutePath('dist/cli.js'));

  const layerPlan = new LayerPlanView(client);
  const images = new CliListView<ImageEntry>(cli, ['images'], imageRow);
  const containers = new CliListView<ContainerEntry>(cli, ['ps', '-a'], containerRow);
  const refreshViews = async () => { await Promise.all([images.refresh(), containers.refresh()]); };

  context.subscriptions.push(
    output, layerPlan, images, containers,
    vscode.window.registerTreeDataProvider('layerlens.layerPlan', layerPlan),
    vscode.window.registerTreeDataProvider('layerlens.images', images),
    vscode.window.registerTreeDataProvider('layerlens.containers', containers),
    vscode.commands.registerCommand('layerlens.showLayerPlan', () => vscode.commands.executeCommand('layerlens.layerPlan.focus')),
    vscode.commands.registerCommand('layerlens.refreshLayerPlan', () => layerPlan.refresh()),
    vscode.commands.registerCommand('layerlens.refreshImages', () => images.refresh()),
    vscode.commands.registerCommand('layerlens.refreshContainers', () => containers.refresh()),
    vscode.commands.registerCommand('layerlens.restartServer', () => client?.restart()),
    ...registerRunnerCommands({ cli, output, refreshViews }),
  );
  await client.start();
  void refreshViews();
  return { client, layerPlan, images, containers };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
