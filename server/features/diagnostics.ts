// Diagnostics: the parser's and the planner's located problems, pushed after a short debounce.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { DocumentModel } from '../documentModels';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';

const DEBOUNCE_MS = 80;

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

export const diagnosticsFeature: Feature = {
  name: 'diagnostics',
  capabilities: () => ({}),
  register({ connection, documents, models }) {
    const pending = new Map<string, NodeJS.Timeout>();
    const validate = (uri: string) => {
      pending.delete(uri);
      const document = documents.get(uri);
      if (!document) return;
      const diagnostics = runSafely(connection, 'diagnostics', [], undefined, () => computeDiagnostics(models.get(document)));
      if (Array.isArray(diagnostics)) void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    };
    documents.onDidChangeContent(({ document }) => {
      clearTimeout(pending.get(document.uri));
      pending.set(document.uri, setTimeout(() => validate(document.uri), DEBOUNCE_MS));
    });
    documents.onDidClose(({ document }) => {
      clearTimeout(pending.get(document.uri));
      pending.delete(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    });
  },
};
