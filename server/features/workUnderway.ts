// Work the server still has to do in the background, per key (a document URI, or 'inputs' for
// background facts not yet handed to the models): validations scheduled or running, sizes about
// to refine diagnostics. The `layerlens/settled` request waits until none is left.
export class WorkUnderway {
  private readonly open = new Map<string, number>();
  private waiters: (() => void)[] = [];
  /** Grows with every piece of work begun: a wait that saw it unchanged saw no new work start. */
  generation = 0;

  /** Work for `key` begins; the function returned ends it (once, however often it is called). */
  begin(key: string): () => void {
    this.generation++;
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
      this.waiters.splice(0).forEach((w) => w());
    };
  }

  /** Whether no work is open for any of `keys`. */
  isIdle(keys: readonly string[]): boolean {
    return keys.every((key) => !this.open.has(key));
  }

  /** Resolves once no work is open for any of `keys`. */
  async idle(keys: readonly string[]): Promise<void> {
    while (!this.isIdle(keys)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

let shared: WorkUnderway | undefined;

/** The background work of this server process. */
export function sharedWorkUnderway(): WorkUnderway {
  return (shared ??= new WorkUnderway());
}
