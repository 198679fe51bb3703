// Shared wording of the progress displays: step titles like BuildKit's (`[build 2/5] RUN make`),
// human sizes and durations.
import type { BuildStartedEvent, StepStartedEvent } from '../events';

export function formatDuration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Titles steps from the build-started event's stage list. */
export class StepTitles {
  private stages = new Map<number, { name?: string; steps: number }>();
  private single = true;

  start(event: BuildStartedEvent): void {
    this.stages = new Map(event.stages.map((s) => [s.index, { name: s.name, steps: s.steps }]));
    this.single = event.stages.length === 1;
  }

  title(event: StepStartedEvent): string {
    const stage = this.stages.get(event.stage);
    const name = this.single ? '' : `${stage?.name ?? `stage-${event.stage}`} `;
    const total = Math.max(1, (stage?.steps ?? 1) - 1);
    return `[${name}${event.step}/${total}] ${event.onbuild ? 'ONBUILD ' : ''}${event.display}`;
  }
}
