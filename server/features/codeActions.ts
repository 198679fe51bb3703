// Quick fixes: the mechanical fixes rules attach to their findings (casing, JSON form, missing
// options, cleanup, ADD -> COPY, pin to digest, shellcheck's own fixes), plus suppressions:
// an ignore comment above the instruction, or a file-wide `# check=skip=` / global ignore; and
// "pin to digest" on any FROM whose image digest is known.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import { isLargeDocument, planMade, type DocumentModel } from '../documentModels';
import type { DirectiveNode } from '../parser/types';
import { ContentModifiedError, runSafelyInTurns, stillCurrent } from '../requestRunner';
import type { DocumentLint } from '../rules/documentLinter';
import type { LintProblem } from '../rules/lintDocument';
import { ruleMeta } from '../rules/registry';
import type { TextEdit } from '../rules/types';
import { documentLinter, linterSettings, toDiagnostic } from './diagnostics';
import type { Feature } from './feature';

function intersects(a: Range, b: Range): boolean {
  const le = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return le(a.start, b.end) && le(b.start, a.end);
}

function sameDiagnostic(d: Diagnostic, p: LintProblem): boolean {
  return d.code === p.code && d.range.start.line === p.range.start.line && d.range.start.character === p.range.start.character
    && d.range.end.line === p.range.end.line && d.range.end.character === p.range.end.character;
}

/** How a finding is suppressed for one instruction: the pragma tool and the code it knows it by. */
export function suppressionCode(code: string): { tool: 'hadolint' | 'layerlens'; code: string } {
  if (/^SC\d+$/.test(code)) return { tool: 'hadolint', code };
  const aliases = ruleMeta(code)?.hadolint ?? [];
  return aliases.length === 1 ? { tool: 'hadolint', code: aliases[0] } : { tool: 'layerlens', code };
}

function ignoreAboveInstruction(model: DocumentModel, lint: DocumentLint, problem: LintProblem): TextEdit | undefined {
  const index = problem.instructionIndex;
  if (index === undefined) return undefined;
  const instruction = model.syntax.instructions[index];
  if (!instruction) return undefined;
  const { tool, code } = suppressionCode(problem.code);
  const existing = lint.run.context.pragmas.ignoreComment.get(index);
  if (existing && existing.tool === tool && existing.comment.range.start.line === instruction.range.start.line - 1) {
    return { range: existing.comment.range, newText: `# ${tool} ignore=${[...existing.codes, code].join(',')}` };
  }
  const line = instruction.range.start.line;
  const indent = ' '.repeat(instruction.keyword.range.start.line === line ? instruction.keyword.range.start.character : 0);
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# ${tool} ignore=${code}\n` };
}

/** Adds `code` to `# check=skip=...` (creating the directive at the top when there is none). */
export function checkSkipEdit(directives: readonly DirectiveNode[], code: string): TextEdit | undefined {
  const check = directives.find((d) => d.name === 'check');
  if (!check) return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# check=skip=${code}\n` };
  const parts = check.value.split(';');
  const k = parts.findIndex((p) => p.trim().startsWith('skip='));
  if (k >= 0) {
    const current = parts[k].trim().slice('skip='.length).trim();
    if (current === 'all') return undefined;
    parts[k] = `skip=${current ? `${current},` : ''}${code}`;
  } else {
    if (parts.length >= 3) return undefined;
    parts.unshift(`skip=${code}`);
  }
  return { range: check.valueRange, newText: parts.join(';') };
}

function globalIgnoreEdit(model: DocumentModel, problem: LintProblem): { title: string; edit: TextEdit } | undefined {
  const meta = ruleMeta(problem.code);
  if (meta?.origin === 'buildkit') {
    const edit = checkSkipEdit(model.syntax.directives, problem.code);
    return edit ? { title: `Skip ${problem.code} in this file (# check=skip)`, edit } : undefined;
  }
  const { tool, code } = suppressionCode(problem.code);
  // After the parser directives (anything before them would turn them into plain comments).
  const line = model.syntax.directives.reduce((max, d) => Math.max(max, d.range.end.line + 1), 0);
  return {
    title: `Ignore ${code} in this file`,
    edit: { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `# ${tool} global ignore=${code}\n` },
  };
}

/** "Pin to digest" for FROM lines in `range` whose image digest is known (plan or local store). */
function pinActions(model: DocumentModel, lint: DocumentLint, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const ctx = lint.run.context;
  for (const stage of ctx.stages) {
    const word = stage.from.image;
    if (!word || !intersects(stage.from.range, range) || word.value.includes('$') || word.value.includes('@')) continue;
    const base = stage.plan?.base;
    if (base && base.kind !== 'image') continue;
    const digest = (base?.kind === 'image' ? base.digest : undefined) ?? ctx.options.images?.find(word.value)?.digest;
    if (!digest) continue;
    actions.push({
      title: `Pin ${word.value} to digest ${digest.slice(0, 19)}…`,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [model.uri]: [{ range: word.range, newText: `${word.value}@${digest}` }] } },
    });
  }
  return actions;
}

/** Code actions for the problems of `lint` that touch `range` (or match `only` diagnostics). */
export function computeCodeActions(model: DocumentModel, lint: DocumentLint, range: Range, diagnostics: readonly Diagnostic[] = []): CodeAction[] {
  const actions: CodeAction[] = [];
  const edit = (edits: TextEdit[]) => ({ changes: { [model.uri]: edits } });
  for (const problem of lint.problems) {
    const matched = diagnostics.find((d) => sameDiagnostic(d, problem));
    if (!matched && !intersects(problem.range, range)) continue;
    const diagnostic = matched ?? toDiagnostic(problem);
    for (const fix of problem.fixes) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit: edit(fix.edits) });
    }
    const suppressible = ruleMeta(problem.code) !== undefined || problem.source === 'shellcheck';
    if (!suppressible) continue;
    const local = ignoreAboveInstruction(model, lint, problem);
    if (local) {
      const { tool, code } = suppressionCode(problem.code);
      actions.push({ title: `Ignore ${code} for this instruction (# ${tool} ignore)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([local]) });
    }
    const global = globalIgnoreEdit(model, problem);
    if (global) actions.push({ title: global.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([global.edit]) });
  }
  const pinned = new Set(actions.flatMap((a) => a.edit?.changes?.[model.uri] ?? []).map((e) => e.newText));
  for (const pin of pinActions(model, lint, range)) if (!pin.edit?.changes?.[model.uri]?.some((e) => pinned.has(e.newText))) actions.push(pin);
  return actions;
}

export const codeActionsFeature: Feature = {
  name: 'code actions',
  capabilities: () => ({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] } }),
  register({ connection, documents, models, settings }) {
    const linter = documentLinter(connection);
    // Editors ask on every cursor move: on a large document the plan and the lint are made in turns
    // (other requests are answered meanwhile), ContentModified if the document changes first.
    connection.onCodeAction((params, token) => runSafelyInTurns(connection, 'code actions', [], token, async () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const model = models.get(document);
      const lintSettings = linterSettings(settings());
      if (!isLargeDocument(model)) return computeCodeActions(model, linter.lint(model, lintSettings), params.range, params.context.diagnostics);
      const current = stillCurrent(documents, document, token);
      const lint = (await planMade(model, current)) && current() ? await linter.lintInTurns(model, lintSettings, current) : undefined;
      if (!lint) throw new ContentModifiedError();
      return computeCodeActions(model, lint, params.range, params.context.diagnostics);
    }));
  },
};
