// A build failure the user can act on: what went wrong, where in the Dockerfile, and for a failed
// RUN its exit code and last output lines.
import type { Range } from '../../server/parser/types';
import type { StepRef } from './events';

export interface BuildErrorDetail {
  range?: Range;
  step?: StepRef;
  exitCode?: number;
  lastLines?: string[];
}

export class BuildError extends Error {
  constructor(message: string, readonly detail: BuildErrorDetail = {}) {
    super(message);
  }

  /** The same error located at a step (kept when it already has a place). */
  at(step: StepRef, range: Range): BuildError {
    return new BuildError(this.message, { ...this.detail, step: this.detail.step ?? step, range: this.detail.range ?? range });
  }
}

/** The build was stopped (Ctrl-C, or the caller's AbortSignal). */
export class BuildCancelledError extends BuildError {
  constructor() {
    super('the build was cancelled');
  }
}
