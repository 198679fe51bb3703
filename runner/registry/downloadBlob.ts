// Downloads one blob into the store's staging area, verifying size and digest while streaming and
// resuming with HTTP Range: after a dropped connection (a few retries) and after the process was
// killed (the next pull claims the partial file the dead process left, `<pid>-<rand>-<hex>.partial`).
import * as fs from 'fs';
import * as path from 'path';
import { processIsAlive, tempOwnerPid } from '../store/atomicFile';
import { DigestCounter, digestHex } from '../store/digest';
import type { ImageStore, StagedBlob } from '../store/imageStore';
import { Descriptor } from '../store/ociTypes';
import { discard } from './httpRequest';
import { pullScope, RegistryClient, RegistryError } from './registryClient';

const RETRIES = 4;

export interface DownloadProgress {
  digest: string;
  received: number;
  total: number;
  resumedFrom: number;
}

/** Takes over a partial download of `hex` left by a process that no longer runs. */
function claimPartial(store: ImageStore, hex: string): string | undefined {
  const suffix = `-${hex}.partial`;
  for (const name of fs.readdirSync(store.tmpDir)) {
    if (!name.endsWith(suffix)) continue;
    const pid = tempOwnerPid(name);
    if (pid === undefined || processIsAlive(pid)) continue;
    const mine = store.tempPath(`${hex}.partial`);
    try {
      fs.renameSync(path.join(store.tmpDir, name), mine);
      return mine;
    } catch {
      /* another process claimed it first */
    }
  }
  return undefined;
}

async function hashExisting(file: string, counter: DigestCounter): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) counter.update(chunk as Buffer);
}

export async function downloadBlob(
  client: RegistryClient,
  store: ImageStore,
  repository: string,
  blob: Descriptor,
  onProgress?: (p: DownloadProgress) => void,
): Promise<StagedBlob> {
  const hex = digestHex(blob.digest);
  const partial = claimPartial(store, hex) ?? store.tempPath(`${hex}.partial`);
  let counter = new DigestCounter();
  if (fs.existsSync(partial)) await hashExisting(partial, counter);
  if (counter.bytes > blob.size) {
    fs.truncateSync(partial, 0);
    counter = new DigestCounter();
  }
  const resumedFrom = counter.bytes;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt <= RETRIES && counter.bytes < blob.size; attempt++) {
    const offset = counter.bytes;
    try {
      const res = await client.request('GET', `/v2/${repository}/blobs/${blob.digest}`, {
        scope: pullScope(repository),
        headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      });
      let append = false;
      if (res.status === 206) {
        const range = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
        append = offset > 0 && range !== null && Number(range[1]) === offset;
        if (!append) {
          discard(res);
          counter = new DigestCounter();
          fs.truncateSync(partial, 0);
          continue;
        }
      } else if (res.status === 200) {
        counter = new DigestCounter(); // the whole blob (the server ignored or was not sent a Range)
      } else {
        throw await client.failure(res, `downloading blob ${blob.digest}`);
      }
      const fh = await fs.promises.open(partial, append ? 'a' : 'w', 0o644);
      try {
        for await (const chunk of res.body) {
          const buf = chunk as Buffer;
          if (counter.bytes + buf.length > blob.size) {
            res.body.destroy();
            await fh.close();
            fs.rmSync(partial, { force: true });
            throw new RegistryError(`blob ${blob.digest} is larger than the ${blob.size} bytes its descriptor says`);
          }
          await fh.write(buf);
          counter.update(buf);
          onProgress?.({ digest: blob.digest, received: counter.bytes, total: blob.size, resumedFrom });
        }
        await fh.sync();
      } finally {
        await fh.close().catch(() => undefined);
      }
    } catch (err) {
      if (err instanceof RegistryError && err.status !== undefined && err.status < 500) throw err;
      if (err instanceof RegistryError && /larger than/.test(err.message)) throw err;
      lastError = err as Error;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
  if (counter.bytes !== blob.size) {
    throw new RegistryError(`downloading blob ${blob.digest}: got ${counter.bytes} of ${blob.size} bytes${lastError ? `: ${lastError.message}` : ''}`);
  }
  const digest = counter.digest();
  if (digest !== blob.digest) {
    fs.rmSync(partial, { force: true });
    throw new RegistryError(`blob ${blob.digest} from ${client.domain}/${repository} has content ${digest}: refused`);
  }
  if (!fs.existsSync(partial)) fs.writeFileSync(partial, ''); // an empty blob
  const staged = store.tempPath('blob');
  fs.renameSync(partial, staged);
  return { digest, size: counter.bytes, stagedPath: staged };
}
