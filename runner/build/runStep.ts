// RUN: the stage's layers as overlay lower dirs, a fresh upper dir, the step's mounts, network,
// user, environment and working directory; output streamed as events line by line. On success
// the upper dir (mount points removed) is what the step changed; on failure a BuildError with the
// exit code and the last lines of output.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { PlannedStep } from '../../server/plan/types';
import type { ExitStatus, MountSpec, NetworkMode } from '../run/containerSpec';
import { launchContainer } from '../run/runContainer';
import { BuildCancelledError, BuildError } from './buildError';
import type { BuildSession } from './buildSession';
import type { StepRef } from './events';
import { LayerUnion } from './layerUnion';
import { planStubs, removeStubs } from './mountStubs';
import { prepareMounts } from './prepareMounts';

const KEEP_LINES = 25;

export interface RunResult {
  /** The overlay upper directory holding the step's changes. */
  upper: string;
}

/** Splits a stream into lines, calling `onLine` for each (a last partial line on flush). */
class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
  flush(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}

function networkOf(session: BuildSession, step: PlannedStep): NetworkMode {
  const d = step.details;
  const mode = d.kind === 'run' ? d.network : undefined;
  return mode === 'none' || mode === 'host' ? mode : session.network;
}

export async function runStep(session: BuildSession, step: PlannedStep, ref: StepRef, lowerDirs: string[], platform: string): Promise<RunResult> {
  const d = step.details;
  if (d.kind !== 'run') throw new Error('internal error: runStep needs a RUN step');
  const privileged = d.security === 'insecure';
  if (privileged && !session.allow.has('security.insecure')) {
    throw new BuildError('RUN --security=insecure needs the security.insecure entitlement: layerlens build --allow security.insecure');
  }
  const union = new LayerUnion(lowerDirs);
  const upper = await session.scratch.dir('build-upper');
  const work = await session.scratch.dir('build-work');
  const bundle = await session.scratch.dir('build-bundle');
  const prepared = await prepareMounts(session, d.mounts, step.workdir, bundle, platform);
  try {
    const mounts: MountSpec[] = [...prepared.mounts];
    const argv = d.argv;
    const doc = d.heredocs[0];
    if (doc && argv[argv.length - 1] === `/dev/pipes/${doc.name}`) {
      // A heredoc with a shebang runs as a file, mounted read-only like BuildKit does.
      const file = path.join(bundle, `heredoc-${doc.name}`);
      await fs.promises.writeFile(file, doc.content, { mode: 0o755 });
      mounts.push({ type: 'bind', source: file, target: `/dev/pipes/${doc.name}`, readOnly: true });
    }
    const stubs = planStubs(union, prepared.targets);
    const lines: string[] = [];
    const record = (stream: 'stdout' | 'stderr') => new LineSplitter((line) => {
      lines.push(line);
      if (lines.length > KEEP_LINES) lines.shift();
      session.emit({ type: 'step-output', time: Date.now(), ...ref, stream, line });
    });
    const env = [...step.cacheKeyInputs.env, ...session.proxyEnv, ...prepared.env];
    const container = await launchContainer(
      {
        id: `build-${randomBytes(8).toString('hex')}`,
        bundleDir: bundle,
        rootfs: { lowerDirs, upperDir: upper, workDir: work },
        process: { args: argv, env, cwd: step.workdir || '/', user: step.user, tty: false, privileged },
        hostname: 'buildkitsandbox',
        network: networkOf(session, step),
        mounts,
      },
      { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', onWarning: (message) => session.emit({ type: 'warning', time: Date.now(), message }) },
    );
    const out = record('stdout');
    const err = record('stderr');
    container.helper.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    container.helper.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
    const outputDone = Promise.all([
      new Promise((resolve) => (container.helper.child.stdout ? container.helper.child.stdout.on('close', resolve) : resolve(undefined))),
      new Promise((resolve) => (container.helper.child.stderr ? container.helper.child.stderr.on('close', resolve) : resolve(undefined))),
    ]);
    const abort = () => {
      try {
        process.kill(container.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    session.signal?.addEventListener('abort', abort);
    let status: ExitStatus;
    try {
      status = await container.wait();
      await outputDone;
    } finally {
      session.signal?.removeEventListener('abort', abort);
    }
    out.flush();
    err.flush();
    if (session.signal?.aborted) throw new BuildCancelledError();
    if (status.code !== 0) {
      const shown = d.shellForm ? argv.slice(-1)[0] : JSON.stringify(argv);
      const how = status.signal !== undefined ? `was killed by signal ${status.signal}` : `exited with code ${status.code}`;
      throw new BuildError(`RUN ${shown.length > 200 ? shown.slice(0, 200) + '...' : shown} ${how}`, { exitCode: status.code, lastLines: lines });
    }
    removeStubs(upper, stubs);
    return { upper };
  } finally {
    prepared.release();
    await session.scratch.remove(work);
    await session.scratch.remove(bundle);
  }
}
