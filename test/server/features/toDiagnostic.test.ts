// A problem becomes a diagnostic; one kept from the last lint (the same range object) becomes the
// same diagnostic object when nothing it shows changed, so the stdio writer keeps its JSON.
import * as assert from 'assert';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { toDiagnostic } from '../../../server/features/diagnostics';
import type { LintProblem } from '../../../server/rules/lintDocument';

const range = () => ({ start: { line: 4, character: 2 }, end: { line: 4, character: 9 } });
const problem = (changes: Partial<LintProblem> = {}): LintProblem => ({
  code: 'AptPinVersions', range: range(), message: 'Pin versions', severity: 'warning', source: 'layerlens', href: 'https://example.com/DL3008', fixes: [], ...changes,
});

describe('toDiagnostic', () => {
  it('shows the problem: range, severity, code, source, message, link and tag', () => {
    const p = problem({ tag: 'deprecated' });
    assert.deepStrictEqual(toDiagnostic(p), {
      range: p.range, severity: DiagnosticSeverity.Warning, code: 'AptPinVersions', source: 'layerlens', message: 'Pin versions',
      codeDescription: { href: 'https://example.com/DL3008' }, tags: [DiagnosticTag.Deprecated],
    });
    assert.deepStrictEqual(toDiagnostic(problem({ href: undefined })), { range: range(), severity: DiagnosticSeverity.Warning, code: 'AptPinVersions', source: 'layerlens', message: 'Pin versions' });
  });

  it('hands a problem of the same range object over as the same diagnostic while nothing it shows changed', () => {
    const kept = problem();
    const first = toDiagnostic(kept);
    assert.strictEqual(toDiagnostic({ ...kept }), first);
    const changes: Partial<LintProblem>[] = [
      { message: 'other' }, { severity: 'error' }, { code: 'AddInsteadOfCopy' }, { source: 'shellcheck' }, { href: 'https://example.com/other' },
      { href: undefined }, { tag: 'unnecessary' },
    ];
    for (const change of changes) {
      const made = toDiagnostic({ ...kept, ...change });
      assert.notStrictEqual(made, first, JSON.stringify(change));
      assert.deepStrictEqual(made, toDiagnostic({ ...problem(), ...change }), JSON.stringify(change));
    }
    // An equal range that is another object makes another diagnostic.
    assert.notStrictEqual(toDiagnostic(problem()), toDiagnostic(problem()));
  });
});
