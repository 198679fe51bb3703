// Container records under `<store>/containers/<id>/`: container.json (written atomically), the
// overlay's upper/ and work/, the rootfs/ mount point, /etc files, the helper's status file and
// container.log. Lookups accept a full id, a name, or a unique id prefix, as Docker does.
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';
import { parseStatusFile, type ContainerRecord } from './containerRecord';
import { isSameProcess } from './processStartTime';

export interface ContainerPaths {
  dir: string;
  record: string;
  upper: string;
  work: string;
  status: string;
  log: string;
}

export class ContainerStore {
  constructor(readonly containersDir: string) {}

  paths(id: string): ContainerPaths {
    const dir = path.join(this.containersDir, id);
    return {
      dir,
      record: path.join(dir, 'container.json'),
      upper: path.join(dir, 'upper'),
      work: path.join(dir, 'work'),
      status: path.join(dir, 'status'),
      log: path.join(dir, 'container.log'),
    };
  }

  /** Atomically (temp file, rename); durably (fsync) unless it is a --rm container, gone soon anyway. */
  save(record: ContainerRecord): void {
    const file = this.paths(record.id).record;
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeSync(fd, `${JSON.stringify(record, null, 2)}\n`);
      if (!record.autoRemove) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  /** The record with its live state, or undefined when there is no such container. */
  load(id: string): ContainerRecord | undefined {
    let record: ContainerRecord;
    try {
      record = JSON.parse(fs.readFileSync(this.paths(id).record, 'utf8')) as ContainerRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ContainerError(`container ${id}: unreadable record ${this.paths(id).record}: ${(err as Error).message}`);
    }
    return this.withLiveState(record);
  }

  private withLiveState(record: ContainerRecord): ContainerRecord {
    if (record.state !== 'running') return record;
    const statusFile = this.paths(record.id).status;
    try {
      const status = parseStatusFile(fs.readFileSync(statusFile, 'utf8'));
      if (status) {
        return { ...record, state: 'exited', exitCode: status.exitCode, signal: status.signal, finishedAt: fs.statSync(statusFile).mtime.toISOString() };
      }
    } catch {
      // no status yet
    }
    if (isSameProcess(record.helperPid, record.helperStartTime)) return record;
    // the helper died without a word (killed with SIGKILL, or the machine rebooted)
    return { ...record, state: 'exited', exitCode: null, finishedAt: record.finishedAt ?? new Date().toISOString() };
  }

  list(): ContainerRecord[] {
    let entries: string[];
    try {
      entries = fs.readdirSync(this.containersDir);
    } catch {
      return [];
    }
    const records: ContainerRecord[] = [];
    for (const id of entries) {
      if (id.startsWith('.')) continue;
      const record = this.load(id);
      if (record) records.push(record);
    }
    return records.sort((a, b) => b.created.localeCompare(a.created));
  }

  /** By full id, name, or unique id prefix. */
  find(ref: string): ContainerRecord {
    if (!ref) throw new ContainerError('no container given');
    const all = this.list();
    const exact = all.find((c) => c.id === ref) ?? all.find((c) => c.name === ref);
    if (exact) return exact;
    const prefixed = /^[0-9a-f]+$/.test(ref) ? all.filter((c) => c.id.startsWith(ref)) : [];
    if (prefixed.length === 1) return prefixed[0];
    if (prefixed.length > 1) throw new ContainerError(`'${ref}' matches ${prefixed.length} containers: give more of the id`);
    throw new ContainerError(`no such container: ${ref}`, 1);
  }
}
