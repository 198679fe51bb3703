// A document's view of its build-context reader that remembers every checksum the planner asked
// for and what it answered. When the context changes, asking again tells whether any cache key
// the plan holds is now wrong (re-plan) or only size facts moved (keep the plan, re-predict sizes).
import type { BuildContextReader, ChecksumOptions } from './plan';

export class RecordingContextReader implements BuildContextReader {
  private readonly answers = new Map<string, { source: string; options: ChecksumOptions; answer: string | undefined }>();

  constructor(private readonly reader: BuildContextReader) {}

  checksum(source: string, options: ChecksumOptions): string | undefined {
    const answer = this.reader.checksum(source, options);
    this.answers.set(`${source}\u0000${options.parents ? 1 : 0}\u0000${options.excludes.join('\u0000')}`, { source, options, answer });
    return answer;
  }

  /** Whether some checksum given out earlier would now be different (a plan may hold a stale key). */
  answersChanged(): boolean {
    for (const { source, options, answer } of this.answers.values()) {
      if (this.reader.checksum(source, options) !== answer) return true;
    }
    return false;
  }
}
