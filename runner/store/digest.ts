// sha256 digests as OCI writes them (`sha256:<64 hex>`), validated before they ever become paths.
import { createHash, Hash } from 'crypto';
import * as fs from 'fs';

const SHA256 = /^sha256:([0-9a-f]{64})$/;

export class DigestError extends Error {}

/** The hex part of a sha256 digest; throws on anything else (digests from registries are untrusted). */
export function digestHex(digest: string): string {
  const m = SHA256.exec(digest);
  if (!m) throw new DigestError(`unsupported or malformed digest '${digest.slice(0, 100)}' (expected sha256:<64 hex digits>)`);
  return m[1];
}

export function isSha256Digest(digest: string): boolean {
  return SHA256.test(digest);
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A running sha256 with a byte count. */
export class DigestCounter {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  private result?: string;

  update(chunk: Uint8Array): void {
    if (this.result) throw new Error('DigestCounter: update after digest');
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
  }

  /** The final digest (may be asked for again). */
  digest(): string {
    this.result ??= `sha256:${this.hash.digest('hex')}`;
    return this.result;
  }
}

/** Digest of a whole file, streamed. */
export async function digestFile(file: string): Promise<{ digest: string; size: number }> {
  const counter = new DigestCounter();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) counter.update(chunk as Buffer);
  return { digest: counter.digest(), size: counter.bytes };
}
