// bench/size-speed: size prediction on the generated 30,000-line Dockerfile with the language
// server's real readers (package indexes, image sizes, download sizes, the build context of a
// temporary directory): the time to predict from scratch and after a one-line edit in the middle
// (with the previous prediction). No peer exists (no other tool predicts layer sizes in an editor),
// so only our own figures are printed. Also from scratch in steps, as the language server runs it
// (a pause every TURN_SLICE_MS): the longest stretch between two pauses, which is what a request
// sent meanwhile waits for at most. Also bench/lsp's generated file, whose every stage COPY --from
// the one before, after bench/lsp's idle edit (a space after an instruction in the middle) and
// after an edit that re-keys every later stage but leaves their sizes alone.
// Run: node out/bench/size-speed/index.js (LINES, RUNS).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseDockerfile } from '../../server/parser';
import { planDockerfile, type LayerPlan } from '../../server/plan';
import { predictStepSizes, predictStepSizesInSteps } from '../../server/plan/size';
import { PlanInputs } from '../../server/planInputs';
import { TURN_SLICE_MS } from '../../server/turns';
import { generatedDockerfile, instructionLineNumbers } from '../lsp/dockerfiles';
import { generateDockerfile } from '../parse/generateDockerfile';

const lineCount = Number(process.env.LINES ?? 30000);
const runs = Number(process.env.RUNS ?? 7);

/** Wall-clock and CPU milliseconds of `f` (CPU time moves less when other processes share the machine). */
function ms(f: () => void): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  f();
  const cpu = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (cpu.user + cpu.system) / 1000 };
}

/** The longest stretch (wall-clock, and its CPU time) between two pauses of `steps`. */
function longestSlice(steps: Generator<void, unknown>): { wall: number; cpu: number } {
  let longest = { wall: 0, cpu: 0 };
  for (;;) {
    let done = false;
    const slice = ms(() => { done = steps.next().done === true; });
    if (slice.wall > longest.wall) longest = slice;
    if (done) return longest;
  }
}

function show(label: string, samples: { wall: number; cpu: number }[]): string {
  const figures = (values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    return `best ${sorted[0].toFixed(2).padStart(8)} ms   median ${sorted[Math.floor(sorted.length / 2)].toFixed(2).padStart(8)} ms`;
  };
  return `${label.padEnd(40)} ${figures(samples.map((s) => s.wall))}   (CPU ${figures(samples.map((s) => s.cpu))})`;
}

/** bench/lsp's idle edit: a space after the instruction in the middle of the file. */
function spaceAfterMiddleInstruction(text: string): string {
  const lines = text.split('\n');
  const instructions = instructionLineNumbers(lines);
  lines[instructions[Math.floor(instructions.length / 2)]] += ' ';
  return lines.join('\n');
}

/** A comment after the first `RUN echo` past the middle: every later step and stage is re-keyed, no size changes. */
function commentAfterMiddleEcho(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('RUN echo'));
  lines[at] += ' # note';
  return lines.join('\n');
}

/** Changes one RUN line in the middle of the file (as a keystroke would). */
function editOneLine(text: string): string {
  const lines = text.split('\n');
  for (let i = Math.floor(lines.length / 2); i < lines.length; i++) {
    if (lines[i].includes('make -j')) {
      lines[i] = lines[i].replace('all', 'all install');
      return lines.join('\n');
    }
  }
  throw new Error('no line to edit');
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-size-speed-'));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example\n');
  fs.writeFileSync(path.join(dir, 'go.sum'), '');
  const dockerfile = path.join(dir, 'Dockerfile');
  const text = generateDockerfile(lineCount);
  const edited = editOneLine(text);
  fs.writeFileSync(dockerfile, text);
  const uri = pathToFileURL(dockerfile).href;
  const inputs = new PlanInputs(() => undefined);
  try {
    const syntax = parseDockerfile(text);
    const plan = planDockerfile(syntax, { context: inputs.contextReader(uri) });
    const editedPlan = planDockerfile(parseDockerfile(edited, { previous: { text, syntax } }), { context: inputs.contextReader(uri), previous: plan });
    // Predictions start background lookups (one answer can lead to the next): measure once
    // they are all answered.
    for (let i = 0; i < 5; i++) {
      predictStepSizes(plan, inputs.sizeReaders(uri));
      predictStepSizes(editedPlan, inputs.sizeReaders(uri));
      await inputs.settled(uri);
    }
    const readers = inputs.sizeReaders(uri);
    const scratch: { wall: number; cpu: number }[] = [];
    const afterEdit: { wall: number; cpu: number }[] = [];
    let sized: LayerPlan = plan;
    for (let i = 0; i < runs; i++) {
      scratch.push(ms(() => { sized = predictStepSizes(plan, readers); }));
      afterEdit.push(ms(() => predictStepSizes(editedPlan, readers, sized)));
    }
    const longest: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < runs; i++) longest.push(longestSlice(predictStepSizesInSteps(plan, readers, undefined, TURN_SLICE_MS)));
    // bench/lsp's file: stages chained by COPY --from.
    const chained = generatedDockerfile(lineCount);
    const chainedSyntax = parseDockerfile(chained);
    const chainedPlan = planDockerfile(chainedSyntax, { context: inputs.contextReader(uri) });
    const chainedEdits = [spaceAfterMiddleInstruction(chained), commentAfterMiddleEcho(chained)].map((edited) =>
      planDockerfile(parseDockerfile(edited, { previous: { text: chained, syntax: chainedSyntax } }), { context: inputs.contextReader(uri), previous: chainedPlan }));
    for (let i = 0; i < 3; i++) {
      for (const p of [chainedPlan, ...chainedEdits]) predictStepSizes(p, inputs.sizeReaders(uri));
      await inputs.settled(uri);
    }
    const chainedReaders = inputs.sizeReaders(uri);
    let chainedSized: LayerPlan = chainedPlan;
    const chainedScratch: { wall: number; cpu: number }[] = [];
    const chainedAfter = chainedEdits.map(() => [] as { wall: number; cpu: number }[]);
    for (let i = 0; i < runs; i++) {
      chainedScratch.push(ms(() => { chainedSized = predictStepSizes(chainedPlan, chainedReaders); }));
      chainedEdits.forEach((edited, k) => chainedAfter[k].push(ms(() => predictStepSizes(edited, chainedReaders, chainedSized))));
    }
    const stages = plan.stages.length;
    const steps = plan.stages.reduce((n, s) => n + s.steps.length, 0);
    console.log(`size prediction, ${text.split('\n').length - 1} lines, ${stages} stages, ${steps} steps, ${runs} runs (no peer), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(show('from scratch', scratch));
    console.log(show('after a one-line edit (with previous)', afterEdit));
    console.log(show(`in steps: longest slice (${TURN_SLICE_MS} ms slices)`, longest));
    console.log(`bench/lsp's generated file (${chainedPlan.stages.length} stages chained by COPY --from, ${chainedPlan.stages.reduce((n, s) => n + s.steps.length, 0)} steps):`);
    console.log(show('from scratch', chainedScratch));
    console.log(show('after bench/lsp\'s idle edit', chainedAfter[0]));
    console.log(show('after an edit re-keying later stages', chainedAfter[1]));
  } finally {
    inputs.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
