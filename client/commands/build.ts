// Build Image: runs `layerlens build --progress=json`, shows the current step in a cancellable
// notification, streams output to the channel and turns a failed step into a diagnostic on its line.
import * as path from 'path';
import * as vscode from 'vscode';
import type { BuildEvent } from '../../runner/build/events';
import type { LayerlensCli } from '../cli';

export interface BuildRequest {
  dockerfile: vscode.Uri;
  tag: string;
  context: string;
  target?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
}

export interface BuildOutcome {
  ok: boolean;
  imageId?: string;
  tags: string[];
  message?: string;
  cachedSteps?: number;
  steps?: number;
}

export class ImageBuilder implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('layerlens-build');

  constructor(private readonly cli: LayerlensCli, private readonly output: vscode.OutputChannel) {}

  async build(request: BuildRequest): Promise<BuildOutcome> {
    this.diagnostics.delete(request.dockerfile);
    const args = ['build', '--progress=json', '-f', request.dockerfile.fsPath, '-t', request.tag];
    if (request.target) args.push('--target', request.target);
    for (const [key, value] of Object.entries(request.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
    if (request.noCache) args.push('--no-cache');
    args.push(request.context);
    this.output.appendLine(`$ layerlens ${args.join(' ')}`);
    const outcome: BuildOutcome = { ok: false, tags: [] };
    const problems: vscode.Diagnostic[] = [];
    let totalSteps = 0;
    let doneSteps = 0;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Building ${request.tag}`, cancellable: true },
      (progress, token) => this.cli.run(args, {
        token, cwd: request.context,
        onLine: (line) => {
          const event = parseEvent(line);
          if (!event) { if (line.trim()) this.output.appendLine(line); return; }
          switch (event.type) {
            case 'build-started':
              totalSteps = event.stages.reduce((n, s) => n + s.steps, 0);
              break;
            case 'step-started':
              progress.report({ message: `${doneSteps + 1}/${totalSteps} ${event.display}`.slice(0, 100) });
              this.output.appendLine(`#${event.stage}.${event.step} ${event.display}`);
              break;
            case 'step-output':
              this.output.appendLine(`#${event.stage}.${event.step} ${event.line}`);
              break;
            case 'step-finished':
              doneSteps++;
              progress.report({ increment: totalSteps ? 100 / totalSteps : 0 });
              this.output.appendLine(`#${event.stage}.${event.step} ${event.cached ? 'CACHED' : `done in ${(event.durationMs / 1000).toFixed(2)} s`}`);
              break;
            case 'step-failed': {
              const tail = event.lastLines.length ? `\n${event.lastLines.join('\n')}` : '';
              const diagnostic = new vscode.Diagnostic(toRange(event.range), `${event.message}${tail}`, vscode.DiagnosticSeverity.Error);
              diagnostic.source = 'layerlens build';
              problems.push(diagnostic);
              this.output.appendLine(`#${event.stage}.${event.step} ERROR ${event.message}`);
              break;
            }
            case 'warning':
              this.output.appendLine(`WARNING ${event.message}`);
              break;
            case 'build-finished':
              Object.assign(outcome, { ok: true, imageId: event.imageId, tags: event.tags, steps: event.steps, cachedSteps: event.cachedSteps });
              this.output.appendLine(`built ${event.tags.join(', ')} (${event.imageId}) in ${(event.durationMs / 1000).toFixed(2)} s, ${event.cachedSteps}/${event.steps} steps cached`);
              break;
            case 'build-failed':
              outcome.message = event.message;
              if (event.range && problems.length === 0) {
                const diagnostic = new vscode.Diagnostic(toRange(event.range), event.message, vscode.DiagnosticSeverity.Error);
                diagnostic.source = 'layerlens build';
                problems.push(diagnostic);
              }
              this.output.appendLine(`build failed: ${event.message}`);
              break;
            default:
              break;
          }
        },
      }),
    );
    this.diagnostics.set(request.dockerfile, problems);
    if (result.code !== 0 && !outcome.message) outcome.message = result.stderr.trim().split('\n').pop() || `exit code ${result.code}`;
    if (!outcome.ok) {
      this.output.show(true);
      void vscode.window.showErrorMessage(`Build of ${request.tag} failed: ${outcome.message ?? 'see the Layerlens output'}`);
    }
    return outcome;
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

function parseEvent(line: string): BuildEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as BuildEvent;
    return typeof value.type === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The build context: the Dockerfile's workspace folder, else its directory. */
export function defaultContextFor(dockerfile: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(dockerfile)?.uri.fsPath ?? path.dirname(dockerfile.fsPath);
}
