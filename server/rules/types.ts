// The contract every lint rule follows: what it is (metadata for docs, severity and suppression)
// and how it reports findings, each with an exact range and the quick fixes that are mechanical.
import type { Range } from '../parser/types';

/** Severity names as settings and `docs/rules.md` spell them. */
export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleMeta {
  /** Stable code: BuildKit's check name for BuildKit checks, a PascalCase name of ours otherwise. */
  code: string;
  /** Short title (one line, no trailing period). */
  title: string;
  /** Why it matters, one sentence. */
  explanation: string;
  /** What to do about it, one sentence (the catalogue's "fix" column). */
  fix: string;
  /** Documentation link shown in the diagnostic's hover (codeDescription.href). */
  href: string;
  /** `buildkit`: one of BuildKit's build checks (governed by `# check=`); `layerlens`: ours. */
  origin: 'buildkit' | 'layerlens';
  defaultSeverity: RuleSeverity;
  /** BuildKit experimental checks run only when `# check=experimental=<name>|all` (or a setting) enables them. */
  experimental?: boolean;
  /** hadolint codes this rule stands for (`# hadolint ignore=DL3008` suppresses it). */
  hadolint?: readonly string[];
  /** True when the parser or planner produces the findings (the rule only carries metadata). */
  upstream?: boolean;
  /** Extra LSP tag: deprecated or unnecessary code. */
  tag?: 'deprecated' | 'unnecessary';
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A mechanical fix: applying `edits` removes the finding without changing anything else. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix a user most likely wants (VS Code's "preferred" quick fix). */
  preferred?: boolean;
}

/** One problem found by a rule. */
export interface Finding {
  code: string;
  range: Range;
  message: string;
  /** Quick fixes, or a function computing them when asked (cheap findings stay cheap). */
  fixes?: QuickFix[] | (() => QuickFix[] | undefined);
  /** Index of the instruction the finding belongs to (for per-instruction suppression). */
  instructionIndex?: number;
}
