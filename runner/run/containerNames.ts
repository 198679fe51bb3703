// Container names: Docker's rules, generated ones like `quiet_lovelace`, and claims that make a name
// unique even when two `run --name` race (an exclusive create of `<containers>/.names/<name>`).
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';

export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const adjectives = ['brave', 'calm', 'eager', 'fond', 'gentle', 'happy', 'jolly', 'keen', 'lucid', 'merry', 'nimble', 'proud', 'quiet', 'sharp', 'tender', 'vivid', 'wise', 'zen'];
const nouns = ['babbage', 'curie', 'darwin', 'euler', 'fermi', 'gauss', 'hopper', 'knuth', 'lovelace', 'meitner', 'noether', 'pascal', 'ritchie', 'shannon', 'thompson', 'turing', 'wozniak', 'yalow'];

export function generateName(): string {
  return `${adjectives[randomInt(adjectives.length)]}_${nouns[randomInt(nouns.length)]}`;
}

function claimPath(containersDir: string, name: string): string {
  return path.join(containersDir, '.names', name);
}

/** Claims `name` for `id`; throws if another container has it. */
export function claimName(containersDir: string, name: string, id: string): void {
  if (!NAME_PATTERN.test(name)) throw new ContainerError(`invalid container name '${name}': use letters, digits, '_', '.' and '-', starting with a letter or digit`);
  fs.mkdirSync(path.join(containersDir, '.names'), { recursive: true });
  try {
    fs.writeFileSync(claimPath(containersDir, name), id, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = fs.readFileSync(claimPath(containersDir, name), 'utf8').trim();
    if (fs.existsSync(path.join(containersDir, owner))) { // its directory is made before the claim
      throw new ContainerError(`the name '${name}' is already used by container ${owner.slice(0, 12)}: remove it or choose another name`);
    }
    fs.writeFileSync(claimPath(containersDir, name), id); // a claim left by a container that is gone
  }
}

/** A generated name that is free. */
export function claimGeneratedName(containersDir: string, id: string): string {
  for (let i = 0; i < 20; i++) {
    const name = i < 10 ? generateName() : `${generateName()}_${randomInt(1000)}`;
    try {
      claimName(containersDir, name, id);
      return name;
    } catch (err) {
      if (!(err instanceof ContainerError)) throw err;
    }
  }
  throw new ContainerError('could not find a free container name');
}

export function releaseName(containersDir: string, name: string, id: string): void {
  try {
    if (fs.readFileSync(claimPath(containersDir, name), 'utf8').trim() === id) fs.unlinkSync(claimPath(containersDir, name));
  } catch {
    // already gone
  }
}
