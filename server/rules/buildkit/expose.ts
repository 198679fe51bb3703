// ExposeProtoCasing and ExposeInvalidFormat: EXPOSE takes `port[/proto]`, nothing else.
import { lookupIn, processWord } from '../../parser/shell/lexer';
import { isVerbatim, rangeInWord, replace } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

interface PortSpec {
  ip: string;
  hostPort: string;
  containerPort: string;
  proto: string;
}

/** Splits `[ip:][hostPort:]containerPort[/proto]` the way BuildKit does. */
export function splitPortSpec(raw: string): PortSpec {
  const parts = raw.split(':');
  const n = parts.length;
  const [ip, hostPort, container] = n === 1 ? ['', '', parts[0]] : n === 2 ? ['', parts[0], parts[1]] : [parts.slice(0, n - 2).join(':'), parts[n - 2], parts[n - 1]];
  const slash = container.indexOf('/');
  return { ip, hostPort, containerPort: slash < 0 ? container : container.slice(0, slash), proto: slash < 0 ? '' : container.slice(slash + 1) };
}

function* exposedWords(ctx: LintContext) {
  for (const stage of ctx.checkedStages) {
    for (const i of stage.body) {
      const instruction = ctx.instructions[i];
      if (instruction.name !== 'EXPOSE') continue;
      const env = ctx.step(i)?.env ?? {};
      for (const word of instruction.args) {
        const expanded = word.value.includes('$') ? processWord(word.value, lookupIn(env), { escapeChar: ctx.syntax.escapeChar }) : undefined;
        if (expanded && (expanded.error || expanded.unmatched.size > 0)) continue;
        for (const raw of expanded ? expanded.words : [word.value]) yield { instruction, index: i, word, raw, literal: !expanded };
      }
    }
  }
}

export const exposeProtoCasing: Rule = {
  scope: 'stage',
  meta: {
    code: 'ExposeProtoCasing',
    title: 'Protocol in EXPOSE instruction should be lowercase',
    explanation: 'Protocols are `tcp`, `udp` and `sctp` in lower case; other spellings only work because BuildKit lowercases them.',
    fix: 'Write the protocol in lower case.',
    href: buildkitDocs('ExposeProtoCasing'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const { instruction, index, word, raw, literal } of exposedWords(ctx)) {
      const spec = splitPortSpec(raw);
      if (spec.proto === spec.proto.toLowerCase()) continue;
      const at = raw.lastIndexOf('/') + 1;
      const range = literal && isVerbatim(instruction, word) ? rangeInWord(instruction, word, at, raw.length) : word.range;
      ctx.report({
        code: 'ExposeProtoCasing',
        range,
        message: `Defined protocol '${raw}' in EXPOSE instruction should be lowercase`,
        instructionIndex: index,
        fixes: literal && isVerbatim(instruction, word) ? [{ title: `Change to ${spec.proto.toLowerCase()}`, edits: [replace(range, spec.proto.toLowerCase())], preferred: true }] : undefined,
      });
    }
  },
};

export const exposeInvalidFormat: Rule = {
  scope: 'stage',
  meta: {
    code: 'ExposeInvalidFormat',
    title: 'IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release',
    explanation: 'EXPOSE only documents container ports; host IPs and host ports are chosen at `docker run -p` time and are ignored here.',
    fix: 'Keep only the container port (and protocol).',
    href: buildkitDocs('ExposeInvalidFormat'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const { index, word, raw, literal } of exposedWords(ctx)) {
      const spec = splitPortSpec(raw);
      if (spec.ip === '' && spec.hostPort === '') continue;
      const port = spec.containerPort + (spec.proto ? `/${spec.proto}` : '');
      ctx.report({
        code: 'ExposeInvalidFormat',
        range: word.range,
        message: `EXPOSE instruction should not define an IP address or host-port mapping, found '${raw}'`,
        instructionIndex: index,
        fixes: literal && spec.containerPort !== '' ? [{ title: `Change to ${port}`, edits: [replace(word.range, port)], preferred: true }] : undefined,
      });
    }
  },
};
