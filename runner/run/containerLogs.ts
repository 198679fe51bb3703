// `logs`: the container's output (stdout and stderr, in the order written), and with `follow`
// what it writes next, until it exits.
import * as fs from 'fs';
import type { Writable } from 'stream';
import { ContainerError } from './containerError';
import type { ContainerRecord } from './containerRecord';
import type { ContainerStore } from './containerStore';

function copyFrom(file: string, offset: number, out: Writable): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return offset;
  }
  try {
    const buf = Buffer.alloc(65536);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) return offset;
      out.write(Buffer.from(buf.subarray(0, n)));
      offset += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export async function streamLogs(containers: ContainerStore, record: ContainerRecord, follow: boolean, out: Writable): Promise<void> {
  if (!record.logging) throw new ContainerError(`container ${record.name} runs in the foreground with --rm: its output goes to its terminal, not to a log`, 1);
  const file = containers.paths(record.id).log;
  let offset = copyFrom(file, 0, out);
  if (!follow) return;
  for (;;) {
    const current = containers.load(record.id);
    offset = copyFrom(file, offset, out);
    if (!current || current.state !== 'running') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
