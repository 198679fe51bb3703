// Who decides whether and how loudly a finding is shown: workspace settings
// (`layerlens.diagnostics.severity`), BuildKit's `# check=` directive (skip, error, experimental)
// and hadolint-style ignore pragmas. One place, used for rule findings, parser/planner problems
// and shellcheck findings alike.
import type { CheckConfig } from './checkDirective';
import type { Pragmas } from './pragmas';
import { namesOf, ruleMeta } from './registry';
import type { RuleMeta, RuleSeverity } from './types';

export type SeveritySetting = RuleSeverity | 'off';

export class SuppressionPolicy {
  private readonly settings = new Map<string, SeveritySetting>();

  constructor(private readonly check: CheckConfig, private readonly pragmas: Pragmas, settings: Readonly<Record<string, string>>) {
    for (const [key, value] of Object.entries(settings)) {
      const v = value.toLowerCase();
      const normalized = v === 'info' ? 'information' : v === 'warn' ? 'warning' : v;
      if (['error', 'warning', 'information', 'hint', 'off'].includes(normalized)) this.settings.set(key.toUpperCase(), normalized as SeveritySetting);
    }
  }

  /** The user's setting for a code (by code or alias), if any. */
  setting(code: string): SeveritySetting | undefined {
    for (const name of namesOf(code)) {
      const s = this.settings.get(name.toUpperCase());
      if (s) return s;
    }
    return undefined;
  }

  /** Whether a rule runs at all (cheap pre-check before running its check). */
  ruleEnabled(meta: RuleMeta): boolean {
    const setting = this.setting(meta.code);
    if (setting === 'off') return false;
    if (meta.origin === 'buildkit') {
      if (meta.experimental) return setting !== undefined || this.check.experimentalAll || this.check.experimental.has(meta.code);
      if (this.check.skipAll || this.check.skip.has(meta.code)) return false;
    } else if (this.check.skip.has(meta.code)) {
      return false;
    }
    return !namesOf(meta.code).some((n) => this.pragmas.global.has(n));
  }

  /**
   * The severity to show a finding with, or undefined when it is suppressed. `fallback` is the
   * severity of codes that are not rules (parser errors, shellcheck levels).
   */
  severityOf(code: string, instructionIndex: number | undefined, fallback: RuleSeverity): RuleSeverity | undefined {
    const meta = ruleMeta(code);
    const setting = this.setting(code);
    if (setting === 'off') return undefined;
    const names = namesOf(code);
    if (meta && !this.ruleEnabled(meta)) return undefined;
    if (!meta && (this.check.skip.has(code) || names.some((n) => this.pragmas.global.has(n)))) return undefined;
    if (instructionIndex !== undefined) {
      const local = this.pragmas.byInstruction.get(instructionIndex);
      if (local && names.some((n) => local.has(n))) return undefined;
    }
    if (setting) return setting;
    if (meta?.origin === 'buildkit' && this.check.error) return 'error';
    return meta?.defaultSeverity ?? fallback;
  }
}
