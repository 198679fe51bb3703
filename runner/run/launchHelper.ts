// Starts the native helper with a request on fd 3 and follows its status lines on fd 4:
// `warning TEXT`, `started PID` (the command was exec'd), `error TEXT` (set-up failed),
// `exited CODE` or `signaled SIGNAL`. The helper gets its own session, so a terminal's Ctrl-C
// reaches this process, which forwards signals to the helper, which forwards them to the container.
import { spawn, type ChildProcess } from 'child_process';
import * as os from 'os';
import type { Readable, Writable } from 'stream';
import { ContainerError } from './containerError';
import { forwardSignals } from './forwardSignals';
import type { ExitStatus } from './containerSpec';
import { helperBinary } from './helperBinary';
import { encodeHelperRequest, STATUS_FD, type HelperRequest } from './helperRequest';

export type StdioChoice = 'inherit' | 'ignore' | 'pipe' | number;

export interface HelperIo {
  stdin?: StdioChoice;
  stdout?: StdioChoice;
  stderr?: StdioChoice;
  /** Warnings from the helper (unmapped groups, lowered rlimits...); default: printed on stderr. */
  onWarning?: (text: string) => void;
  /** Pass this process's SIGINT, SIGTERM, SIGHUP... (and SIGWINCH) to the helper until it exits. */
  forwardSignals?: boolean;
}

export interface HelperProcess {
  child: ChildProcess;
  /** The container process's host pid, once its command has been exec'd; rejects if set-up failed. */
  started: Promise<number>;
  /** How the container ended; after `started` rejected, the helper's own exit. */
  exited: Promise<ExitStatus>;
  /** Stop following a detached container so this process can exit; the helper carries on. */
  release(): void;
}

export function parseStatusLine(line: string): { kind: string; text: string } {
  const space = line.indexOf(' ');
  return space < 0 ? { kind: line, text: '' } : { kind: line.slice(0, space), text: line.slice(space + 1) };
}

export function launchHelper(mode: 'run' | 'exec', request: HelperRequest, io: HelperIo = {}): HelperProcess {
  const spec = encodeHelperRequest(request); // before the spawn: a bad request leaves no helper behind
  const child = spawn(helperBinary(), [mode], {
    stdio: [io.stdin ?? 'ignore', io.stdout ?? 'inherit', io.stderr ?? 'inherit', 'pipe', 'pipe'],
    detached: true,
  });
  const stopForwarding = io.forwardSignals ? forwardSignals(child) : () => undefined;
  const specPipe = child.stdio[3] as Writable;
  const statusPipe = child.stdio[STATUS_FD] as Readable;
  specPipe.on('error', () => undefined); // the helper may die before reading it: its exit says why
  specPipe.end(spec);

  const warn = io.onWarning ?? ((text: string) => process.stderr.write(`layerlens: warning: ${text}\n`));
  let error = '';
  let final: ExitStatus | undefined;
  let onStarted: (pid: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => { onStarted = resolve; });
  let buffered = '';
  statusPipe.setEncoding('utf8');
  statusPipe.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const { kind, text } = parseStatusLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (kind === 'warning') warn(text);
      else if (kind === 'error') error = text;
      else if (kind === 'started') onStarted(Number(text));
      else if (kind === 'exited') final = { code: Number(text) };
      else if (kind === 'signaled') {
        const signal = Number(text.split(' ')[0]);
        final = { code: 128 + signal, signal };
      }
    }
  });
  statusPipe.on('error', () => undefined);

  const exited = new Promise<ExitStatus>((resolve) => {
    child.on('error', (err) => { error = `cannot start ${helperBinary()}: ${err.message}`; resolve({ code: 125 }); });
    child.on('close', (code, signal) => {
      stopForwarding();
      if (final) return resolve(final);
      // no final line: the helper itself was killed (the container died with it) or set-up failed
      const sig = signal ? os.constants.signals[signal] : undefined;
      resolve(sig ? { code: 128 + sig, signal: sig } : { code: code ?? 125 });
    });
  });
  const startedOrFailed = Promise.race([
    started,
    exited.then((status) => {
      throw new ContainerError(error || `the helper ended (status ${status.code}) before the container started`, status.code);
    }),
  ]);
  startedOrFailed.catch(() => undefined); // callers that only await `exited` must not see an unhandled rejection

  return {
    child,
    started: startedOrFailed,
    exited,
    release() {
      stopForwarding();
      statusPipe.destroy();
      specPipe.destroy();
      child.unref();
    },
  };
}
