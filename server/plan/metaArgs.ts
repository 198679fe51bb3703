// Global ARGs (before the first FROM) and the predefined platform args: the only variables a
// FROM line sees. Build args override defaults; a default is expanded with the args before it.
import type { DockerfileSyntax, InstructionNode } from '../parser/types';
import { WordExpander } from './expandWords';
import type { Scope } from './expandWords';
import type { LayerPlan, PlanOptions, PlanProblem, VariableUse } from './types';

export interface MetaArgs {
  /** Name -> value; undefined for a global ARG declared without a value and not given. */
  values: Map<string, string | undefined>;
  platformNames: Set<string>;
  globalArgs: LayerPlan['globalArgs'];
  /** The scope a FROM line expands with (a declared ARG without value reads as empty). */
  scope: Scope;
  uses: VariableUse[];
}

export function resolveMetaArgs(
  syntax: DockerfileSyntax,
  platformValues: Record<string, string>,
  options: PlanOptions,
  problems: PlanProblem[],
  usedBuildArgs: Set<string>,
): MetaArgs {
  const buildArgs = options.buildArgs ?? {};
  const values = new Map<string, string | undefined>();
  const platformNames = new Set(Object.keys(platformValues));
  for (const [name, value] of Object.entries(platformValues)) values.set(name, has(buildArgs, name) ? buildArgs[name] : value);
  const scope: Scope = {
    lookup: (n) => (values.has(n) ? values.get(n) ?? '' : undefined),
    sourceOf: (n) => (platformNames.has(n) ? 'platform-arg' : 'global-arg'),
  };
  const globalArgs: LayerPlan['globalArgs'] = [];
  const uses: VariableUse[] = [];
  for (const instruction of syntax.instructions) {
    if (instruction.name === 'FROM') break;
    if (instruction.name !== 'ARG') continue;
    declare(instruction);
  }
  return { values, platformNames, globalArgs, scope, uses };

  function declare(instruction: InstructionNode): void {
    const expander = new WordExpander(instruction, syntax.escapeChar);
    for (const pair of instruction.pairs) {
      const name = pair.key.value;
      let value: string | undefined;
      if (has(buildArgs, name)) {
        value = buildArgs[name];
        usedBuildArgs.add(name);
      } else if (pair.value) {
        value = expander.word(pair.value, scope);
      }
      values.set(name, value);
      platformNames.delete(name);
      globalArgs.push({ name, value, range: pair.range });
    }
    problems.push(...expander.problems);
    uses.push(...expander.uses);
  }
}

function has(record: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}
