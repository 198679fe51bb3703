// Public entry of the build-context scanner: a cached, watched view of the files BuildKit would
// send, and the readers the plan (checksums) and size prediction (files, archives) use.
import { BuildContextScanner, type ContextScannerOptions } from './contextScanner';
import { ContextReader } from './contextReader';

export { BuildContextScanner, type ContextScanState, type ContextScannerOptions } from './contextScanner';
export { ContextReader } from './contextReader';
export { readDockerignore, type DockerignoreFile, type IgnoreFileProblem, type IgnorePatternLine } from './readDockerignore';
export { dockerignoreCandidates } from './selectDockerignore';
export { listArchive } from './listArchive';

export interface OpenBuildContext {
  scanner: BuildContextScanner;
  /** Implements both `BuildContextReader` (PlanOptions.context) and `ContextFilesReader` (SizeReaders.context). */
  reader: ContextReader;
  /** Resolves after the first scan. */
  ready: Promise<void>;
  dispose(): void;
}

/** Starts scanning (and watching) a build context. */
export function openBuildContext(options: ContextScannerOptions): OpenBuildContext {
  const scanner = new BuildContextScanner(options);
  const reader = new ContextReader(scanner);
  return { scanner, reader, ready: scanner.start(), dispose: () => scanner.dispose() };
}
