// Builds tarballs entry by entry for layer tests (including hostile ones tar(1) would not write).
import * as tar from 'tar-stream';

export type TarEntry = Partial<tar.Header> & { name: string; content?: string | Buffer; pax?: Record<string, string> };

export async function buildTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  for (const { content, ...header } of entries) {
    const isFile = header.type === undefined || header.type === 'file';
    const body = content === undefined ? (isFile ? Buffer.alloc(0) : undefined) : Buffer.isBuffer(content) ? content : Buffer.from(content);
    await new Promise<void>((resolve, reject) => {
      const h = { mode: header.type === 'directory' ? 0o755 : 0o644, mtime: new Date(1_700_000_000_000), ...header };
      if (body) pack.entry({ ...h, size: body.length }, body, (err) => (err ? reject(err) : resolve()));
      else pack.entry(h, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A raw 512-byte ustar header with a correct checksum (for headers tar-stream would not write). */
export function rawHeader(name: string, typeflag: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14500000000\0', 136);
  h.write(typeflag, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}
