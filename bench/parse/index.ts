// bench/parse: parse + plan a generated 30,000-line Dockerfile with Layerlens and parse it with
// dockerfile-ast (the parser of the popular Docker language server) in the same run; print both
// times, the ratio, and the time to re-plan after a one-line edit, with the machine's load average
// (medians swing with it). A second input, bench/lsp's generated file (long stages with many ENV
// and ARG variables), gets its plan and re-plan times printed too. Run: node out/bench/parse/index.js
import * as os from 'os';
import { DockerfileParser } from 'dockerfile-ast';
import { parseDockerfile } from '../../server/parser';
import { planDockerfile } from '../../server/plan';
import { settleKeysInSteps } from '../../server/plan/settleKeys';
import { runAllSteps } from '../../server/steps';
import type { LayerPlan } from '../../server/plan';
import { generatedDockerfile } from '../lsp/dockerfiles';
import { generateDockerfile } from './generateDockerfile';

const lineCount = Number(process.env.LINES ?? 30000);
const runs = Number(process.env.RUNS ?? 15);

function ms(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface Figures {
  best: number;
  median: number;
}

function summarize(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

function show(label: string, f: Figures): string {
  return `${label.padEnd(44)} best ${f.best.toFixed(2).padStart(8)} ms   median ${f.median.toFixed(2).padStart(8)} ms`;
}

/** The 1-minute load average and the core count, e.g. `load average 1.45 on 2 cores`. */
function load(): string {
  return `load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`;
}

function main(): void {
  const loadBefore = load();
  const text = generateDockerfile(lineCount);
  const lines = text.split('\n').length - 1;
  const edited = editOneLine(text);

  // Warm up both parsers (JIT) before measuring.
  for (let i = 0; i < 3; i++) {
    planDockerfile(parseDockerfile(text));
    DockerfileParser.parse(text);
  }

  const ours: number[] = [];
  const oursPlan: number[] = [];
  const theirs: number[] = [];
  const replan: number[] = [];
  const reparseReplan: number[] = [];
  let plan: LayerPlan | undefined;
  for (let i = 0; i < runs; i++) {
    // Interleaved, so both see the same machine load.
    let syntax = parseDockerfile(text);
    ours.push(ms(() => { syntax = parseDockerfile(text); }));
    oursPlan.push(ms(() => { plan = planDockerfile(syntax); }));
    theirs.push(ms(() => DockerfileParser.parse(text)));
    // As the language server does on a keystroke: re-parse from the previous tree, re-plan
    // from the previous plan.
    const previous = planDockerfile(syntax);
    const editedSyntax = parseDockerfile(edited, { previous: { text, syntax } });
    replan.push(ms(() => planDockerfile(editedSyntax, { previous })));
    const previous2 = planDockerfile(syntax);
    reparseReplan.push(ms(() => planDockerfile(parseDockerfile(edited, { previous: { text, syntax } }), { previous: previous2 })));
  }

  const parseOurs = summarize(ours);
  const planOurs = summarize(oursPlan);
  const parseTheirs = summarize(theirs);
  const both = summarize(ours.map((t, i) => t + oursPlan[i]));
  const steps = plan ? plan.stages.reduce((n, s) => n + s.steps.length, 0) : 0;
  const out = [
    `bench/parse: ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB, ${plan?.stages.length ?? 0} stages, ${steps} steps, ${runs} runs (node ${process.version})`,
    show('layerlens parseDockerfile', parseOurs),
    show('layerlens planDockerfile', planOurs) + '   (target < 150 ms)',
    show('layerlens parse + plan', both),
    show('dockerfile-ast DockerfileParser.parse', parseTheirs),
    `ratio, full parse (dockerfile-ast / layerlens): best ${(parseTheirs.best / parseOurs.best).toFixed(1)}x   median ${(parseTheirs.median / parseOurs.median).toFixed(1)}x   (target >= 20x, margin >= 28x)`,
    `ratio, dockerfile-ast parse / layerlens parse+plan: median ${(parseTheirs.median / both.median).toFixed(1)}x`,
    show('re-plan after a one-line edit', summarize(replan)) + '   (target < 3 ms)',
    show('re-parse + re-plan after a one-line edit', summarize(reparseReplan)) + '   (target < 8 ms)',
    ...secondInput(),
    `${loadBefore} at the start, ${load()} at the end`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

/** Plan and re-plan times of bench/lsp's generated file (what the language server plans). */
function secondInput(): string[] {
  const text = generatedDockerfile(lineCount);
  const syntax = parseDockerfile(text);
  const edited = parseDockerfile(editOneLine(text), { previous: { text, syntax } });
  for (let i = 0; i < 3; i++) planDockerfile(syntax);
  const planTimes: number[] = [];
  const withKeys: number[] = [];
  const replan: number[] = [];
  let plan: LayerPlan | undefined;
  for (let i = 0; i < runs; i++) {
    planTimes.push(ms(() => { plan = planDockerfile(syntax); }));
    withKeys.push(ms(() => runAllSteps(settleKeysInSteps(planDockerfile(syntax)))));
    const previous = planDockerfile(syntax);
    replan.push(ms(() => planDockerfile(edited, { previous })));
  }
  const steps = plan ? plan.stages.reduce((n, s) => n + s.steps.length, 0) : 0;
  return [
    `bench/lsp generated file: ${text.split('\n').length - 1} lines, ${plan?.stages.length ?? 0} stages, ${steps} steps`,
    show('layerlens planDockerfile (bench/lsp file)', summarize(planTimes)) + '   (target < 250 ms; cache keys are worked out when read)',
    show('planDockerfile, every cache key read', summarize(withKeys)),
    show('re-plan after a one-line edit (bench/lsp file)', summarize(replan)) + '   (each stage COPYs --from the one before: the later half re-plans)',
  ];
}

/** Changes one `make` line of a RUN in the middle of the file (same line count). */
function editOneLine(text: string): string {
  const lines = text.split('\n');
  for (let i = Math.floor(lines.length / 2); i < lines.length; i++) {
    if (/^\s*make -[jC]/.test(lines[i])) {
      lines[i] = 'make -j"$(nproc)" all check';
      return lines.join('\n');
    }
  }
  throw new Error('no line to edit');
}

main();
