// NoEmptyContinuation: the parser reports it (it sees the raw lines); this carries the metadata.
import { buildkitDocs, type Rule } from '../rule';

export const noEmptyContinuation: Rule = {
  meta: {
    code: 'NoEmptyContinuation',
    title: 'Empty continuation lines will become errors in a future release',
    explanation: 'An empty line inside a continued instruction is silently dropped today and will be an error in a future Dockerfile syntax.',
    fix: 'Delete the empty line, or end the instruction before it.',
    href: buildkitDocs('NoEmptyContinuation'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    upstream: true,
  },
};
