// The checks BuildKit's instruction parser (instructions/parse.go) makes before a build starts:
// unknown instructions and flags, argument counts, stage names, HEALTHCHECK options, SHELL form,
// and instructions before the first FROM. Each becomes a located error.
import { flagsOf, instructionFlags } from './flagRules';
import { parseGoDuration } from './goDuration';
import { parseHeredocMarker } from './heredocMarkers';
import { isKnownInstructionName } from './parseInstruction';
import { closestName } from './suggest';
import type { DockerfileSyntax, FlagNode, InstructionNode, Range, SyntaxProblem } from './types';

const instructionNames = ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];
const validStageName = /^[a-z][a-z0-9-_.]*$/;

type Report = (range: Range, message: string, code: string) => void;

/** Where the instruction being checked reports (one reporter for all, not a closure per instruction). */
const nowhere: SyntaxProblem[] = [];
let target = nowhere;
let alsoTarget: SyntaxProblem[] | undefined;

const reportToTarget: Report = (range, message, code) => {
  const p: SyntaxProblem = { range, message, code, severity: 'error' };
  target.push(p);
  alsoTarget?.push(p);
};

/** The checks of one instruction, reported into `problems` (and `also`, when given). */
export function checkInstruction(instruction: InstructionNode, problems: SyntaxProblem[], also?: SyntaxProblem[]): void {
  target = problems;
  alsoTarget = also;
  try {
    checkOne(instruction, reportToTarget);
  } finally {
    target = nowhere;
    alsoTarget = undefined;
  }
}

/** Checks that depend on the whole file: instructions before the first FROM, no instructions, no stages. */
export function checkFileStructure(syntax: DockerfileSyntax): void {
  const report: Report = (range, message, code) => syntax.problems.push({ range, message, code, severity: 'error' });
  let seenFrom = false;
  for (const instruction of syntax.instructions) {
    if (instruction.name === 'FROM') {
      seenFrom = true;
      break;
    }
    if (instruction.name !== 'ARG' && isKnownInstructionName(instruction.name)) {
      report(instruction.keyword.range, `no build stage in current context: ${instruction.name} must come after a FROM instruction`, 'no-build-stage');
    }
  }
  const end = { line: Math.max(0, syntax.lineCount - 1), character: 0 };
  if (syntax.instructions.length === 0) {
    report({ start: end, end }, 'file with no instructions', 'no-instructions');
  } else if (!seenFrom) {
    report(syntax.instructions[0].range, 'dockerfile contains no stages to build', 'no-stages');
  }
}

function checkOne(node: InstructionNode, report: Report): void {
  if (!isKnownInstructionName(node.name)) {
    const hint = closestName(node.name, instructionNames, false);
    report(node.keyword.range, `unknown instruction: ${node.keyword.text}${hint ? ` (did you mean ${hint}?)` : ''}`, 'unknown-instruction');
    return;
  }
  const healthNone = node.name === 'HEALTHCHECK' && node.args[0]?.value.toUpperCase() === 'NONE';
  if (!healthNone) checkFlags(node, report);
  const argCount = node.args.length;
  switch (node.name) {
    case 'ENV':
    case 'LABEL':
      if (argCount === 0) report(node.range, `${node.name} requires at least one argument`, 'missing-argument');
      for (const pair of node.pairs) if (pair.key.value === '') report(pair.range, `${node.name} names can not be blank`, 'blank-name');
      break;
    case 'MAINTAINER':
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
      if (argCount !== 1) report(node.range, `${node.name} requires exactly one argument`, 'argument-count');
      break;
    case 'ADD':
    case 'COPY':
      checkSourcesAndDest(node, report);
      break;
    case 'FROM':
      checkFrom(node, report);
      break;
    case 'ONBUILD':
      checkOnbuild(node, report);
      break;
    case 'HEALTHCHECK':
      checkHealthcheck(node, report);
      break;
    case 'EXPOSE':
    case 'ARG':
      if (argCount === 0) report(node.range, `${node.name} requires at least one argument`, 'missing-argument');
      if (node.name === 'ARG') for (const pair of node.pairs) if (pair.key.value === '') report(pair.range, 'ARG names can not be blank', 'blank-name');
      break;
    case 'VOLUME':
      if (argCount === 0) report(node.range, 'VOLUME requires at least one argument', 'missing-argument');
      for (const arg of node.args) if (arg.value.trim() === '') report(arg.range, 'VOLUME specified can not be an empty string', 'empty-volume');
      break;
    case 'SHELL':
      if (argCount === 0) report(node.range, 'SHELL requires at least one argument', 'missing-argument');
      else if (node.form !== 'exec') report(node.range, 'SHELL requires the arguments to be in JSON form', 'shell-not-json');
      break;
  }
}

function checkFlags(node: InstructionNode, report: Report): void {
  if (node.flags.length === 0 || instructionFlags[node.name] === 'ignored') return;
  const allowed = flagsOf(node.name);
  const flags = node.flags;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    const kind = Object.prototype.hasOwnProperty.call(allowed, flag.name) ? allowed[flag.name] : undefined;
    if (kind === undefined) {
      const hint = closestName(flag.name, Object.keys(allowed), true);
      report(flag.nameRange, `unknown flag: ${flag.name}${hint ? ` (did you mean ${hint}?)` : ''}`, 'unknown-flag');
      continue;
    }
    if (kind !== 'strings') {
      for (let j = 0; j < i; j++) {
        if (flags[j].name === flag.name) {
          report(flag.range, `duplicate flag specified: ${flag.name}`, 'duplicate-flag');
          break;
        }
      }
    }
    checkFlagValue(flag, kind, report);
  }
}

function checkFlagValue(flag: FlagNode, kind: 'bool' | 'string' | 'strings', report: Report): void {
  if (kind === 'bool') {
    if (flag.value === '') report(flag.range, `missing a value on flag: ${flag.name}`, 'flag-missing-value');
    else if (flag.value !== undefined && !['true', 'false'].includes(flag.value.toLowerCase())) {
      report(flag.valueRange ?? flag.range, `expecting boolean value for flag ${flag.name}, not: ${flag.value}`, 'flag-not-boolean');
    }
  } else if (flag.value === undefined) {
    report(flag.range, `missing a value on flag: ${flag.name}`, 'flag-missing-value');
  }
}

function checkSourcesAndDest(node: InstructionNode, report: Report): void {
  if (node.args.length < 2) {
    report(node.range, `${node.name} requires at least two arguments, but only one was provided. Destination could not be determined`, 'missing-destination');
    return;
  }
  const dest = node.args[node.args.length - 1];
  if (parseHeredocMarker(dest.value).marker) report(dest.range, `${node.name} cannot accept a heredoc as a destination`, 'heredoc-destination');
}

function checkFrom(node: InstructionNode, report: Report): void {
  const n = node.args.length;
  if (n === 3 && node.args[1].value.toLowerCase() === 'as') {
    const name = node.args[2];
    if (!validStageName.test(name.value.toLowerCase())) {
      report(name.range, `invalid name for build stage: ${JSON.stringify(name.value)}, name can't start with a number or contain symbols`, 'invalid-stage-name');
    }
  } else if (n !== 1) {
    report(node.range, 'FROM requires either one or three arguments', 'from-argument-count');
  }
}

function checkOnbuild(node: InstructionNode, report: Report): void {
  const trigger = node.onbuild;
  if (!trigger) {
    report(node.range, 'ONBUILD requires at least one argument', 'missing-argument');
    return;
  }
  if (trigger.name === 'ONBUILD') report(trigger.keyword.range, 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed', 'onbuild-chain');
  else if (trigger.name === 'MAINTAINER' || trigger.name === 'FROM') report(trigger.keyword.range, `${trigger.name} isn't allowed as an ONBUILD trigger`, 'onbuild-trigger');
}

const healthDurations = ['interval', 'timeout', 'start-period', 'start-interval'];

function checkHealthcheck(node: InstructionNode, report: Report): void {
  const [type, ...command] = node.args;
  if (!type) {
    report(node.range, 'HEALTHCHECK requires at least one argument', 'missing-argument');
    return;
  }
  const kind = type.value.toUpperCase();
  if (kind === 'NONE') {
    if (command.length > 0) report(node.range, 'HEALTHCHECK NONE takes no arguments', 'healthcheck-none-arguments');
    return;
  }
  if (kind !== 'CMD') {
    report(type.range, `Unknown type ${JSON.stringify(kind)} in HEALTHCHECK (try CMD)`, 'healthcheck-type');
    return;
  }
  if (command.length === 0) report(node.range, 'Missing command after HEALTHCHECK CMD', 'healthcheck-missing-command');
  for (const flag of node.flags) {
    if (flag.value === undefined || flag.value === '') continue;
    const where = () => flag.valueRange ?? flag.range;
    if (healthDurations.includes(flag.name)) {
      const nanos = parseGoDuration(flag.value);
      if (nanos === undefined) report(where(), `time: invalid duration ${JSON.stringify(flag.value)}`, 'invalid-duration');
      else if (nanos !== 0 && nanos < 1e6) report(where(), `Interval ${JSON.stringify(flag.name)} cannot be less than 1ms`, 'duration-too-short');
    } else if (flag.name === 'retries') {
      const retries = /^[+-]?[0-9]+$/.test(flag.value) ? Number(flag.value) : NaN;
      if (!Number.isInteger(retries) || Math.abs(retries) > 2147483647) report(where(), `strconv.ParseInt: parsing ${JSON.stringify(flag.value)}: invalid syntax`, 'invalid-retries');
      else if (retries < 0) report(where(), `--retries cannot be negative (${retries})`, 'invalid-retries');
    }
  }
}

