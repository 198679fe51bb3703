// Plain progress (not a terminal, or --progress=plain): one line per happening, numbered per
// step the way BuildKit's plain output is, so interleaved stages stay readable in CI logs.
import type { BuildEvent } from '../events';
import { formatDuration, formatSize, StepTitles } from './formatEvent';

export function plainProgress(write: (text: string) => void): (event: BuildEvent) => void {
  const titles = new StepTitles();
  const numbers = new Map<string, number>();
  const started = new Map<string, number>();
  let next = 1;
  const id = (stage: number, step: number) => `${stage}:${step}`;
  return (event) => {
    switch (event.type) {
      case 'build-started':
        titles.start(event);
        break;
      case 'pull':
        if (event.status !== 'progress') write(`pulling ${event.ref}${event.status === 'done' ? ': done' : ''}\n`);
        break;
      case 'step-started': {
        const n = next++;
        numbers.set(id(event.stage, event.step), n);
        started.set(id(event.stage, event.step), event.time);
        write(`#${n} ${titles.title(event)}\n`);
        break;
      }
      case 'step-output': {
        const key = id(event.stage, event.step);
        const elapsed = (event.time - (started.get(key) ?? event.time)) / 1000;
        write(`#${numbers.get(key)} ${elapsed.toFixed(3)} ${event.line}\n`);
        break;
      }
      case 'step-finished': {
        const n = numbers.get(id(event.stage, event.step));
        const layer = event.layer ? ` (layer ${formatSize(event.layer.bytes)})` : '';
        write(event.cached ? `#${n} CACHED${layer}\n` : `#${n} DONE ${formatDuration(event.durationMs)}${layer}\n`);
        break;
      }
      case 'step-failed':
        write(`#${numbers.get(id(event.stage, event.step))} ERROR: ${event.message}\n`);
        break;
      case 'warning':
        write(`WARNING: ${event.range ? `line ${event.range.start.line + 1}: ` : ''}${event.message}\n`);
        break;
      case 'build-finished':
        write(`built ${event.imageId} in ${formatDuration(event.durationMs)} (${event.cachedSteps}/${event.steps} steps cached)\n`);
        for (const tag of event.tags) write(`naming to ${tag}\n`);
        break;
      default:
        break;
    }
  };
}
