// `exec`: a new process in a running container, joining its namespaces and cgroups, with the
// container's environment, user and working directory unless overridden.
import { ContainerError } from './containerError';
import type { ContainerRecord } from './containerRecord';
import type { ExitStatus } from './containerSpec';
import { decideIdMapping } from './idMapping';
import { mergeEnv } from './imageProcess';
import { launchHelper, type HelperIo } from './launchHelper';
import { assertCanRunContainers } from './preflight';
import { isSameProcess } from './processStartTime';

export interface ExecOptions {
  command: string[];
  env: string[];
  user?: string;
  workdir?: string;
  tty: boolean;
}

export async function execInContainer(record: ContainerRecord, o: ExecOptions, io: HelperIo = {}): Promise<ExitStatus> {
  if (record.state !== 'running' || record.pid === undefined || !isSameProcess(record.helperPid, record.helperStartTime)) {
    throw new ContainerError(`container ${record.name} is not running`, 1);
  }
  if (!o.command.length) throw new ContainerError('exec needs a command', 2);
  if (o.workdir !== undefined && !o.workdir.startsWith('/')) throw new ContainerError(`-w ${o.workdir}: the working directory must be absolute`, 2);
  assertCanRunContainers();
  const base = record.config.process;
  const helper = launchHelper('exec', {
    execPid: record.pid,
    idMapping: decideIdMapping(),
    cgroups: record.cgroups,
    process: {
      args: o.command,
      env: mergeEnv(base.env, o.tty ? ['TERM=xterm'] : [], o.env),
      cwd: o.workdir ?? base.cwd,
      user: o.user ?? base.user,
      tty: o.tty,
      rlimits: base.rlimits,
    },
    dieWithParent: true,
  }, { ...io, forwardSignals: true });
  await helper.started;
  return helper.exited;
}
