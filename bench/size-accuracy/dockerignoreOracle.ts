// Cross-checks the .dockerignore table against the docker CLI (moby/patternmatcher): for each
// case, a context holding the path (and the .dockerignore) is sent to a stand-in daemon and the
// path's presence in the uploaded tar is compared with the table and with our matcher.
//
//   node out/bench/size-accuracy/dockerignoreOracle.js
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar-stream';
import { readDockerignore } from '../../server/context/readDockerignore';
import { DOCKERIGNORE_CASES } from '../../test/server/context/dockerignoreCases';
import { captureContextTar, dockerCliAvailable } from './dockerCliOracle';

async function namesIn(archive: Buffer): Promise<Set<string>> {
  const names = new Set<string>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    names.add(header.name.replace(/\/$/, ''));
    stream.on('end', next);
    stream.resume();
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(archive);
  await done;
  return names;
}

async function main(): Promise<void> {
  if (!dockerCliAvailable()) {
    console.log('no docker CLI: nothing to compare against');
    return;
  }
  let agreeTable = 0;
  let agreeOurs = 0;
  const disagreements: string[] = [];
  for (const c of DOCKERIGNORE_CASES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-ignore-'));
    try {
      fs.mkdirSync(path.dirname(path.join(dir, c.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, c.path), 'x');
      fs.writeFileSync(path.join(dir, '.dockerignore'), c.lines);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
      const archive = await captureContextTar(dir);
      if (!archive) throw new Error('the docker CLI sent no context');
      const excludedByDocker = !(await namesIn(archive)).has(c.path);
      const ours = readDockerignore(c.lines).matcher?.matches(c.path);
      if (excludedByDocker === c.excluded) agreeTable++;
      if (excludedByDocker === ours) agreeOurs++;
      if (excludedByDocker !== c.excluded || excludedByDocker !== ours) disagreements.push(`${JSON.stringify(c.lines)} ${JSON.stringify(c.path)}: docker ${excludedByDocker ? 'excludes' : 'keeps'}, table ${c.excluded ? 'excludes' : 'keeps'}, ours ${ours ? 'excludes' : 'keeps'}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const n = DOCKERIGNORE_CASES.length;
  console.log(`docker CLI agrees with the table on ${agreeTable}/${n} cases and with our matcher on ${agreeOurs}/${n}`);
  for (const d of disagreements) console.log(`  ${d}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
