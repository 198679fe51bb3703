// Findings of size prediction (server/plan/size: wasted space, copy-ups, caches left in a layer,
// missing COPY sources) as lint findings, without repeating what a rule already reports for the
// same instruction.
import type { LayerPlan } from '../plan/types';
import type { SizeFinding } from '../plan/size';
import type { DockerfileSyntax } from '../parser/types';
import type { ExternalFinding } from './lintDocument';
import type { Finding } from './types';

/** Rules that already report what a size finding of this kind says. */
const COVERED_BY: Record<SizeFinding['code'], readonly string[]> = {
  'wasted-space': ['FileDeletedInLaterLayer'],
  'copy-up': [],
  'cache-left-behind': ['AptListsNotCleaned', 'NpmCacheNotCleaned', 'PipNoCacheDir', 'ApkNoCache', 'FileDeletedInLaterLayer'],
  'missing-source': [],
  'size-error': [],
};

const CODES: Partial<Record<SizeFinding['code'], { code: string; severity: ExternalFinding['severity'] }>> = {
  'wasted-space': { code: 'FileDeletedInLaterLayer', severity: 'warning' },
  'copy-up': { code: 'FileCopiedUp', severity: 'warning' },
  'cache-left-behind': { code: 'CacheLeftInLayer', severity: 'information' },
  'missing-source': { code: 'missing-source', severity: 'error' },
};

export function sizeFindingsAsExternal(syntax: DockerfileSyntax, plan: LayerPlan, findings: readonly SizeFinding[], ruleFindings: readonly Finding[]): ExternalFinding[] {
  const reported = new Map<number, Set<string>>();
  for (const f of ruleFindings) {
    if (f.instructionIndex === undefined) continue;
    let set = reported.get(f.instructionIndex);
    if (!set) reported.set(f.instructionIndex, (set = new Set()));
    set.add(f.code);
  }
  const out: ExternalFinding[] = [];
  for (const finding of findings) {
    const target = CODES[finding.code];
    const step = plan.stages[finding.stageIndex]?.steps[finding.stepIndex];
    const instruction = step ? syntax.instructions[step.instructionIndex] : undefined;
    if (!target || !step || !instruction) continue;
    const already = reported.get(step.instructionIndex);
    if (already && COVERED_BY[finding.code].some((c) => already.has(c))) continue;
    out.push({ code: target.code, range: instruction.keyword.range, message: finding.message, severity: target.severity, source: 'layerlens', instructionIndex: step.instructionIndex });
  }
  return out;
}
