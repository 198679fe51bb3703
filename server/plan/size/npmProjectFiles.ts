// `npm ci` / `npm install` without names install what package.json and its lock file in the
// working directory list. Those files are known when a COPY put them there from the build
// context; their text comes from the context reader (read in the background).
import { cleanGoPath } from './goPath';
import type { ContextFilesReader, Lookup, NpmProjectFiles } from './sizeReaders';
import type { StageFileState } from './stageFileState';

/** npm reads npm-shrinkwrap.json before package-lock.json. */
const LOCK_FILES = ['npm-shrinkwrap.json', 'package-lock.json'];

export function readNpmProjectFiles(state: StageFileState, reader: ContextFilesReader | undefined, workdir: string): Lookup<NpmProjectFiles> {
  const dir = cleanGoPath(workdir || '/');
  const textAt = (name: string): Lookup<string> | undefined => {
    const path = cleanGoPath(`${dir}/${name}`);
    const file = state.below(path).find((f) => f.path === path && f.entry.kind === 'file');
    if (!file) return undefined;
    if (!file.node || !reader?.text) return { state: 'unknown', reason: `${path} was not copied from the build context` };
    return reader.text(file.node);
  };
  const manifest = textAt('package.json');
  if (!manifest) return { state: 'unknown', reason: `no package.json known in ${dir} (copy it with a COPY before this RUN)` };
  if (manifest.state !== 'known') return manifest;
  const project: NpmProjectFiles = { dir, manifest: manifest.value };
  for (const name of LOCK_FILES) {
    const lock = textAt(name);
    if (!lock) continue;
    if (lock.state !== 'known') return lock;
    return { state: 'known', value: { ...project, lockFile: lock.value, lockFileName: name } };
  }
  return { state: 'known', value: project };
}
