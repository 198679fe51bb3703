// COPY and ADD: the exact layer from the files that would be copied.
import type { PlannedStep, StepDetails } from '../types';
import type { FileNode } from './fileTree';
import { baseGoPath, cleanGoPath } from './goPath';
import { selectCopySources, type CopiedPath } from './selectCopySources';
import type { SizeReaders } from './sizeReaders';
import { type SizeFinding, type SizePrediction, unknownSize, type WrittenEntries } from './sizePrediction';
import type { StageFileState, StepRef } from './stageFileState';
import { tarLayerSize, type LayerEntry } from './tarLayerSize';
import { formatBytes } from './formatBytes';

type CopyDetails = Extract<StepDetails, { kind: 'copy' | 'add' }>;

/** What the stages before the one being predicted hold, by stage index. */
export interface StagesBefore<T> {
  get(stageIndex: number): T | undefined;
}

export interface StepContext {
  ref: StepRef;
  state: StageFileState;
  readers: SizeReaders;
  /** Final known files of stages predicted so far, by stage index. */
  stageStates: StagesBefore<StageFileState>;
  stageName(index: number): string;
}

const URL_SOURCE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

function parseOwner(chown: string | undefined): { uid?: number; gid?: number } {
  const m = /^(\d+)(?::(\d+))?$/.exec(chown ?? '');
  return m ? { uid: Number(m[1]), gid: m[2] === undefined ? Number(m[1]) : Number(m[2]) } : {};
}

function entryOf(copied: CopiedPath, owner: { uid?: number; gid?: number }): { entry: LayerEntry; node: FileNode } {
  const { node } = copied;
  const kind = node.kind === 'dir' ? 'dir' : node.kind;
  return { entry: { path: copied.path, kind, size: kind === 'file' ? node.size : 0, linkTarget: node.linkTarget, inode: node.inode, ...owner }, node };
}

function destinationOf(details: CopyDetails, workdir: string): string {
  return details.destination.startsWith('/') ? cleanGoPath(details.destination) : cleanGoPath(`${workdir || '/'}/${details.destination}`);
}

/** Predicts a COPY/ADD layer and records what it writes in `ctx.state`. */
export function predictCopyStep(step: PlannedStep, details: CopyDetails, ctx: StepContext): SizePrediction {
  const owner = parseOwner(details.chown);
  const written: WrittenEntries = [];
  const findings: SizeFinding[] = [];
  const notes: string[] = [];
  let confidence: SizePrediction['confidence'] = 'exact';
  const dest = destinationOf(details, step.workdir);
  const destIsDir = /\/\.?$/.test(details.destination) || details.destination === '.' || details.sources.length + details.heredocs.length > 1 || ctx.state.isDirectory(dest);

  // Here-documents are files named after their delimiter (`COPY <<EOF /etc/x.conf`).
  for (const heredoc of details.heredocs) {
    const path = destIsDir ? `${dest}/${heredoc.name}` : dest;
    written.push({ entry: { path, kind: 'file', size: Buffer.byteLength(heredoc.content), ...owner } });
  }
  if (details.heredocs.length > 0) notes.push(`${details.heredocs.length} here-document${details.heredocs.length > 1 ? 's' : ''}`);
  const fileSources: string[] = [];
  for (const source of details.sources) {
    if (source.startsWith('<<')) continue;
    if (URL_SOURCE.test(source)) {
      if (details.kind !== 'add' || /^git@|\.git(#.*)?$|^git:|^ssh:/i.test(source)) return unknownSize(`ADD of a Git repository: size known once fetched`);
      const length = ctx.readers.downloads?.contentLength(source);
      if (!length || length.state !== 'known') return unknownSize(`ADD of a URL: size known once fetched${length ? ` (${length.reason})` : ''}`);
      const name = baseGoPath(new URL(source).pathname) || 'index.html';
      written.push({ entry: { path: destIsDir ? `${dest}/${name}` : dest, kind: 'file', size: length.value, ...owner } });
      confidence = 'high';
      notes.push('Content-Length of the URL');
      continue;
    }
    fileSources.push(source);
  }

  if (fileSources.length > 0) {
    let tree: FileNode | undefined;
    let origin: string;
    let sourceState: StageFileState | undefined;
    if (details.from.kind === 'context') {
      tree = ctx.readers.context?.tree();
      if (!tree) return unknownSize(ctx.readers.context ? ctx.readers.context.unavailableReason() : 'the build context is not available');
      origin = 'the build context';
    } else if (details.from.kind === 'stage') {
      sourceState = ctx.stageStates.get(details.from.stageIndex);
      if (!sourceState) return unknownSize(`stage ${ctx.stageName(details.from.stageIndex)} is not predicted before this step`);
      tree = sourceState.toTree();
      origin = `stage ${ctx.stageName(details.from.stageIndex)}`;
    } else {
      return unknownSize(`COPY --from=${details.from.ref}: the files of an image are known only after it is pulled`);
    }
    const selection = selectCopySources(tree, {
      sources: fileSources,
      destination: details.destination,
      workdir: step.workdir,
      excludes: details.excludes,
      parents: details.parents,
      isDirectory: (p) => ctx.state.isDirectory(p),
    });
    if (selection.error) {
      findings.push({ code: 'size-error', stageIndex: ctx.ref.stage, stepIndex: ctx.ref.step, message: selection.error, paths: [] });
      return unknownSize(selection.error, findings);
    }
    if (selection.missing.length > 0) {
      if (details.from.kind === 'stage' && sourceState) {
        return unknownSize(`${selection.missing.join(', ')} in ${origin} is produced by a RUN step; its size is known after a build`);
      }
      const message = `${selection.missing.join(', ')} not found in ${origin}`;
      findings.push({ code: 'missing-source', stageIndex: ctx.ref.stage, stepIndex: ctx.ref.step, message, paths: selection.missing });
      return unknownSize(message, findings);
    }
    for (const copied of selection.entries) {
      if (details.kind === 'add' && details.from.kind === 'context' && details.unpack !== false && copied.node.kind === 'file') {
        const archive = ctx.readers.context?.archive(copied.source);
        if (archive?.state === 'pending' || archive?.state === 'unknown') return unknownSize(`ADD ${copied.source}: ${archive.reason}`);
        if (archive?.state === 'archive') {
          const into = dest;
          for (const e of archive.entries) {
            const path = cleanGoPath(`${into}/${e.path}`);
            written.push({ entry: { ...e, path, linkTarget: e.kind === 'hardlink' && e.linkTarget ? cleanGoPath(`${into}/${e.linkTarget}`) : e.linkTarget, ...owner } });
          }
          written.push({ entry: { path: into, kind: 'dir', size: 0 } });
          notes.push(`unpacks ${copied.source} (${archive.format})`);
          continue;
        }
      }
      written.push(entryOf(copied, owner));
    }
    if (sourceState) {
      const touched = selection.entries.filter((c) => {
        const writer = sourceState?.writerOf('/' + c.source);
        return writer !== undefined && sourceState?.touchedLaterByUnknown('/' + c.source, writer);
      });
      if (touched.length > 0) {
        confidence = 'medium';
        notes.push(`assumes later RUN steps of ${origin} leave ${touched.length === 1 ? touched[0].source : `${touched.length} paths`} unchanged`);
      } else if (confidence === 'exact') confidence = 'high';
    }
    notes.unshift(`${selection.entries.filter((e) => e.node.kind === 'file').length} files from ${origin}`);
  }

  const size = tarLayerSize(written.map((w) => w.entry));
  ctx.state.write(ctx.ref, written);
  ctx.state.addDirectory(destIsDir ? dest : dest.slice(0, dest.lastIndexOf('/')) || '/');
  return {
    bytes: size.tarBytes,
    contentBytes: size.contentBytes,
    confidence,
    basis: `${notes.join('; ')}: ${size.entryCount} entries, ${formatBytes(size.contentBytes)} of content`,
    findings,
  };
}
