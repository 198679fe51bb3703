// What every command needs, in one place, plus small shared helpers for asking and running.
import * as vscode from 'vscode';
import type { LayerlensCli } from '../cli';
import type { ImageBuilder } from './build';

export interface CommandContext {
  cli: LayerlensCli;
  output: vscode.OutputChannel;
  builder: ImageBuilder;
  state: vscode.Memento;
  refreshViews(): Promise<void>;
}

/** Runs `layerlens ARGS` under a cancellable progress notification, streaming output to the channel. */
export async function runWithProgress(ctx: CommandContext, title: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  ctx.output.appendLine(`$ layerlens ${args.join(' ')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => ctx.cli.run(args, {
      token,
      onLine: (line) => { ctx.output.appendLine(line); if (line.trim()) progress.report({ message: line.trim().slice(0, 80) }); },
    }),
  );
  await ctx.refreshViews();
  if (result.code !== 0) {
    ctx.output.show(true);
    const reason = result.stderr.trim().split('\n').pop() ?? `exit code ${result.code}`;
    void vscode.window.showErrorMessage(`${title} failed: ${reason}`);
  }
  return { ok: result.code === 0, stdout: result.stdout };
}

export async function askFor(prompt: string, placeHolder: string, value?: string): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({ prompt, placeHolder, value, ignoreFocusOut: true });
  return answer?.trim() || undefined;
}

/** The id a view row passes to a context-menu command, or a string passed programmatically. */
export function targetOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string') return arg.id;
  return undefined;
}

/** Opens JSON in a read-only-looking untitled editor. */
export async function showJson(text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: text });
  await vscode.window.showTextDocument(document, { preview: true });
}
