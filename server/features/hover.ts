// Hover: documentation of instructions, flags, mount fields and directives; the value a variable
// has at that point; what the local store knows of a FROM image; a layer step's size and cache state;
// why each diagnostic under the cursor matters and how to fix it.
import type { Hover, Position } from 'vscode-languageserver';
import { planIfReady, planWithoutWaiting, type DocumentModel } from '../documentModels';
import { sharedBuildCache, sharedImageCatalog, type BuildCacheView, type ImageCatalog } from '../images';
import { rangeOfOffsets } from '../parser';
import type { FlagNode, InstructionNode, Range, WordNode } from '../parser/types';
import type { LayerPlan, PlannedStage } from '../plan/types';
import { sharedPublishedDiagnostics } from '../publishedDiagnostics';
import { runSafely } from '../requestRunner';
import {
  directiveAt, lastInstructionIndexBefore, offsetInInstruction, rangeContains,
  stepOfInstruction, variableAt, variablesBefore,
} from './docs/cursor';
import { buildCheckNames, buildCheckUrl, findDirectiveDoc } from './docs/directiveDocs';
import { findFlagDoc, flagSignature } from './docs/flagDocs';
import { formatCumulative, formatLayerSize, layerFiguresOf } from './docs/layerFigures';
import { formatBytes } from '../plan/size/formatBytes';
import { findMountOption, isMountType, mountTypeDocs } from './docs/mountOptionDocs';
import { explainProblemsAt, type ProblemExplanation } from './docs/problemExplanations';
import type { Feature } from './feature';
import { instructionDocs, instructionReferenceUrl, predefinedArgs } from './instructionDocs';

export interface HoverSources {
  images?: ImageCatalog;
  buildCache?: BuildCacheView;
}

export function computeHover(model: DocumentModel, position: Position, sources: HoverSources = {}): Hover | null {
  const { syntax } = model;
  const directive = directiveAt(syntax, position);
  if (directive) return directiveHover(directive.name, directive.value, position, directive.valueRange, directive.range);
  const index = lastInstructionIndexBefore(syntax, position);
  const outer = index >= 0 ? syntax.instructions[index] : undefined;
  if (!outer || !rangeContains(outer.range, position)) return null;
  const instruction = outer.onbuild && rangeContains(outer.onbuild.range, position) ? outer.onbuild : outer;
  const nested = instruction !== outer;

  if (rangeContains(instruction.keyword.range, position)) return keywordHover(model, instruction, nested ? undefined : index, sources);
  const offset = offsetInInstruction(instruction, position);
  if (offset !== undefined && instruction.text.includes('$')) {
    const variable = variableAt(instruction.text, offset, syntax.escapeChar);
    if (variable) return variableHover(model, instruction, index, variable.name, rangeOfOffsets(instruction.segments, variable.start, variable.end));
  }
  const flag = instruction.flags.find((f) => rangeContains(f.range, position));
  if (flag) return flagHover(planWithoutWaiting(model), instruction, flag, position);
  if (instruction.name === 'FROM' && !nested) {
    if (instruction.image && rangeContains(instruction.image.range, position)) return imageHover(planWithoutWaiting(model), index, instruction.image, sources);
    if (instruction.stageName && rangeContains(instruction.stageName.range, position)) {
      const stage = stepOfInstruction(planWithoutWaiting(model), index)?.stage;
      return stage ? markdown(stageSummary(planWithoutWaiting(model), stage, sources), instruction.stageName.range) : null;
    }
  }
  return null;
}

function keywordHover(model: DocumentModel, instruction: InstructionNode, index: number | undefined, sources: HoverSources): Hover {
  const name = instruction.keyword.name;
  const doc = instructionDocs[name];
  const parts: string[] = [];
  if (doc) parts.push(`**${name}** — ${doc.summary}`, '```dockerfile\n' + doc.syntax + '\n```');
  else parts.push(`**${instruction.keyword.text}** is not a Dockerfile instruction.`);
  // On a large document whose plan is still being made, the layer figures follow once it is.
  const plan = index === undefined ? undefined : planIfReady(model);
  const found = plan && index !== undefined ? stepOfInstruction(plan, index) : undefined;
  if (index !== undefined && !plan) parts.push('_Layer figures follow once the plan of this file is made._');
  if (plan && found) {
    const { step, stage } = found;
    const effect = step.createsLayer ? 'creates a filesystem layer' : step.index === 0 ? 'starts the stage' : 'changes image metadata only';
    parts.push(`Step ${step.index + 1} of stage ${stageLabel(stage)}: ${effect}; cache key \`${step.cacheKey.slice(0, 12)}\``);
    const figures = layerFiguresOf(plan, sources).get(step);
    if (figures && (step.createsLayer || step.index === 0)) {
      const size = step.index === 0 ? `base image ${formatLayerSize(figures)}` : `layer ${formatLayerSize(figures)}`;
      const cacheState = figures.cache === 'metadata' ? '' : ` · ${figures.cache}`;
      parts.push(`${size} · image ${formatCumulative(figures)}${cacheState}`);
      const how = [figures.confidence && figures.confidence !== 'unknown' ? `${figures.confidence} confidence` : '', figures.basis ?? ''].filter(Boolean).join(': ');
      if (how) parts.push(`_${how}_`);
      if (step.measuredBytes !== undefined && step.predictedBytes !== undefined && step.measuredBytes !== step.predictedBytes) {
        parts.push(`predicted ${formatBytes(step.predictedBytes)}, measured ${formatBytes(step.measuredBytes)}`);
      }
      if (step.wastedBytes) parts.push(`⚠ ${formatBytes(step.wastedBytes)} of this layer is deleted again later (wasted space).`);
    }
  }
  if (doc) parts.push(`[Reference](${instructionReferenceUrl(name)})`);
  return markdown(parts.join('\n\n'), instruction.keyword.range);
}

function flagHover(plan: LayerPlan, instruction: InstructionNode, flag: FlagNode, position: Position): Hover | null {
  const option = flag.options?.find((o) => rangeContains(o.range, position));
  if (flag.name === 'mount' && option) {
    const type = flag.options?.find((o) => o.key === 'type')?.value ?? 'bind';
    if (option.key === 'type') {
      return isMountType(option.value) ? markdown(`**--mount type=${option.value}** — ${mountTypeDocs[option.value]}`, option.range) : null;
    }
    const doc = isMountType(type) ? findMountOption(type, option.key) : undefined;
    if (doc) {
      const values = doc.values ? `\n\nValues: ${doc.values.map((v) => `\`${v}\``).join(', ')}` : '';
      const fromStage = option.key === 'from' && option.value ? stageNamed(plan, option.value) : undefined;
      const stage = fromStage ? `\n\n${stageSummary(plan, fromStage)}` : '';
      return markdown(`**${doc.key}** (\`--mount type=${type}\`) — ${doc.summary}${values}${stage}`, option.range);
    }
  }
  const doc = findFlagDoc(instruction.name, flag.name);
  if (!doc) return markdown(`\`--${flag.name}\` is not a flag of ${instruction.name}.`, flag.nameRange);
  const parts = [`**--${doc.name}** (${instruction.name}) — ${doc.summary}`, '```dockerfile\n' + `${instruction.name} ${flagSignature(doc)}` + '\n```'];
  const notes = [doc.since ? `Dockerfile frontend ${doc.since}+` : '', doc.labs ? 'labs channel (`# syntax=docker/dockerfile:1-labs`)' : '', doc.repeatable ? 'repeatable' : ''].filter(Boolean);
  if (notes.length) parts.push(`_${notes.join(' · ')}_`);
  if (doc.values) parts.push(`Values: ${doc.values.map((v) => `\`${v}\``).join(', ')}`);
  if (doc.name === 'from' && flag.value) {
    const stage = stageNamed(plan, flag.value);
    if (stage) parts.push(stageSummary(plan, stage));
  }
  return markdown(parts.join('\n\n'), flag.range);
}

function variableHover(model: DocumentModel, instruction: InstructionNode, index: number, name: string, range: Range | undefined): Hover {
  const isFrom = instruction.name === 'FROM';
  const scope = variablesBefore(planWithoutWaiting(model), index, isFrom);
  const known = scope.get(name);
  const where = isFrom ? 'in this FROM line' : 'at this point';
  let text: string;
  if (!known) {
    text = `\`${name}\` is not defined ${where}: it expands to an empty string.`;
    if (predefinedArgs[name] && !isFrom) text += `\n\n${predefinedArgs[name]} Declare \`ARG ${name}\` in this stage to use it.`;
  } else if (known.value === undefined) {
    text = `\`${name}\` (build arg) is declared without a value ${where}: set it with \`--build-arg ${name}=...\`.`;
  } else {
    text = `\`${name}\` = \`${known.value}\` ${where} (${known.kind === 'env' ? 'ENV' : 'build arg'})`;
    if (predefinedArgs[name]) text += `\n\n${predefinedArgs[name]}`;
  }
  return markdown(text, range);
}

function imageHover(plan: LayerPlan, index: number, image: WordNode, sources: HoverSources): Hover | null {
  const { images } = sources;
  const stage = stepOfInstruction(plan, index)?.stage;
  if (!stage) return null;
  const base = stage.base;
  if (base.kind === 'scratch') return markdown('`scratch`: an empty filesystem, no base image.', image.range);
  if (base.kind === 'stage') return markdown(stageSummary(plan, plan.stages[base.stageIndex], sources), image.range);
  const parts = [`**${base.ref}**${base.ref !== image.value ? ` (written \`${image.value}\`)` : ''}`];
  const known = images?.find(base.digest ? refWithDigest(base.ref, base.digest) : base.ref) ?? images?.find(base.ref);
  if (known) {
    const facts = [formatBytes(known.size), `${known.layers} layer${known.layers === 1 ? '' : 's'}`];
    if (known.created) facts.push(`created ${known.created.replace(/\.\d+/, '')}`);
    if (known.platform) facts.push(known.platform);
    parts.push(`Local store: ${facts.join(' · ')}`, `Digest \`${known.digest}\``, `Image id \`${known.id.slice(0, 19)}\``);
  } else {
    parts.push('Not in the local store.');
    if (base.digest) parts.push(`Digest \`${base.digest}\``);
  }
  parts.push(`Platform ${stage.platform}`);
  return markdown(parts.join('\n\n'), image.range);
}

function directiveHover(name: string, value: string, position: Position, valueRange: Range, range: Range): Hover | null {
  const doc = findDirectiveDoc(name);
  if (!doc) return null;
  const parts = [`**# ${doc.name}=** — ${doc.summary}`, '```dockerfile\n' + doc.syntax + '\n```'];
  if (doc.name === 'check' && rangeContains(valueRange, position)) {
    const named = buildCheckNames.filter((c) => value.includes(c));
    if (named.length) parts.push(named.map((c) => `[${c}](${buildCheckUrl(c)})`).join(' · '));
  }
  parts.push(`[Reference](${doc.url})`);
  return markdown(parts.join('\n\n'), range);
}

function stageNamed(plan: LayerPlan, name: string): PlannedStage | undefined {
  const lower = name.toLowerCase();
  return plan.stages.find((s) => s.name === lower) ?? (/^\d+$/.test(name) ? plan.stages[Number(name)] : undefined);
}

function stageLabel(stage: PlannedStage): string {
  return stage.name ? `\`${stage.name}\`` : `#${stage.index}`;
}

function stageSummary(plan: LayerPlan, stage: PlannedStage, sources: HoverSources = {}): string {
  const base = stage.base.kind === 'image' ? stage.base.ref : stage.base.kind === 'stage' ? `stage ${stage.base.name}` : 'scratch';
  const layers = stage.steps.filter((s) => s.createsLayer).length;
  const last = stage.steps[stage.steps.length - 1];
  const figures = last ? layerFiguresOf(plan, sources).get(last) : undefined;
  const size = figures ? ` · image ${formatCumulative(figures)}` : '';
  const target = plan.targetStage === stage.index ? ' · build target' : stage.reachable ? '' : ' · not needed for the target';
  return `Stage ${stageLabel(stage)} (#${stage.index}) from \`${base}\`: ${plural(stage.steps.length, 'step')}, ${plural(layers, 'layer')}${size}${target}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function refWithDigest(ref: string, digest: string): string {
  return ref.includes('@') ? ref : `${ref}@${digest}`;
}

/** A hover with the explanation of the problems at the cursor after what it already says. */
function withExplanation(hover: Hover | null, explained: ProblemExplanation): Hover {
  if (!hover) return markdown(explained.value, explained.range);
  const value = (hover.contents as { value: string }).value;
  return { ...hover, contents: { kind: 'markdown', value: `${value}\n\n---\n\n${explained.value}` } };
}

function markdown(value: string, range: Range | undefined): Hover {
  return range ? { contents: { kind: 'markdown', value }, range } : { contents: { kind: 'markdown', value } };
}

/** Hover over the server's shared store catalog and build cache by default. */
export function createHoverFeature(images: () => ImageCatalog = sharedImageCatalog, buildCache: () => BuildCacheView = sharedBuildCache): Feature {
  let markdownSupported = true;
  return {
    name: 'hover',
    capabilities: (client) => {
      const formats = client.textDocument?.hover?.contentFormat;
      markdownSupported = !formats || formats.includes('markdown');
      return { hoverProvider: true };
    },
    register({ connection, documents, models }) {
      // Start reading the store when a Dockerfile opens, so the first hover usually finds what it holds.
      documents.onDidOpen(() => {
        images().images();
        buildCache().cached('');
      });
      connection.onHover((params, token) => runSafely(connection, 'hover', null, token, () => {
        const document = documents.get(params.textDocument.uri);
        if (!document) return null;
        const model = models.get(document);
        let hover = computeHover(model, params.position, { images: images(), buildCache: buildCache() });
        // The rules' explanations of the diagnostics shown here: those published for this
        // version (none yet: the hover goes without them; never a lint of its own).
        const shown = sharedPublishedDiagnostics().of(document.uri, document.version);
        const explained = shown ? explainProblemsAt(shown, params.position) : undefined;
        if (explained) hover = withExplanation(hover, explained);
        return hover && !markdownSupported ? { ...hover, contents: { kind: 'plaintext', value: (hover.contents as { value: string }).value } } : hover;
      }));
    },
  };
}

export const hoverFeature: Feature = createHoverFeature();
