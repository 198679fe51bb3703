// A task provider (`"type": "layerlens"`) so builds and runs can live in tasks.json.
import * as path from 'path';
import * as vscode from 'vscode';

export interface LayerlensTaskDefinition extends vscode.TaskDefinition {
  type: 'layerlens';
  command: 'build' | 'run';
  /** build: the Dockerfile, relative to the workspace folder. */
  dockerfile?: string;
  /** build: the image tag; run: the image to run. */
  tag?: string;
  image?: string;
  context?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** run: extra arguments after the image (the command). */
  args?: string[];
}

/** The `layerlens` arguments a task definition stands for. */
export function taskArguments(definition: LayerlensTaskDefinition, folder: string): string[] {
  if (definition.command === 'run') {
    const image = definition.image ?? definition.tag;
    if (!image) throw new Error('a layerlens run task needs "image"');
    return ['run', '--rm', image, ...(definition.args ?? [])];
  }
  const dockerfile = path.resolve(folder, definition.dockerfile ?? 'Dockerfile');
  const args = ['build', '--progress=plain', '-f', dockerfile];
  if (definition.tag) args.push('-t', definition.tag);
  if (definition.target) args.push('--target', definition.target);
  for (const [k, v] of Object.entries(definition.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  args.push(path.resolve(folder, definition.context ?? '.'));
  return args;
}

function toTask(definition: LayerlensTaskDefinition, scope: vscode.WorkspaceFolder, cliPath: string): vscode.Task {
  const args = taskArguments(definition, scope.uri.fsPath);
  const name = definition.command === 'build' ? `build ${definition.dockerfile ?? 'Dockerfile'}` : `run ${definition.image ?? definition.tag}`;
  const execution = new vscode.ProcessExecution(process.execPath, [cliPath, ...args], {
    cwd: scope.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  const task = new vscode.Task(definition, scope, name, 'layerlens', execution);
  if (definition.command === 'build') task.group = vscode.TaskGroup.Build;
  return task;
}

export function registerTaskProvider(cliPath: string): vscode.Disposable {
  return vscode.tasks.registerTaskProvider('layerlens', {
    async provideTasks() {
      const files = await vscode.workspace.findFiles('**/{Dockerfile,Containerfile,*.dockerfile,*.Dockerfile}', '**/node_modules/**', 50);
      return files.flatMap((file) => {
        const folder = vscode.workspace.getWorkspaceFolder(file);
        if (!folder) return [];
        const dockerfile = path.relative(folder.uri.fsPath, file.fsPath);
        const tag = `${path.basename(folder.uri.fsPath).toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:latest`;
        return [toTask({ type: 'layerlens', command: 'build', dockerfile, tag, context: path.dirname(dockerfile) }, folder, cliPath)];
      });
    },
    resolveTask(task) {
      const definition = task.definition as LayerlensTaskDefinition;
      const scope = task.scope;
      if (definition.type !== 'layerlens' || !scope || typeof scope === 'number') return undefined;
      return toTask(definition, scope, cliPath);
    },
  });
}
