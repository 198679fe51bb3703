// A document's view of its build-context reader that remembers every checksum the planner asked
// for and what it answered. When the context changes, asking again tells whether any cache key
// the plan holds is now wrong (re-plan) or only size facts moved (keep the plan, re-predict sizes).
import type { BuildContextReader, ChecksumOptions } from './plan';

export class RecordingContextReader implements BuildContextReader {
  /**
   * Every answer given out per source since the last re-plan: a plan made in turns (or re-plans
   * keeping earlier steps) may have read one source before and after its hash came in, and the
   * steps that read the older answer hold a stale key even though the last answer is current.
   */
  private readonly answers = new Map<string, { source: string; options: ChecksumOptions; given: Set<string | undefined> }>();

  constructor(private readonly reader: BuildContextReader) {}

  checksum(source: string, options: ChecksumOptions): string | undefined {
    const answer = this.reader.checksum(source, options);
    const key = `${source}\u0000${options.parents ? 1 : 0}\u0000${options.excludes.join('\u0000')}`;
    const entry = this.answers.get(key);
    if (entry) entry.given.add(answer);
    else this.answers.set(key, { source, options, given: new Set([answer]) });
    return answer;
  }

  /**
   * Whether some checksum given out earlier would now be different (a plan may hold a stale key).
   * When it is, the caller re-plans from scratch, which asks again: the record starts over.
   */
  answersChanged(): boolean {
    for (const { source, options, given } of this.answers.values()) {
      if (given.size > 1 || !given.has(this.reader.checksum(source, options))) {
        this.answers.clear();
        return true;
      }
    }
    return false;
  }
}
