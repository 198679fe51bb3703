// Container commands: logs, open shell, stop, kill, restart, remove, inspect.
import * as path from 'path';
import * as vscode from 'vscode';
import { askFor, runWithProgress, showJson, targetOf, type CommandContext } from './commandContext';

export function registerContainerCommands(ctx: CommandContext, cliPath: string): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  const pick = async (arg: unknown, verb: string) => targetOf(arg) ?? askFor(`Container to ${verb}`, 'name or id');
  const simple = (id: string, verb: string, title: string, args: (target: string) => string[]) =>
    reg(id, async (arg?: unknown) => {
      const target = await pick(arg, verb);
      return target ? (await runWithProgress(ctx, `${title} ${target}`, args(target))).ok : false;
    });
  return [
    simple('layerlens.stopContainer', 'stop', 'Stopping', (t) => ['stop', t]),
    simple('layerlens.killContainer', 'kill', 'Killing', (t) => ['kill', t]),
    simple('layerlens.removeContainer', 'remove', 'Removing', (t) => ['rm', '-f', t]),
    reg('layerlens.restartContainer', async (arg?: unknown) => {
      const target = await pick(arg, 'restart');
      if (!target) return false;
      const stopped = await runWithProgress(ctx, `Stopping ${target}`, ['stop', target]);
      return stopped.ok && (await runWithProgress(ctx, `Starting ${target}`, ['start', target])).ok;
    }),
    reg('layerlens.showLogs', async (arg?: unknown) => {
      const target = await pick(arg, 'show the logs of');
      if (!target) return;
      const result = await ctx.cli.run(['logs', target]);
      ctx.output.appendLine(`--- logs of ${target} ---`);
      ctx.output.append(result.stdout + result.stderr);
      ctx.output.show(true);
    }),
    reg('layerlens.inspectContainer', async (arg?: unknown) => {
      const target = await pick(arg, 'inspect');
      if (!target) return;
      const result = await ctx.cli.run(['inspect', target]);
      if (result.code === 0) await showJson(result.stdout);
      else void vscode.window.showErrorMessage(result.stderr.trim());
    }),
    reg('layerlens.openShell', async (arg?: unknown) => {
      const target = await pick(arg, 'open a shell in');
      if (!target) return undefined;
      const terminal = vscode.window.createTerminal({
        name: `Layerlens: ${target}`,
        shellPath: process.execPath,
        shellArgs: [cliPath, 'exec', '-it', target, '/bin/sh'],
        env: { ELECTRON_RUN_AS_NODE: '1' },
        iconPath: new vscode.ThemeIcon('terminal'),
        cwd: path.dirname(cliPath),
      });
      terminal.show();
      return terminal;
    }),
  ];
}
