// `layerlens plan [--json] [--target STAGE] [--build-arg K=V ...] [--platform P] FILE`:
// print the layer plan (stages, steps, layer or metadata, cache key prefix).
import { readFile } from 'fs/promises';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { PlanInputs } from '../../server/planInputs';
import { predictStepSizes } from '../../server/plan/size';
import type { Command } from './command';
import { CliError } from './cliError';
import { formatProblem, parseDockerfile } from '../../server/parser';
import { formatPlan, hostPlatform, planDockerfile } from '../../server/plan';
import type { LayerPlan, PlanOptions } from '../../server/plan';

interface PlanArgs {
  json: boolean;
  /** Predict layer sizes (default); `--no-sizes` skips reading the context and package indexes. */
  sizes: boolean;
  file: string;
  options: PlanOptions;
}

function parseArgs(args: string[]): PlanArgs {
  const options: PlanOptions = {};
  const buildArgs: Record<string, string> = {};
  let json = false;
  let sizes = true;
  let file: string | undefined;
  const value = (i: number, name: string) => {
    const v = args[i];
    if (v === undefined) throw new CliError(`${name} needs a value`, 2);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const [a, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    if (a === '--json') json = true;
    else if (a === '--no-sizes') sizes = false;
    else if (a === '--target') options.target = inline ?? value(++i, a);
    else if (a === '--platform') options.platform = inline ?? value(++i, a);
    else if (a === '--build-arg') {
      const kv = inline ?? value(++i, a);
      const eq = kv.indexOf('=');
      if (eq <= 0) {
        // Like docker build: `--build-arg NAME` takes the value from the environment.
        const fromEnv = process.env[kv];
        if (fromEnv !== undefined) buildArgs[kv] = fromEnv;
      } else buildArgs[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a.startsWith('-') && a !== '-') throw new CliError(`unknown option '${a}'`, 2);
    else if (file === undefined) file = a;
    else throw new CliError(`unexpected argument '${a}': give one Dockerfile`, 2);
  }
  if (file === undefined) throw new CliError('usage: layerlens plan [--json] [--no-sizes] [--target STAGE] [--build-arg K=V ...] [--platform P] FILE', 2);
  options.buildArgs = buildArgs;
  options.buildPlatform = hostPlatform();
  return { json, sizes, file, options };
}

export const planCommand: Command = {
  summary: 'print the layer plan of a Dockerfile with predicted layer sizes (--json, --no-sizes, --target, --build-arg K=V, --platform)',
  async run(args) {
    const { json, sizes, file, options } = parseArgs(args);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
    }
    const syntax = parseDockerfile(text);
    const plan = sizes ? await planWithSizes(syntax, options, file) : planDockerfile(syntax, options);
    const problems = [...syntax.problems, ...plan.problems];
    for (const p of problems) process.stderr.write(formatProblem(file, p) + '\n');
    process.stdout.write(json ? JSON.stringify(plan, null, 2) + '\n' : formatPlan(plan));
    return problems.some((p) => p.severity === 'error') ? 1 : 0;
  },
};

/**
 * Plans with the build context (the Dockerfile's directory) and predicts sizes, then waits for the
 * background lookups (context hashing, package indexes, downloads) and plans once more with them.
 */
async function planWithSizes(syntax: ReturnType<typeof parseDockerfile>, options: PlanOptions, file: string): Promise<LayerPlan> {
  const inputs = new PlanInputs(() => undefined);
  const uri = pathToFileURL(path.resolve(file)).href;
  try {
    const withInputs = (): PlanOptions => ({ ...options, context: inputs.contextReader(uri) });
    predictStepSizes(planDockerfile(syntax, withInputs()), inputs.sizeReaders(uri));
    await inputs.settled(uri);
    return predictStepSizes(planDockerfile(syntax, withInputs()), inputs.sizeReaders(uri));
  } finally {
    inputs.dispose();
  }
}
