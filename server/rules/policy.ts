// Who decides whether and how loudly a finding is shown: workspace settings
// (`layerlens.diagnostics.severity`), BuildKit's `# check=` directive (skip, error, experimental)
// and hadolint-style ignore pragmas. One place, used for rule findings, parser/planner problems
// and shellcheck findings alike.
import type { CheckConfig } from './checkDirective';
import type { Pragmas } from './pragmas';
import { namesOf, ruleMeta } from './registry';
import type { RuleMeta, RuleSeverity } from './types';

export type SeveritySetting = RuleSeverity | 'off';

/** What a policy decides for a code wherever it is found (kept per code: thousands of findings share a few codes). */
interface CodeDecision {
  /** The code and its aliases, for the pragmas of an instruction. */
  names: string[];
  shown: boolean;
  /** Undefined: the caller's fallback. */
  severity?: RuleSeverity;
}

export class SuppressionPolicy {
  private readonly settings = new Map<string, SeveritySetting>();
  private readonly decisions = new Map<string, CodeDecision>();

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
    const decision = this.decisionFor(code);
    if (!decision.shown) return undefined;
    if (instructionIndex !== undefined) {
      const local = this.pragmas.byInstruction.get(instructionIndex);
      if (local && decision.names.some((n) => local.has(n))) return undefined;
    }
    return decision.severity ?? fallback;
  }

  private decisionFor(code: string): CodeDecision {
    let decision = this.decisions.get(code);
    if (!decision) {
      const meta = ruleMeta(code);
      const setting = this.setting(code);
      const names = namesOf(code);
      const shown = setting !== 'off' && (meta ? this.ruleEnabled(meta) : !(this.check.skip.has(code) || names.some((n) => this.pragmas.global.has(n))));
      const severity = setting && setting !== 'off' ? setting : meta?.origin === 'buildkit' && this.check.error ? 'error' : meta?.defaultSeverity;
      this.decisions.set(code, (decision = { names, shown, severity }));
    }
    return decision;
  }
}
