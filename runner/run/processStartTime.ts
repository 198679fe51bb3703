// A process's start time (clock ticks since boot, /proc/PID/stat field 22): with the pid, it tells
// a live helper from a new process that reused its pid.
import * as fs from 'fs';

export function processStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]); // field 22 overall; fields[0] is field 3 (state)
  } catch {
    return undefined;
  }
}

export function isSameProcess(pid: number | undefined, startTime: number | undefined): boolean {
  return pid !== undefined && startTime !== undefined && processStartTime(pid) === startTime;
}
