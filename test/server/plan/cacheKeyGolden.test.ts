// Golden cache keys: a varied set of Dockerfiles planned with and without build args, context
// checksums and image digests/configs. Speed work on the planner must keep every key byte-identical.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { generateDockerfile } from '../../../bench/parse/generateDockerfile';
import type { LayerPlan, PlanOptions } from '../../../server/plan';
import { dockerfileFixtures } from '../parser/fixturePaths';
import { plan } from './helpers';

const varied = [
  'ARG BASE=alpine:3.20',
  'ARG TAG',
  'FROM --platform=$BUILDPLATFORM ${BASE} AS build',
  'ARG TARGETARCH',
  'ARG V=1 W',
  'ENV A=1 B="two words" C=${V:-x}',
  'ENV LEGACY value with spaces',
  'WORKDIR src',
  'WORKDIR /',
  'WORKDIR ${A}/b',
  'USER 1000:${V}',
  'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  'RUN --mount=type=cache,target=/root/.cache,id=c-$V,sharing=locked --network=none echo $A $TARGETARCH',
  'RUN --mount=type=secret,id=tok,required --security=insecure ["sh", "-c", "echo $B"]',
  'COPY --link --chown=1:2 --chmod=755 a b /dst/',
  'COPY --link x /y',
  'COPY --parents --exclude=*.md src/ /app/',
  'ADD --checksum=sha256:' + 'c'.repeat(64) + ' https://example.com/x.tar.gz /tmp/',
  'ADD --keep-git-dir=true git@github.com:o/r.git /r',
  'COPY <<-"CONF" <<EOF2 /etc/',
  '\tkey=$A',
  '\tCONF',
  'b=$B',
  'EOF2',
  'RUN <<EOF',
  'echo "${V}"',
  'EOF',
  'EXPOSE 80 443/udp',
  'LABEL k="v $A"',
  'VOLUME /data',
  'STOPSIGNAL SIGTERM',
  'HEALTHCHECK --interval=5s CMD true',
  'ONBUILD RUN x',
  'FROM build AS second',
  'ARG V',
  'RUN echo $V $C',
  'FROM scratch',
  'COPY --from=build /out /out',
  'COPY --from=second /o /o',
  'COPY --from=nginx:1.27 /etc/nginx /n',
  'RUN --mount=type=bind,from=build,source=/x,target=/y true',
  'FROM alpine',
  'ENTRYPOINT ["a"]',
  'CMD b c',
  '',
].join('\n');

function texts(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Dockerfile') found.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dockerfileFixtures);
  return [varied, generateDockerfile(600), ...found];
}

const optionSets: PlanOptions[] = [
  {},
  {
    buildArgs: { V: '7', TAG: 'x', BASE: 'debian:12' },
    platform: 'linux/arm64/v8',
    context: { checksum: (source, o) => crypto.createHash('sha256').update(`${source}|${o.excludes.join(',')}|${o.parents}`).digest('hex') },
    images: {
      digest: (ref, platform) => 'sha256:' + crypto.createHash('sha256').update(ref + platform).digest('hex'),
      config: (ref) => ({ env: ['PATH=/x', `IMG=${ref}`], workingDir: '/w', user: 'u', shell: ['/bin/ash', '-c'] }),
    },
  },
];

function keysOf(p: LayerPlan): string {
  return p.stages.map((s) => [s.resultKey, ...s.steps.map((t) => `${t.cacheKey}:${t.stateKey}`)].join(',')).join(';');
}

describe('cache keys (golden)', () => {
  it('stay byte-identical for a varied set of Dockerfiles and options', () => {
    const all = optionSets.map((o) => texts().map((t) => keysOf(plan(t, o))).join('\n')).join('\n\n');
    const digest = crypto.createHash('sha256').update(all).digest('hex');
    assert.strictEqual(digest, '238213e6254a781d04c72616b08d540e337be45c98085c48f0f8533ecba07a2b');
  });
});
