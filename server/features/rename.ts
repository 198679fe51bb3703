// Rename a stage or an ARG/ENV variable everywhere it is meant, or refuse with the reason when the
// result could build differently (name collisions, values set from outside, text that may or may
// not be expanded, names BuildKit or programs give a meaning to, invalid names).
import { ResponseError, ErrorCodes, type Position, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { planWithoutWaiting, type DocumentModel } from '../documentModels';
import type { ServerSettings } from '../settings';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';
import {
  comparePositions, describeStage, documentOccurrences, predefinedArgs,
  type DockerfileSymbol, type DocumentOccurrences, type Occurrence,
} from './occurrences';

/** Environment variables that programs read by name: renaming them changes behaviour. */
export const wellKnownEnvironment = new Set([
  'PATH', 'HOME', 'USER', 'SHELL', 'HOSTNAME', 'TERM', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'PWD', 'OLDPWD', 'IFS',
  'TMPDIR', 'LD_LIBRARY_PATH', 'LD_PRELOAD', 'DEBIAN_FRONTEND', 'NODE_ENV', 'NODE_OPTIONS', 'NODE_PATH', 'NPM_CONFIG_PREFIX',
  'PYTHONPATH', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE', 'PIP_NO_CACHE_DIR', 'PIP_DISABLE_PIP_VERSION_CHECK',
  'VIRTUAL_ENV', 'JAVA_HOME', 'JAVA_OPTS', 'MAVEN_OPTS', 'GOPATH', 'GOROOT', 'GOPROXY', 'GOFLAGS', 'GOOS', 'GOARCH',
  'CGO_ENABLED', 'CARGO_HOME', 'RUSTUP_HOME', 'GEM_HOME', 'BUNDLE_PATH', 'RAILS_ENV', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'CC', 'CXX', 'CFLAGS', 'CXXFLAGS', 'LDFLAGS', 'MAKEFLAGS', 'PKG_CONFIG_PATH', 'DOCKER_HOST', 'CI',
]);

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** BuildKit's stage-name rule (applied to the lower-cased name). */
const stageName = /^[a-z][a-z0-9_.-]*$/;
const reservedStageNames = new Set(['scratch', 'context']);

export type RenameTarget = { ok: true; occurrence: Occurrence; symbol: DockerfileSymbol } | { ok: false; reason: string };

/** What a rename at `position` would rename, or why it cannot (checks that do not depend on the new name). */
export function renameTarget(model: DocumentModel, occurrences: DocumentOccurrences, position: Position, settings: ServerSettings): RenameTarget {
  const occurrence = occurrences.at(position);
  if (!occurrence) return refuse('Place the cursor on a stage name or on an ARG/ENV variable to rename it.');
  const symbol = occurrence.symbol;
  if (!symbol) {
    return refuse(`'${occurrence.name}' is not declared in this Dockerfile (it comes from the base image, the shell or BuildKit), so there is no declaration to rename with it.`);
  }
  if (symbol.kind === 'stage') return stageTarget(model, occurrences, occurrence, symbol, settings);
  return variableTarget(occurrences, occurrence, symbol, settings);
}

function stageTarget(model: DocumentModel, occurrences: DocumentOccurrences, occurrence: Occurrence, symbol: DockerfileSymbol, settings: ServerSettings): RenameTarget {
  if (!symbol.name) return refuse(`${describeStage(symbol)} has no name; give it one with 'AS name' on its FROM line (references by index need no renaming).`);
  if (occurrence.byIndex) return refuse(`This refers to ${describeStage(symbol)} by its index; rename the stage at its 'AS ${symbol.name}'.`);
  if (settings.build.target.toLowerCase() === symbol.name) {
    return refuse(`${describeStage(symbol)} is the configured build target (layerlens.build.target); renaming it would change what gets built.`);
  }
  const dynamic = dynamicReferenceTo(model, occurrences, symbol);
  if (dynamic) return refuse(dynamic);
  for (const instruction of model.syntax.instructions) {
    if (instruction.name !== 'ARG' && instruction.name !== 'ENV') continue;
    for (const pair of instruction.pairs) {
      if (pair.value && unquote(pair.value.value).toLowerCase() === symbol.name) {
        return refuse(`${instruction.name} ${pair.key.value}=${pair.value.value} (line ${pair.range.start.line + 1}) may name ${describeStage(symbol)} through a variable; rename cannot follow it.`);
      }
    }
  }
  return { ok: true, occurrence, symbol };
}

/** A stage reference through a variable that the plan resolved to `stage` (or, without a plan, any such reference). */
function dynamicReferenceTo(model: DocumentModel, occurrences: DocumentOccurrences, stage: DockerfileSymbol): string | undefined {
  const references = occurrences.dynamicStageReferences;
  if (references.length === 0) return undefined;
  const planned = planWithoutWaiting(model).stages.length === occurrences.stages.length;
  for (const reference of references) {
    const resolvedHere = !planned || planWithoutWaiting(model).stages.some((s) => s.dependencies.some((d) => d.stageIndex === stage.scope && overlaps(d.range, reference.range)));
    if (resolvedHere) {
      return `Line ${reference.range.start.line + 1} names ${planned ? describeStage(stage) : 'a stage'} through a variable ('${reference.text}'); rename cannot follow it.`;
    }
  }
  return undefined;
}

function variableTarget(occurrences: DocumentOccurrences, occurrence: Occurrence, symbol: DockerfileSymbol, settings: ServerSettings): RenameTarget {
  const name = symbol.name;
  if (predefinedArgs.has(name)) return refuse(`${name} is a build argument that BuildKit sets itself; renaming its ARG would stop it receiving a value.`);
  if (wellKnownEnvironment.has(name)) return refuse(`Programs read ${name} from the environment by that name; renaming it would change what they see.`);
  const uncertain = symbol.occurrences.find((o) => o.uncertain);
  if (uncertain) return refuse(`Renaming ${name} is unsafe: ${uncertain.uncertain}, so it may or may not mean this variable.`);
  if (symbol.kind === 'arg') {
    if (Object.prototype.hasOwnProperty.call(settings.build.args, name)) {
      return refuse(`${name} gets a value from layerlens.build.args (--build-arg ${name}); renaming the ARG would disconnect it.`);
    }
    const twin = otherArgDeclaration(occurrences, symbol);
    if (twin) {
      return refuse(`ARG ${name} is also declared ${scopeName(occurrences, twin.scope)} (line ${twin.range.start.line + 1}); one --build-arg ${name} sets both, so renaming only this one would split them.`);
    }
  }
  return { ok: true, occurrence, symbol };
}

/** Checks `newName` for `target` and returns the edits, or the reason it is refused. */
export function renameEdits(occurrences: DocumentOccurrences, target: DockerfileSymbol, newName: string, settings: ServerSettings): { edits: TextEdit[] } | { reason: string } {
  const problem = target.kind === 'stage' ? stageNameProblem(occurrences, target, newName) : variableNameProblem(occurrences, target, newName, settings);
  if (problem) return { reason: problem };
  const edits = target.occurrences.filter((o) => !o.byIndex).map((o) => ({ range: o.range, newText: newName }));
  return { edits };
}

function stageNameProblem(occurrences: DocumentOccurrences, stage: DockerfileSymbol, newName: string): string | undefined {
  const lower = newName.toLowerCase();
  if (!stageName.test(lower)) {
    return `'${newName}' is not a valid stage name: it must start with a letter and contain only letters, digits, '-', '_' and '.'.`;
  }
  if (reservedStageNames.has(lower)) return `'${newName}' is reserved by BuildKit and cannot name a stage.`;
  if (lower === stage.name) return undefined;
  const other = occurrences.stages.find((s) => s !== stage && s.name === lower);
  if (other) return `A stage named '${lower}' already exists (line ${other.anchor.start.line + 1}).`;
  const image = occurrences.imageNames.get(lower);
  if (image) return `Line ${image.start.line + 1} uses the image '${lower}'; after the rename it would refer to this stage instead.`;
  return undefined;
}

function variableNameProblem(occurrences: DocumentOccurrences, symbol: DockerfileSymbol, newName: string, settings: ServerSettings): string | undefined {
  if (!variableName.test(newName)) {
    return `'${newName}' is not a valid variable name: use letters, digits and '_', not starting with a digit.`;
  }
  if (newName === symbol.name) return undefined;
  if (predefinedArgs.has(newName)) return `${newName} is a build argument that BuildKit sets itself; choose another name.`;
  if (wellKnownEnvironment.has(newName)) return `Programs read ${newName} from the environment; using that name would change their behaviour.`;
  if (symbol.kind === 'arg' && Object.prototype.hasOwnProperty.call(settings.build.args, newName)) {
    return `layerlens.build.args sets ${newName} (--build-arg ${newName}); the renamed ARG would receive that value.`;
  }
  const scopes = new Set(symbol.visibleIn);
  for (const o of symbol.occurrences) scopes.add(o.scope);
  for (const o of occurrences.variablesByName.get(newName) ?? []) {
    if (scopes.has(o.scope)) return `${newName} is already used ${scopeName(occurrences, o.scope)} (line ${o.range.start.line + 1}).`;
    if (symbol.kind === 'arg' && o.symbol?.kind === 'arg' && o.role === 'definition') {
      return `ARG ${newName} already exists ${scopeName(occurrences, o.scope)} (line ${o.range.start.line + 1}); one --build-arg would then set both.`;
    }
  }
  return undefined;
}

function otherArgDeclaration(occurrences: DocumentOccurrences, symbol: DockerfileSymbol): Occurrence | undefined {
  return (occurrences.variablesByName.get(symbol.name) ?? []).find((o) => o.role === 'definition' && o.symbol && o.symbol !== symbol && o.symbol.kind === 'arg');
}

function scopeName(occurrences: DocumentOccurrences, scope: number): string {
  if (scope < 0) return 'before the first FROM';
  const stage = occurrences.stages[scope];
  return stage ? `in ${describeStage(stage)}` : `in stage ${scope}`;
}

function refuse(reason: string): RenameTarget {
  return { ok: false, reason };
}

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;
}

/** Whether the client takes versioned document edits (set from its capabilities at initialize). */
let useDocumentChanges = false;

export const renameFeature: Feature = {
  name: 'rename',
  capabilities(client) {
    useDocumentChanges = client.workspace?.workspaceEdit?.documentChanges === true;
    return { renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true };
  },
  register({ connection, documents, models, settings }) {
    connection.onPrepareRename((params, token) => runSafely(connection, 'prepareRename', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const { model, occurrences } = documentOccurrences(models, document);
      const target = renameTarget(model, occurrences, params.position, settings());
      if (!target.ok) return new ResponseError(ErrorCodes.InvalidRequest, target.reason);
      return { range: target.occurrence.range, placeholder: document.getText(target.occurrence.range) };
    }));
    connection.onRenameRequest((params, token) => runSafely(connection, 'rename', null, token, (): WorkspaceEdit | ResponseError | null => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const { model, occurrences } = documentOccurrences(models, document);
      const target = renameTarget(model, occurrences, params.position, settings());
      if (!target.ok) return new ResponseError(ErrorCodes.InvalidRequest, target.reason);
      const result = renameEdits(occurrences, target.symbol, params.newName, settings());
      if ('reason' in result) return new ResponseError(ErrorCodes.InvalidRequest, result.reason);
      if (!useDocumentChanges) return { changes: { [document.uri]: result.edits } };
      return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: result.edits }] };
    }));
  },
};
