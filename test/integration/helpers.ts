// Shared helpers for integration tests that run inside the VS Code extension host.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LayerlensApi } from '../../client/extension';

export const EXTENSION_ID = 'layerlens.layerlens';

export async function activateLayerlens(): Promise<LayerlensApi> {
  const extension = vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function openDockerfile(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content });
  return vscode.window.showTextDocument(document);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/**
 * Asks the harness for a screenshot of the live workbench (saved as NAME.png with the test artifacts).
 * Returns false where no harness listens (e.g. under @vscode/test-electron).
 */
export async function takeScreenshot(name: string, ms = 15000): Promise<boolean> {
  const dir = process.env.LAYERLENS_SCREENSHOT_DIR;
  if (!dir) return false;
  fs.writeFileSync(path.join(dir, `${name}.request`), '');
  const done = path.join(dir, `${name}.done`);
  const deadline = Date.now() + ms;
  while (!fs.existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`the harness took no screenshot ${name} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
