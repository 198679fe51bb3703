import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { LspClient } from '../lspClient';

interface Link { range: { start: { line: number; character: number }; end: { line: number; character: number } }; target?: string }

describe('document links over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    const result = (await client.initialize()) as { capabilities: { documentLinkProvider?: object } };
    assert.ok(result.capabilities.documentLinkProvider);
  });
  after(() => client.stop());

  async function linksOf(text: string): Promise<Link[]> {
    const uri = `file:///tmp/links-${Math.random().toString(36).slice(2)}/Dockerfile`;
    await client.open(uri, text);
    return client.request<Link[]>('textDocument/documentLink', { textDocument: { uri } });
  }

  it('links base images, image sources and the syntax frontend to their registry pages', async () => {
    const links = await linksOf([
      '# syntax=docker/dockerfile:1.7',
      'FROM node:20-alpine AS build',
      'FROM ghcr.io/acme/tool:2 AS tool',
      'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
      'RUN --mount=from=quay.io/prometheus/busybox,target=/bb ls /bb',
      'FROM localhost:5000/team/app',
      'FROM mcr.microsoft.com/dotnet/sdk:8.0',
      'FROM library/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '',
    ].join('\n'));
    const byLine = links.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character, l.target]);
    assert.deepStrictEqual(byLine, [
      [0, 9, 30, 'https://hub.docker.com/r/docker/dockerfile/tags?name=1.7'],
      [1, 5, 19, 'https://hub.docker.com/_/node/tags?name=20-alpine'],
      [2, 5, 24, 'https://ghcr.io/acme/tool'],
      [3, 12, 22, 'https://hub.docker.com/_/nginx/tags?name=1.27'],
      [4, 17, 43, 'https://quay.io/repository/prometheus/busybox'],
      [5, 5, 28, 'http://localhost:5000/v2/team/app/tags/list'],
      [6, 5, 37, 'https://mcr.microsoft.com/artifact/mar/dotnet/sdk/tags'],
      [7, 5, 90, 'https://hub.docker.com/_/redis'],
    ]);
  });

  it('does not link stage names, stage indexes, scratch or unresolved variables', async () => {
    const links = await linksOf('FROM busybox AS base\nFROM base\nCOPY --from=base /a /a\nCOPY --from=0 /a /b\nFROM scratch\nFROM ${UNSET_IMAGE}\n');
    assert.deepStrictEqual(links.map((l) => l.range.start.line), [0]);
  });

  it('links the resolved image when the reference uses a build arg', async () => {
    const links = await linksOf('ARG BASE=debian\nARG TAG=bookworm-slim\nFROM ${BASE}:${TAG}\n');
    assert.deepStrictEqual(links.map((l) => l.target), ['https://hub.docker.com/_/debian/tags?name=bookworm-slim']);
  });

  it('on a large document, links the resolved base of every stage once the plan is made in turns', async function () {
    this.timeout(60000);
    const text = generatedDockerfile(12000);
    const links = await linksOf(text);
    const stages = text.split('\n').filter((l) => l.startsWith('FROM ')).length;
    assert.ok(stages > 5);
    assert.deepStrictEqual(links.filter((l) => l.target === 'https://hub.docker.com/_/debian/tags?name=bookworm-slim').length, stages);
  });
});
