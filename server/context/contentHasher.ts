// Lazily computed sha256 of context files, cached by (size, mtime, ctime): a request for a file
// whose hash is not known yet starts hashing it in the background and answers undefined.
import { createHash } from 'crypto';
import { createReadStream } from 'fs';

interface CachedHash {
  stamp: string;
  hash: string;
}

export class ContentHasher {
  private readonly cache = new Map<string, CachedHash>();
  private readonly pending = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly onHashed: () => void) {}

  /** The hash of `absPath` at this stamp, or undefined (then it is being computed). */
  hashOf(absPath: string, stamp: string): string | undefined {
    const cached = this.cache.get(absPath);
    if (cached?.stamp === stamp) return cached.hash;
    if (this.pending.get(absPath) !== stamp) {
      this.pending.set(absPath, stamp);
      this.queue = this.queue.then(() => this.hash(absPath, stamp));
    }
    return undefined;
  }

  /** Resolves when every requested hash is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  forget(absPath: string): void {
    this.cache.delete(absPath);
  }

  dispose(): void {
    this.disposed = true;
  }

  private async hash(absPath: string, stamp: string): Promise<void> {
    if (this.disposed || this.pending.get(absPath) !== stamp) return;
    try {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(absPath)) hash.update(chunk as Buffer);
      this.cache.set(absPath, { stamp, hash: hash.digest('hex') });
    } catch {
      this.cache.set(absPath, { stamp, hash: 'unreadable' });
    } finally {
      if (this.pending.get(absPath) === stamp) this.pending.delete(absPath);
    }
    if (this.pending.size === 0 && !this.disposed) this.onHashed();
  }
}
