// `kill` and `stop`. Signals go to the container's first process (PID 1 inside): like any PID 1 it
// ignores signals it has no handler for, except SIGKILL, so `stop` sends the image's StopSignal
// (default SIGTERM), waits, then sends SIGKILL, as Docker does.
import { ContainerError } from './containerError';
import type { ContainerRecord } from './containerRecord';
import type { ContainerStore } from './containerStore';
import { isSameProcess } from './processStartTime';
import { signalNumber } from './signals';

export function killContainer(record: ContainerRecord, signal: string | number): void {
  if (record.state !== 'running' || record.pid === undefined) throw new ContainerError(`container ${record.name} is not running`, 1);
  const n = typeof signal === 'number' ? signal : signalNumber(signal);
  if (n === undefined) throw new ContainerError(`unknown signal '${signal}'`, 2);
  if (!isSameProcess(record.helperPid, record.helperStartTime)) throw new ContainerError(`container ${record.name} is not running`, 1);
  try {
    process.kill(record.pid, n);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw new ContainerError(`kill ${record.pid}: ${(err as Error).message}`);
  }
}

/** True once the container is no longer running; false after `timeoutMs`. */
export async function waitUntilStopped(containers: ContainerStore, id: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = containers.load(id);
    if (!record || record.state !== 'running') return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Returns true if the container had to be killed. */
export async function stopContainer(containers: ContainerStore, record: ContainerRecord, timeoutSeconds: number): Promise<boolean> {
  if (record.state !== 'running') return false;
  killContainer(record, signalNumber(record.config.stopSignal) ?? 15);
  if (await waitUntilStopped(containers, record.id, timeoutSeconds * 1000)) return false;
  const current = containers.load(record.id);
  if (current?.state === 'running') killContainer(current, 'SIGKILL');
  if (!(await waitUntilStopped(containers, record.id, 10_000))) throw new ContainerError(`container ${record.name} did not stop after SIGKILL`);
  return true;
}
