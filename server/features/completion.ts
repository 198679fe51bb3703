// Completion: instructions and snippets, flags per instruction and their values (`--mount` fields
// per type), stage names, variables inside `$`/`${`, image names and tags from the local store and
// from the registry's tag list (fetched in the background: a later request sees them), directives.
import {
  CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type Position, type Range,
} from 'vscode-languageserver';
import { planWithoutWaiting, type DocumentModel } from '../documentModels';
import { sharedImageCatalog, sharedRegistryTags, type ImageCatalog, type RegistryTagLists } from '../images';
import { localTags, localTagsOf, repositoryOf } from '../images/imageNames';
import { formatBytes } from '../plan/size/formatBytes';
import type { DockerfileSyntax, InstructionNode } from '../parser/types';
import type { LayerPlan, PlannedStage } from '../plan/types';
import { runSafely } from '../requestRunner';
import { comparePositions, lastInstructionIndexBefore, rangeContains, variablesBefore } from './docs/cursor';
import { buildCheckNames, directiveDocs, findDirectiveDoc } from './docs/directiveDocs';
import { flagDocs, flagSignature, type FlagDoc } from './docs/flagDocs';
import { findMountOption, isMountType, mountOptionDocs, mountTypeDocs, mountTypes } from './docs/mountOptionDocs';
import type { Feature } from './feature';
import { instructionDocs, predefinedArgs } from './instructionDocs';
import { instructionSnippets } from './docs/snippets';

export interface CompletionSources {
  images?: ImageCatalog;
  tags?: RegistryTagLists;
  /** The client expands snippets (`completionItem.snippetSupport`); without it snippet items are left out. */
  snippets?: boolean;
}

/** What the editor shows: the line the cursor is on and where the cursor is. */
export interface CompletionRequest {
  lineText: string;
  position: Position;
}

type Items = { items: CompletionItem[]; incomplete?: boolean };

const NOT_IN_ONBUILD = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);
const CACHE_TARGETS = ['/root/.cache', '/var/cache/apt', '/var/lib/apt', '/root/.cache/pip', '/root/.npm', '/usr/local/share/.cache/yarn', '/root/.cache/go-build', '/go/pkg/mod', '/root/.m2', '/root/.gradle', '/usr/local/cargo/registry', '/root/.cache/uv'];
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGKILL', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export function computeCompletion(model: DocumentModel, request: CompletionRequest, sources: CompletionSources = {}): CompletionList {
  const result = complete(model, request, sources);
  const items = sources.snippets === false ? result.items.filter((i) => i.insertTextFormat !== InsertTextFormat.Snippet) : result.items;
  return { isIncomplete: result.incomplete ?? false, items };
}

function complete(model: DocumentModel, { lineText, position }: CompletionRequest, sources: CompletionSources): Items {
  // Never waits for sizes on a large document (completion reads stages and variables only), and
  // reads the plan only where it needs it (instruction keywords do not).
  const { syntax } = model;
  const plan = (): LayerPlan => planWithoutWaiting(model);
  const prefix = lineText.slice(0, position.character);
  const suffix = lineText.slice(position.character);
  if (/^\s*#/.test(prefix)) return inDirectiveRegion(syntax, position.line) ? directiveCompletions(prefix, position, sources) : { items: [] };

  const index = lastInstructionIndexBefore(syntax, position);
  const candidate = index >= 0 ? syntax.instructions[index] : undefined;
  const inside = candidate && position.line <= candidate.range.end.line && !rangeContains(candidate.keyword.range, position) ? candidate : undefined;
  if (!inside) {
    const word = /^\s*([A-Za-z]*)$/.exec(prefix);
    if (!word) return { items: [] };
    const typingOver = candidate && rangeContains(candidate.keyword.range, position) ? 1 : 0;
    return keywordCompletions(syntax, index - typingOver, replaceRange(position, word[1].length), false);
  }
  let instruction: InstructionNode = inside;
  if (inside.name === 'ONBUILD') {
    const nested = inside.onbuild;
    const token = /([A-Za-z]*)$/.exec(prefix)?.[1] ?? '';
    if (!nested || rangeContains(nested.keyword.range, position)) {
      return /\bONBUILD\s+[A-Za-z]*$/i.test(prefix) ? keywordCompletions(syntax, index, replaceRange(position, token.length), true) : { items: [] };
    }
    instruction = nested;
  }

  const token = /(\S*)$/.exec(prefix)?.[1] ?? '';
  const tokenStart: Position = { line: position.line, character: position.character - token.length };
  const variable = variableCompletions(plan, index, instruction, token, suffix, position);
  if (variable) return variable;

  const argsBefore = instruction.args.filter((a) => comparePositions(a.range.end, tokenStart) <= 0 && comparePositions(a.range.start, tokenStart) < 0).length;
  if (token.startsWith('--') && argsBefore === 0) return flagCompletions(model, instruction, token, position, sources);
  if (instruction === inside) {
    switch (instruction.name) {
      case 'FROM':
        if (token.startsWith('-')) return { items: [] };
        if (argsBefore === 0) return imageCompletions(token, position, sources, earlierStages(plan(), position), true);
        if (argsBefore === 1) return { items: [keyword('AS', replaceRange(position, token.length), 'Names this stage')] };
        return { items: [] };
      case 'HEALTHCHECK':
        return argsBefore === 0 && /^[A-Za-z]*$/.test(token)
          ? { items: ['CMD', 'NONE'].map((k) => keyword(k, replaceRange(position, token.length), k === 'CMD' ? 'Command that checks health' : 'Disable the inherited check')) }
          : { items: [] };
      case 'STOPSIGNAL':
        return argsBefore === 0 ? { items: SIGNALS.map((s) => value(s, replaceRange(position, token.length), CompletionItemKind.EnumMember)) } : { items: [] };
      case 'ARG':
        return /^[A-Za-z_]*$/.test(token) ? argNameCompletions(plan(), index, position, token) : { items: [] };
      default:
        return { items: [] };
    }
  }
  return { items: [] };
}

// ---- instructions ------------------------------------------------------------------------------

/** `lastBefore`: index of the last complete instruction above the cursor. */
function keywordCompletions(syntax: DockerfileSyntax, lastBefore: number, range: Range, inOnbuild: boolean): Items {
  const lower = prefersLowerCase(syntax);
  const firstFrom = syntax.instructions.findIndex((i) => i.name === 'FROM');
  const beforeFirstFrom = firstFrom < 0 || firstFrom > lastBefore;
  const names = Object.keys(instructionDocs).filter((n) => (inOnbuild ? !NOT_IN_ONBUILD.has(n) : !beforeFirstFrom || n === 'FROM' || n === 'ARG'));
  const items: CompletionItem[] = names.map((name, i) => {
    const doc = instructionDocs[name];
    const label = lower ? name.toLowerCase() : name;
    return {
      label,
      kind: CompletionItemKind.Keyword,
      detail: doc.syntax,
      documentation: { kind: 'markdown', value: doc.summary },
      textEdit: { range, newText: `${label} ` },
      sortText: `0${String(i).padStart(2, '0')}`,
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    };
  });
  for (const snippet of instructionSnippets(syntax.escapeChar)) {
    if (!names.includes(snippet.instruction)) continue;
    const body = lower ? snippet.body.replace(/^[A-Z]+/, (k) => k.toLowerCase()) : snippet.body;
    items.push({
      label: snippet.label,
      kind: CompletionItemKind.Snippet,
      detail: snippet.detail,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: body },
      filterText: lower ? snippet.instruction.toLowerCase() : snippet.instruction,
      sortText: `1${snippet.label}`,
    });
  }
  return { items };
}

function prefersLowerCase(syntax: DockerfileSyntax): boolean {
  let lower = 0;
  let upper = 0;
  for (const i of syntax.instructions.slice(0, 50)) {
    if (i.keyword.text === i.keyword.text.toLowerCase()) lower++;
    else if (i.keyword.text === i.keyword.name) upper++;
  }
  return lower > upper;
}

// ---- flags -------------------------------------------------------------------------------------

function flagCompletions(model: DocumentModel, instruction: InstructionNode, token: string, position: Position, sources: CompletionSources): Items {
  const flags = flagDocs[instruction.name] ?? [];
  const eq = token.indexOf('=');
  if (eq < 0) {
    const used = new Set(instruction.flags.filter((f) => !rangeContains(f.range, position)).map((f) => f.name));
    const range = replaceRange(position, token.length);
    const items: CompletionItem[] = [];
    for (const flag of flags) {
      if (used.has(flag.name) && !flag.repeatable) continue;
      items.push(flagItem(flag, range, instruction.name));
      if (flag.name === 'mount') {
        for (const type of mountTypes) items.push(mountSnippet(type, range));
      }
    }
    return { items };
  }
  const name = token.slice(2, eq);
  const typed = token.slice(eq + 1);
  const flag = flags.find((f) => f.name === name);
  if (!flag) return { items: [] };
  if (name === 'mount') return mountValueCompletions(planWithoutWaiting(model), typed, position, sources);
  if (name === 'from') return stageAndImageCompletions(planWithoutWaiting(model), typed, position, sources);
  return { items: (flag.values ?? []).map((v) => value(v, replaceRange(position, typed.length), CompletionItemKind.Value)) };
}

function flagItem(flag: FlagDoc, range: Range, instruction: string): CompletionItem {
  const text = flag.value ? `--${flag.name}=` : `--${flag.name}`;
  const notes = [flag.labs ? 'labs' : '', flag.since ? `frontend ${flag.since}+` : ''].filter(Boolean).join(', ');
  return {
    label: `--${flag.name}`,
    kind: CompletionItemKind.Property,
    detail: `${instruction} ${flagSignature(flag)}${notes ? ` (${notes})` : ''}`,
    documentation: { kind: 'markdown', value: flag.summary },
    textEdit: { range, newText: text },
    sortText: `0${flag.name}`,
    ...(flag.value ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

function mountSnippet(type: string, range: Range): CompletionItem {
  const rest: Record<string, string> = {
    cache: ',target=${1|' + CACHE_TARGETS.join(',') + '|}${2:,sharing=locked}',
    bind: ',source=${1:.},target=${2:/src}',
    tmpfs: ',target=${1:/tmp}',
    secret: ',id=${1:secret},target=${2:/run/secrets/${1}}',
    ssh: '',
  };
  return {
    label: `--mount=type=${type}`,
    kind: CompletionItemKind.Snippet,
    detail: 'RUN --mount',
    documentation: { kind: 'markdown', value: mountTypeDocs[type as keyof typeof mountTypeDocs] },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: `--mount=type=${type}${rest[type] ?? ''}` },
    sortText: `1mount${type}`,
  };
}

function mountValueCompletions(plan: LayerPlan, typed: string, position: Position, sources: CompletionSources): Items {
  const fields = typed.split(',');
  const current = fields[fields.length - 1];
  const earlier = fields.slice(0, -1).map((f) => f.split('=')[0].toLowerCase());
  const typeField = fields.slice(0, -1).find((f) => f.toLowerCase().startsWith('type='));
  const type = typeField ? typeField.slice(5) : 'bind';
  const eq = current.indexOf('=');
  if (eq < 0) {
    const range = replaceRange(position, current.length);
    const items: CompletionItem[] = [];
    if (!earlier.includes('type')) items.push(fieldItem('type', 'Mount type: bind (default), cache, tmpfs, secret or ssh.', range, true));
    if (isMountType(type)) {
      for (const option of mountOptionDocs[type]) {
        if (earlier.includes(option.key) || option.aliases?.some((a) => earlier.includes(a))) continue;
        items.push(fieldItem(option.key, option.summary, range, !option.bare));
      }
    }
    return { items };
  }
  const key = current.slice(0, eq).toLowerCase();
  const typedValue = current.slice(eq + 1);
  const range = replaceRange(position, typedValue.length);
  if (key === 'type') {
    return { items: mountTypes.map((t) => ({ ...value(t, range, CompletionItemKind.EnumMember), documentation: { kind: 'markdown', value: mountTypeDocs[t] } })) };
  }
  if (!isMountType(type)) return { items: [] };
  const option = findMountOption(type, key);
  if (!option) return { items: [] };
  if (option.key === 'from') return stageAndImageCompletions(plan, typedValue, position, sources);
  if (option.key === 'target' && type === 'cache') return { items: CACHE_TARGETS.map((t) => value(t, range, CompletionItemKind.Folder)) };
  return { items: (option.values ?? []).map((v) => value(v, range, CompletionItemKind.Value)) };
}

function fieldItem(key: string, summary: string, range: Range, withValue: boolean): CompletionItem {
  return {
    label: withValue ? `${key}=` : key,
    kind: CompletionItemKind.Field,
    documentation: { kind: 'markdown', value: summary },
    textEdit: { range, newText: withValue ? `${key}=` : key },
    ...(withValue ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

// ---- stages and images -------------------------------------------------------------------------

function earlierStages(plan: LayerPlan, position: Position): PlannedStage[] {
  return plan.stages.filter((s) => s.name && comparePositions(s.range.start, position) < 0 && !rangeContains(s.range, position));
}

function stageAndImageCompletions(plan: LayerPlan, typed: string, position: Position, sources: CompletionSources): Items {
  const range = replaceRange(position, typed.length);
  const stages = earlierStages(plan, position).map((s) => ({
    ...value(s.name as string, range, CompletionItemKind.Module),
    detail: `stage #${s.index}`,
    sortText: `0${s.name}`,
  }));
  const images = imageCompletions(typed, position, sources);
  return { items: [...stages, ...images.items], incomplete: images.incomplete };
}

function imageCompletions(typed: string, position: Position, sources: CompletionSources, stages: readonly PlannedStage[] = [], withScratch = false): Items {
  const images = sources.images?.images() ?? [];
  const colon = typed.lastIndexOf(':');
  const at = typed.indexOf('@');
  if (at >= 0) {
    const repository = repositoryOf(typed.slice(0, at));
    const range = replaceRange(position, typed.length - at - 1);
    const digests = images.filter((i) => repository && i.names.some((n) => repositoryOf(n) === repository));
    return { items: digests.map((i) => ({ ...value(i.digest, range, CompletionItemKind.Constant), detail: `${formatBytes(i.size)} · ${i.names.join(', ')}` })) };
  }
  if (colon > typed.lastIndexOf('/')) {
    const repository = repositoryOf(typed.slice(0, colon));
    if (!repository) return { items: [] };
    const range = replaceRange(position, typed.length - colon - 1);
    const items: CompletionItem[] = [];
    const seen = new Set<string>();
    for (const local of localTagsOf(images, repository)) {
      seen.add(local.tag);
      items.push({ ...value(local.tag, range, CompletionItemKind.Constant), detail: `local store · ${formatBytes(local.image.size)}`, sortText: `0${local.tag}` });
    }
    const remote = sources.tags?.tags(repository);
    remote?.forEach((tag, i) => {
      if (seen.has(tag)) return;
      items.push({ ...value(tag, range, CompletionItemKind.Constant), detail: repository.split('/')[0], sortText: `1${String(i).padStart(5, '0')}` });
    });
    return { items, incomplete: remote === undefined && sources.tags !== undefined && sources.tags.error(repository) === undefined };
  }
  const range = replaceRange(position, typed.length);
  const items: CompletionItem[] = [];
  for (const s of stages) items.push({ ...value(s.name as string, range, CompletionItemKind.Module), detail: `stage #${s.index}`, sortText: `0${s.name}` });
  if (withScratch) items.push({ ...value('scratch', range, CompletionItemKind.Keyword), detail: 'empty base', sortText: '2scratch' });
  const seen = new Set<string>();
  for (const local of localTags(images)) {
    if (seen.has(local.name)) continue;
    seen.add(local.name);
    items.push({ ...value(local.name, range, CompletionItemKind.Reference), detail: `local store · ${formatBytes(local.image.size)} · ${local.image.layers} layers`, sortText: `1${local.name}` });
  }
  return { items, incomplete: images.length === 0 && sources.images !== undefined };
}

// ---- variables ---------------------------------------------------------------------------------

function variableCompletions(plan: () => LayerPlan, index: number, instruction: InstructionNode, token: string, suffix: string, position: Position): Items | undefined {
  const dollar = token.lastIndexOf('$');
  if (dollar < 0) return undefined;
  const after = token.slice(dollar + 1);
  const match = /^(\{)?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(after);
  if (!match) return undefined;
  const braced = match[1] !== undefined;
  const typed = match[2] ?? '';
  const range = replaceRange(position, typed.length);
  const close = braced && !suffix.startsWith('}') ? '}' : '';
  const scope = variablesBefore(plan(), index, instruction.name === 'FROM');
  const items: CompletionItem[] = [];
  for (const [name, v] of scope) {
    items.push({
      label: name,
      kind: v.kind === 'env' ? CompletionItemKind.Variable : CompletionItemKind.Constant,
      detail: v.value === undefined ? `${v.kind === 'env' ? 'ENV' : 'ARG'} (no value)` : `${v.kind === 'env' ? 'ENV' : 'ARG'} = ${v.value}`,
      textEdit: { range, newText: name + close },
      sortText: `0${name}`,
    });
  }
  return { items };
}

function argNameCompletions(plan: LayerPlan, index: number, position: Position, typed: string): Items {
  const range = replaceRange(position, typed.length);
  const declared = variablesBefore(plan, index, false);
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const inStage = plan.stages.some((s) => comparePositions(s.range.start, position) < 0);
  if (inStage) {
    for (const arg of plan.globalArgs) {
      if (seen.has(arg.name) || declared.get(arg.name)?.kind === 'arg') continue;
      seen.add(arg.name);
      items.push({ ...value(arg.name, range, CompletionItemKind.Constant), detail: `global ARG${arg.value === undefined ? '' : ` = ${arg.value}`}`, documentation: 'Re-declare the global build arg to use it in this stage.' });
    }
  }
  for (const [name, doc] of Object.entries(predefinedArgs)) {
    if (seen.has(name)) continue;
    items.push({ ...value(name, range, CompletionItemKind.Constant), detail: 'predefined build arg', documentation: { kind: 'markdown', value: doc }, sortText: `1${name}` });
  }
  return { items };
}

// ---- directives --------------------------------------------------------------------------------

function inDirectiveRegion(syntax: DockerfileSyntax, line: number): boolean {
  if (syntax.instructions.length > 0 && syntax.instructions[0].range.start.line < line) return false;
  const directiveLines = new Set(syntax.directives.map((d) => d.range.start.line));
  for (let l = 0; l < line; l++) if (!directiveLines.has(l)) return false;
  return true;
}

function directiveCompletions(prefix: string, position: Position, sources: CompletionSources): Items {
  const nameOnly = /^\s*#\s*([a-z]*)$/i.exec(prefix);
  if (nameOnly) {
    const range = replaceRange(position, nameOnly[1].length);
    return {
      items: directiveDocs.map((d) => ({
        label: `${d.name}=`,
        kind: CompletionItemKind.Keyword,
        detail: d.syntax,
        documentation: { kind: 'markdown', value: d.summary },
        textEdit: { range, newText: `${d.name}=` },
        command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
      })),
    };
  }
  const withValue = /^\s*#\s*([a-z]+)\s*=\s*(.*)$/i.exec(prefix);
  const doc = withValue ? findDirectiveDoc(withValue[1]) : undefined;
  if (!withValue || !doc) return { items: [] };
  const typed = withValue[2];
  if (doc.name === 'check') return checkDirectiveCompletions(typed, position);
  if (doc.name === 'syntax') {
    const colon = typed.lastIndexOf(':');
    if (colon > typed.lastIndexOf('/')) {
      return imageCompletions(typed, position, sources);
    }
  }
  const range = replaceRange(position, typed.length);
  return { items: doc.values.map((v) => value(v, range, CompletionItemKind.Value)) };
}

function checkDirectiveCompletions(typed: string, position: Position): Items {
  const part = typed.slice(typed.lastIndexOf(';') + 1);
  const eq = part.indexOf('=');
  if (eq < 0) {
    const range = replaceRange(position, part.length);
    return { items: ['skip=', 'error=', 'experimental='].map((k) => ({ ...value(k, range, CompletionItemKind.Property), command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } })) };
  }
  const key = part.slice(0, eq).trim();
  const list = part.slice(eq + 1);
  if (key === 'error') return { items: ['true', 'false'].map((v) => value(v, replaceRange(position, list.length), CompletionItemKind.Value)) };
  const current = list.slice(list.lastIndexOf(',') + 1);
  const given = new Set(list.split(',').map((s) => s.trim()));
  const range = replaceRange(position, current.length);
  const names = ['all', ...buildCheckNames].filter((n) => !given.has(n) || n === current);
  return { items: names.map((n) => value(n, range, CompletionItemKind.EnumMember)) };
}

// ---- helpers -----------------------------------------------------------------------------------

function replaceRange(position: Position, length: number): Range {
  return { start: { line: position.line, character: position.character - length }, end: position };
}

function value(text: string, range: Range, kind: CompletionItemKind): CompletionItem {
  return { label: text, kind, textEdit: { range, newText: text } };
}

function keyword(text: string, range: Range, detail: string): CompletionItem {
  return { label: text, kind: CompletionItemKind.Keyword, detail, textEdit: { range, newText: `${text} ` } };
}

/** Completion with the server's shared store catalog and registry tag cache by default. */
export function createCompletionFeature(images: () => ImageCatalog = sharedImageCatalog, tags: () => RegistryTagLists = sharedRegistryTags): Feature {
  let snippets = true;
  return {
    name: 'completion',
    capabilities: (client) => {
      snippets = client.textDocument?.completion?.completionItem?.snippetSupport === true;
      return { completionProvider: { triggerCharacters: ['-', '=', '$', '{', ':', ',', '@'], resolveProvider: false } };
    },
    register({ connection, documents, models }) {
      connection.onCompletion((params, token) => runSafely(connection, 'completion', null, token, () => {
        const document = documents.get(params.textDocument.uri);
        if (!document) return null;
        const { line } = params.position;
        const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
        return computeCompletion(models.get(document), { lineText, position: params.position }, { images: images(), tags: tags(), snippets });
      }));
    },
  };
}

export const completionFeature: Feature = createCompletionFeature();
