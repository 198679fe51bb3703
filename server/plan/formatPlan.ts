// Human-readable layer plan for `layerlens plan`: stages, then one line per step.
import { formatBytes } from './size/formatBytes';
import type { LayerPlan, PlannedStage, PlannedStep } from './types';

export function formatPlan(plan: LayerPlan): string {
  const out: string[] = [];
  for (const stage of plan.stages) out.push(...formatStage(plan, stage), '');
  return out.join('\n');
}

function formatStage(plan: LayerPlan, stage: PlannedStage): string[] {
  const name = stage.name ? ` ${stage.name}` : '';
  const base = stage.base.kind === 'image' ? stage.base.ref : stage.base.kind === 'stage' ? `stage ${stage.base.name}` : 'scratch';
  const flags = [stage.index === plan.targetStage ? 'target' : '', stage.reachable ? '' : 'unreachable'].filter(Boolean).join(', ');
  const deps = stage.dependencies.length > 0 ? ` needs ${[...new Set(stage.dependencies.map((d) => d.stageIndex))].map((i) => plan.stages[i]?.name ?? `#${i}`).join(', ')}` : '';
  const lines = [`stage ${stage.index}${name} FROM ${base} (${stage.platform})${deps}${flags ? ` [${flags}]` : ''}`];
  for (const step of stage.steps) lines.push(formatStep(step));
  return lines;
}

function formatStep(step: PlannedStep): string {
  const kind = step.createsLayer ? 'layer   ' : 'metadata';
  const line = String(step.range.start.line + 1).padStart(5);
  const text = step.display.length > 100 ? step.display.slice(0, 97) + '...' : step.display;
  return `${line}  ${kind}  ${sizeColumn(step).padStart(9)}  ${step.cacheKey.slice(0, 12)}  ${text.replace(/\n/g, '\\n')}`;
}

/** Measured size, else predicted (`~` when not exact), `?` when unknown, blank for metadata. */
function sizeColumn(step: PlannedStep): string {
  const bytes = step.measuredBytes ?? step.predictedBytes;
  if (bytes === undefined) return step.createsLayer ? '?' : '';
  const approximate = step.measuredBytes === undefined && step.confidence !== 'exact' ? '~' : '';
  return approximate + formatBytes(bytes);
}
