// `layerlens preflight [--json]`: can containers (and so builds with RUN) work here? Lists what is
// wrong and how to fix it: not Linux, kernel too old, user namespaces disabled, native helper missing.
// The editor's views show this when the runner cannot work.
import * as os from 'os';
import type { Command } from './command';
import { helperBinary } from '../run/helperBinary';
import { runPreflight } from '../run/preflight';
import { parseCommandArgs } from '../store/storeCli';

/** What `preflight --json` prints. */
export interface PreflightReport {
  ok: boolean;
  platform: string;
  kernel: string;
  /** The native helper in use, or null when it is missing. */
  helper: string | null;
  /** Each a sentence with the fix; any error means containers cannot run. */
  errors: string[];
  warnings: string[];
}

export function preflightReport(env: NodeJS.ProcessEnv = process.env): PreflightReport {
  const { errors, warnings } = runPreflight();
  let helper: string | null = null;
  if (process.platform === 'linux') {
    try {
      helper = helperBinary(env);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  return { ok: errors.length === 0, platform: process.platform, kernel: os.release(), helper, errors, warnings };
}

export const preflightCommand: Command = {
  summary: 'check that containers can run here (--json for tools)',
  async run(args) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, 'layerlens preflight [--json]');
    const report = preflightReport();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const lines = report.ok ? [`ok: containers can run here (Linux ${report.kernel}, helper ${report.helper})`] : report.errors.map((e) => `error: ${e}`);
    process.stdout.write([...lines, ...report.warnings.map((w) => `warning: ${w}`)].map((l) => `${l}\n`).join(''));
    return report.ok ? 0 : 1;
  },
};
