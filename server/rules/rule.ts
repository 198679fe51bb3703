// A lint rule: its metadata and the check that reports findings into the lint context.
import type { LintContext } from './lintContext';
import type { RuleMeta } from './types';

export interface Rule {
  meta: RuleMeta;
  /**
   * `stage`: the rule looks at one stage at a time (plus its FROM ancestors and the global ARGs),
   * iterates `context.checkedStages` and reports only on instructions of those stages, so the
   * engine can reuse its findings for stages an edit did not touch. Default: the whole document.
   */
  scope?: 'stage';
  /**
   * The rule reads predicted sizes (step bytes, wasted bytes). A lint of the sized plan re-runs
   * only such rules and takes every other rule's findings over from the lint of the plan without sizes.
   */
  readsSizes?: true;
  /**
   * The rule's messages or quick-fix titles name line numbers: its findings (if any) are not taken
   * over, moved, to a stage that lines typed above it moved (it runs again there).
   */
  wordsLines?: true;
  /** Absent for rules whose findings come from the parser or planner (metadata only). */
  check?(context: LintContext): void;
  /**
   * The same check in small steps (a `yield` every few thousand instructions), for whole-document
   * rules that read every instruction: a lint in turns runs this one instead of `check`.
   */
  checkInSteps?(context: LintContext): Generator<void, void>;
}

/** Documentation link of a BuildKit check (`StageNameCasing` -> `.../stage-name-casing/`). */
export function buildkitDocs(code: string): string {
  const kebab = code
    .replace(/JSONArgs/, 'JsonArgs')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return `https://docs.docker.com/go/dockerfile/rule/${kebab}/`;
}

/** Documentation link of a hadolint rule. */
export function hadolintDocs(code: string): string {
  return `https://github.com/hadolint/hadolint/wiki/${code}`;
}
