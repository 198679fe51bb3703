// Measured layer sizes from real builds, for when the build engine records them. The file is
//   { "builds": [ { "name": "...", "dockerfile": "path", "context": "dir",
//                   "layers": [ { "cacheKey": "hex", "bytes": 123 } ] } ] }
// Each layer is matched to the plan step with the same cache key and compared with its prediction.
import * as fs from 'fs';
import * as path from 'path';
import { openBuildContext } from '../../server/context';
import { predictSettled } from './predictSteps';
import type { Sample } from './stats';

interface MeasuredBuild {
  name: string;
  dockerfile: string;
  context: string;
  layers: { cacheKey: string; bytes: number }[];
}

export async function runMeasuredInput(file: string, log: (line: string) => void): Promise<Sample[]> {
  const { builds } = JSON.parse(fs.readFileSync(file, 'utf8')) as { builds: MeasuredBuild[] };
  const samples: Sample[] = [];
  for (const build of builds) {
    const base = path.dirname(file);
    const opened = openBuildContext({ contextDir: path.resolve(base, build.context), dockerfilePath: path.resolve(base, build.dockerfile), watch: false });
    await opened.ready;
    const sized = await predictSettled(fs.readFileSync(path.resolve(base, build.dockerfile), 'utf8'), { context: opened.reader }, () => opened.reader.settle());
    const byKey = new Map(sized.stages.flatMap((s) => s.steps).map((s) => [s.cacheKey, s]));
    for (const layer of build.layers) {
      const step = byKey.get(layer.cacheKey);
      if (!step) {
        log(`  ${build.name}: no step has cache key ${layer.cacheKey.slice(0, 12)} (the Dockerfile changed?)`);
        continue;
      }
      samples.push({ kind: `${step.instruction} (build)`, name: `${build.name}: ${step.display}`, predicted: step.predictedBytes, measured: layer.bytes });
    }
    opened.dispose();
  }
  return samples;
}
