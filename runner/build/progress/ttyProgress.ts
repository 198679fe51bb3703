// Terminal progress: finished steps scroll up as one line each (CACHED or DONE with time and
// layer size); running steps stay in a live area at the bottom with a timer and their last few
// output lines, redrawn ten times a second.
import type { BuildEvent, StepStartedEvent } from '../events';
import { formatDuration, formatSize, StepTitles } from './formatEvent';

const TAIL = 6;

interface Running {
  title: string;
  started: number;
  lines: string[];
}

export interface TtyProgress {
  onEvent(event: BuildEvent): void;
  /** Stops redrawing (call after the build ended). */
  stop(): void;
}

export function ttyProgress(write: (text: string) => void, columns: () => number = () => process.stderr.columns || 80): TtyProgress {
  const titles = new StepTitles();
  const running = new Map<string, Running>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const width = () => Math.max(20, (columns() || 80) - 1);
  /** Shortens visible text to the terminal width, then colours it (escapes take no columns). */
  const fit = (text: string, colour = '', rest = '') => {
    const room = width() - rest.length;
    const shown = text.length > room ? text.slice(0, Math.max(1, room - 1)) + '…' : text;
    return colour ? `${colour}${shown}\x1b[0m${rest}` : shown + rest;
  };

  const clear = () => {
    if (drawn > 0) write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const out: string[] = [];
    for (const r of running.values()) {
      out.push(fit(`=> ${r.title}`, '\x1b[36m', ` ${formatDuration(Date.now() - r.started)}`));
      for (const line of r.lines) out.push(fit(`   ${line}`, '\x1b[2m'));
    }
    if (out.length > 0) write(out.join('\n') + '\n');
    drawn = out.length;
  };
  const permanent = (text: string) => {
    clear();
    write(text + '\n');
    draw();
  };
  const key = (e: { stage: number; step: number }) => `${e.stage}:${e.step}`;

  return {
    onEvent(event) {
      switch (event.type) {
        case 'build-started':
          titles.start(event);
          timer = setInterval(draw, 100);
          timer.unref();
          break;
        case 'pull':
          if (event.status !== 'progress') permanent(`=> pulling ${event.ref}${event.status === 'done' ? ' done' : ''}`);
          break;
        case 'step-started':
          running.set(key(event), { title: titles.title(event as StepStartedEvent), started: event.time, lines: [] });
          break;
        case 'step-output': {
          const r = running.get(key(event));
          if (r) {
            r.lines.push(event.line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
            if (r.lines.length > TAIL) r.lines.shift();
          }
          break;
        }
        case 'step-finished': {
          const r = running.get(key(event));
          running.delete(key(event));
          const layer = event.layer ? ` ${formatSize(event.layer.bytes)}` : '';
          permanent(fit(`=> ${event.cached ? 'CACHED ' : ''}${r?.title ?? ''}`, '\x1b[34m', `${event.cached ? '' : ` ${formatDuration(event.durationMs)}`}${layer}`));
          break;
        }
        case 'step-failed': {
          const r = running.get(key(event));
          running.delete(key(event));
          permanent(`\x1b[31m=> ERROR ${r?.title ?? ''}\x1b[0m ${formatDuration(event.durationMs)}`);
          for (const line of event.lastLines) permanent(`   ${line}`);
          break;
        }
        case 'warning':
          permanent(`\x1b[33mWARNING:\x1b[0m ${event.range ? `line ${event.range.start.line + 1}: ` : ''}${event.message}`);
          break;
        case 'build-finished':
        case 'build-failed':
          if (timer) clearInterval(timer);
          clear();
          if (event.type === 'build-finished') {
            write(`=> built ${event.imageId} in ${formatDuration(event.durationMs)} (${event.cachedSteps}/${event.steps} steps cached)\n`);
            for (const tag of event.tags) write(`=> naming to ${tag}\n`);
          }
          break;
        default:
          break;
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
