// Runs shellcheck once over many scripts (one temporary file each) and returns its json1
// comments per script, with positions relative to the script (header lines removed).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeScratchDirectory, removeScratchDirectory } from './scratchDirectories';

export type ShellcheckDialect = 'sh' | 'bash' | 'dash' | 'ksh';

export interface ShellcheckScript {
  dialect: ShellcheckDialect;
  /** Variables the environment provides (ENV, ARG): declared so SC2154 does not fire for them. */
  exported: readonly string[];
  text: string;
}

export interface ShellcheckReplacement {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  replacement: string;
}

/** One shellcheck comment; lines 0-based in the script, columns 0-based in code points. */
export interface ShellcheckComment {
  code: number;
  level: 'error' | 'warning' | 'info' | 'style';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: ShellcheckReplacement[];
}

interface Json1Comment {
  file: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
  fix: { replacements: { line: number; endLine: number; column: number; endColumn: number; replacement: string }[] } | null;
}

/** Codes that cannot be right for a RUN body (sourced files are not available here). */
export const EXCLUDED_CODES = ['SC1090', 'SC1091'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function headerOf(script: ShellcheckScript): string[] {
  const lines = [`# shellcheck shell=${script.dialect}`];
  const names = script.exported.filter((n) => IDENTIFIER.test(n));
  if (names.length > 0) lines.push(`export ${names.join(' ')}`);
  return lines;
}

function isLevel(level: string): level is ShellcheckComment['level'] {
  return level === 'error' || level === 'warning' || level === 'info' || level === 'style';
}

/** Runs `binary` over `scripts`; resolves with one comment list per script (in order). */
export async function runShellcheck(binary: string, scripts: readonly ShellcheckScript[], timeoutMs = 30000): Promise<ShellcheckComment[][]> {
  const dir = await makeScratchDirectory();
  try {
    const headers = scripts.map(headerOf);
    const files = await Promise.all(scripts.map(async (s, i) => {
      const file = path.join(dir, `${i}.sh`);
      await fs.promises.writeFile(file, `${headers[i].join('\n')}\n${s.text}`);
      return file;
    }));
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(binary, ['--norc', '-f', 'json1', '-e', EXCLUDED_CODES.join(','), ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (d: Buffer) => chunks.push(d));
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('error', (err) => { clearTimeout(timer); reject(err); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (signal) reject(new Error(`shellcheck stopped by ${signal}`));
        else if (code !== 0 && code !== 1) reject(new Error(`shellcheck exited with ${code}: ${stderr.trim().slice(0, 500)}`));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    const out: ShellcheckComment[][] = scripts.map(() => []);
    const index = new Map(files.map((f, i) => [f, i]));
    const parsed = JSON.parse(stdout || '{"comments":[]}') as { comments?: Json1Comment[] };
    for (const c of parsed.comments ?? []) {
      const i = index.get(c.file);
      if (i === undefined || !isLevel(c.level)) continue;
      const skip = headers[i].length;
      if (c.line <= skip) continue;
      const shift = (line: number) => line - skip - 1;
      out[i].push({
        code: c.code,
        level: c.level,
        message: c.message,
        line: shift(c.line),
        column: c.column - 1,
        endLine: shift(c.endLine),
        endColumn: c.endColumn - 1,
        fix: c.fix?.replacements.every((r) => r.line > skip)
          ? c.fix.replacements.map((r) => ({ line: shift(r.line), column: r.column - 1, endLine: shift(r.endLine), endColumn: r.endColumn - 1, replacement: r.replacement }))
          : undefined,
      });
    }
    return out;
  } finally {
    await removeScratchDirectory(dir);
  }
}
