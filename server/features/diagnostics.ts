// Diagnostics: the parser's and the planner's located problems, as LSP diagnostics.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { DocumentModel } from '../documentModels';

interface LocatedProblem {
  range: Diagnostic['range'];
  message: string;
  code?: string;
  severity?: 'error' | 'warning' | 'info' | 'hint';
}

const severities = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export function computeDiagnostics(model: DocumentModel): Diagnostic[] {
  const problems: LocatedProblem[] = [...model.syntax.problems, ...model.plan.problems];
  return problems.map((p) => ({
    range: p.range,
    message: p.message,
    code: p.code,
    severity: severities[p.severity ?? 'error'],
    source: 'layerlens',
  }));
}
