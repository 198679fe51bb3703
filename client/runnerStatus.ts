// Whether the runner can work here, from `layerlens preflight --json`: when it cannot, the Images and
// Containers views say so at their top (with the first reason) and their welcome content offers
// "Show details"; the `layerlens.runnerUnavailable` context key drives that content.
import type { PreflightReport } from '../runner/commands/preflight';

export type { PreflightReport };

/** The one-line explanation the views show, or undefined when everything is fine. */
export function runnerProblemSummary(report: PreflightReport): string | undefined {
  if (report.ok) return undefined;
  const first = report.errors[0] ?? 'the runner cannot work here';
  const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more problem${report.errors.length > 2 ? 's' : ''})` : '';
  return `Containers cannot run here: ${first}${more}`;
}

/** The full explanation behind "Show details": every problem with its fix, and the warnings. */
export function runnerProblemDetails(report: PreflightReport): string {
  const lines = [
    `Platform ${report.platform}, kernel ${report.kernel}, native helper ${report.helper ?? 'missing'}.`,
    ...report.errors.map((e) => `• ${e}`),
    ...report.warnings.map((w) => `• (warning) ${w}`),
    report.ok ? 'Everything the runner needs is here.' : 'Images can still be listed, inspected, pulled and pushed; building steps that RUN commands and running containers need the problems above fixed.',
  ];
  return lines.join('\n');
}

/** Parses `preflight --json` output; a CLI that cannot even start is a problem of its own. */
export function parsePreflight(code: number, stdout: string, stderr: string): PreflightReport {
  try {
    const report = JSON.parse(stdout) as PreflightReport;
    if (typeof report.ok === 'boolean' && Array.isArray(report.errors)) return report;
  } catch {
    // fall through to the failure report
  }
  const reason = stderr.trim().split('\n').pop() || `layerlens preflight exited with ${code}`;
  return { ok: false, platform: process.platform, kernel: 'unknown', helper: null, errors: [`the bundled CLI failed: ${reason}`], warnings: [] };
}
