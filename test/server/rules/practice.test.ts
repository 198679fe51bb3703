import * as assert from 'assert';
import { applyEdits, fixOnce, lint, only, textAt } from './lintText';

describe('rules: best practices', () => {
  describe('BaseImageUntagged / BaseImageLatestTag (DL3006 / DL3007)', () => {
    it('reports an untagged base image, also through a global ARG', () => {
      const found = only(lint('ARG BASE=debian\nFROM ${BASE}\nFROM ubuntu AS u\n'), 'BaseImageUntagged');
      assert.deepStrictEqual(found.map((p) => p.range.start.line), [1, 2]);
    });
    it('reports latest and pins the digest when the store knows it', () => {
      const digest = 'sha256:' + 'b'.repeat(64);
      const text = 'FROM node:latest\n';
      const [p] = only(lint(text, { images: { find: () => ({ digest }) } }), 'BaseImageLatestTag');
      assert.strictEqual(p.fixes.length, 1);
      assert.strictEqual(applyEdits(text, p.fixes[0].edits), `FROM node:latest@${digest}\n`);
    });
    it('accepts tags, digests, scratch and stage references', () => {
      const text = `FROM node:22 AS a\nFROM a\nFROM scratch\nFROM busybox@sha256:${'c'.repeat(64)}\n`;
      const problems = lint(text);
      assert.deepStrictEqual([...only(problems, 'BaseImageUntagged'), ...only(problems, 'BaseImageLatestTag')], []);
    });
  });

  describe('apt-get rules', () => {
    const text = 'FROM debian:12\nRUN apt-get update && apt-get install curl git=1:2.39.5 ./local.deb\n';
    it('AptPinVersions (DL3008) covers the unpinned packages only', () => {
      const [p] = only(lint(text), 'AptPinVersions');
      assert.strictEqual(textAt(text, p.range), 'curl');
      assert.match(p.message, /curl=<version>/);
      assert.deepStrictEqual(only(lint('FROM debian:12\nRUN apt-get install -y curl=7.88.1-10\n'), 'AptPinVersions'), []);
    });
    it('AptNoInstallRecommends (DL3015) inserts --no-install-recommends after install', () => {
      assert.strictEqual(fixOnce(text, 'AptNoInstallRecommends'), 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl git=1:2.39.5 ./local.deb\n');
      assert.deepStrictEqual(only(lint('FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y x=1\n'), 'AptNoInstallRecommends'), []);
    });
    it('AptAssumeYes (DL3014) requires -y (combined flags count)', () => {
      assert.strictEqual(fixOnce(text, 'AptAssumeYes'), 'FROM debian:12\nRUN apt-get update && apt-get install -y curl git=1:2.39.5 ./local.deb\n');
      assert.deepStrictEqual(only(lint('FROM debian:12\nRUN apt-get install -qy x=1 && apt-get install --yes y=1\n'), 'AptAssumeYes'), []);
    });
    it('AptListsNotCleaned (DL3009) appends the cleanup to the RUN, across continuation lines', () => {
      const multi = 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl\n';
      const [p] = only(lint(multi), 'AptListsNotCleaned');
      assert.strictEqual(textAt(multi, p.range), 'apt-get update');
      assert.strictEqual(fixOnce(multi, 'AptListsNotCleaned'), 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
    });
    it('do not read a here-document a RUN script writes to a file as commands', () => {
      const t = 'FROM debian:12\nRUN <<EOF\ncat <<EOT > /usr/local/bin/setup.sh\napt-get install curl\nEOT\nEOF\n';
      assert.deepStrictEqual(lint(t).filter((p) => p.code.startsWith('Apt')), []);
    });
    it('AptListsNotCleaned adds a line to a heredoc RUN', () => {
      const heredoc = 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n';
      assert.strictEqual(fixOnce(heredoc, 'AptListsNotCleaned'), 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n');
    });
    it('AptListsNotCleaned is quiet when cleaned, cache-mounted, or in a stage that does not ship', () => {
      const quiet = [
        'FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
        'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n',
        'FROM debian:12 AS build\nRUN apt-get update\nFROM debian:12\nCOPY --from=build /x /x\n',
      ];
      for (const t of quiet) assert.deepStrictEqual(only(lint(t), 'AptListsNotCleaned'), [], t);
    });
    it('AptUpgrade (DL3005) and AptInsteadOfAptGet (DL3027)', () => {
      const t = 'FROM debian:12\nRUN apt upgrade -y && apt-get dist-upgrade\n';
      const problems = lint(t);
      assert.deepStrictEqual(only(problems, 'AptUpgrade').map((p) => textAt(t, p.range)), ['apt upgrade', 'apt-get dist-upgrade']);
      assert.strictEqual(fixOnce(t, 'AptInsteadOfAptGet'), 'FROM debian:12\nRUN apt-get upgrade -y && apt-get dist-upgrade\n');
      assert.deepStrictEqual(only(lint('FROM debian:12\nRUN apt-get update\n'), 'AptInsteadOfAptGet'), []);
    });
  });

  describe('shell habits', () => {
    it('CdInRun (DL3003) and SudoInRun (DL3004)', () => {
      const t = 'FROM debian:12\nRUN cd /tmp && sudo -u app make install\n';
      const problems = lint(t);
      assert.deepStrictEqual(only(problems, 'CdInRun').map((p) => textAt(t, p.range)), ['cd']);
      assert.deepStrictEqual(only(problems, 'SudoInRun').map((p) => textAt(t, p.range)), ['sudo']);
      const quiet = lint('FROM debian:12\nWORKDIR /tmp\nRUN make install && echo "cd sudo"\n');
      assert.deepStrictEqual([...only(quiet, 'CdInRun'), ...only(quiet, 'SudoInRun')], []);
    });
    it('PipefailMissing (DL4006) reports a pipe and offers SHELL / set -o pipefail', () => {
      const t = 'FROM debian:12\nRUN curl -fsSL https://x.org/i.sh | sh\n';
      const [p] = only(lint(t), 'PipefailMissing');
      assert.strictEqual(textAt(t, p.range), 'curl -fsSL https://x.org/i.sh | sh');
      assert.strictEqual(applyEdits(t, p.fixes[0].edits), 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://x.org/i.sh | sh\n');
      const bash = 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN a | b\n';
      assert.strictEqual(fixOnce(bash, 'PipefailMissing'), 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN set -o pipefail && a | b\n');
    });
    it('PipefailMissing is quiet with a pipefail SHELL, set -o pipefail, or only ||', () => {
      const quiet = [
        'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n',
        'FROM debian:12\nRUN set -eo pipefail; a | b\n',
        'FROM debian:12\nRUN a || b\n',
      ];
      for (const t of quiet) assert.deepStrictEqual(only(lint(t), 'PipefailMissing'), [], t);
    });
    it('CurlAndWget (DL4001) reports the tool used less in a stage', () => {
      const t = 'FROM debian:12\nRUN curl -o a https://x/a && curl -o b https://x/b\nRUN wget https://x/c\nFROM debian:12\nRUN wget https://x/d\n';
      const found = only(lint(t), 'CurlAndWget');
      assert.deepStrictEqual(found.map((p) => [p.range.start.line, textAt(t, p.range)]), [[2, 'wget']]);
      assert.match(found[0].message, /curl on line 2/);
    });
  });

  describe('AddInsteadOfCopy (DL3020)', () => {
    it('reports ADD of plain files and replaces it with COPY', () => {
      assert.strictEqual(fixOnce('FROM alpine:3.20\nadd --chown=1 src/ /app/\n', 'AddInsteadOfCopy'), 'FROM alpine:3.20\ncopy --chown=1 src/ /app/\n');
    });
    it('accepts archives, URLs, git sources and variables', () => {
      const t = 'FROM alpine:3.20\nADD app.tar.gz /app/\nADD https://x.org/f /f\nADD git@github.com:a/b.git /b\nADD $SRC /s\n';
      assert.deepStrictEqual(only(lint(t), 'AddInsteadOfCopy'), []);
    });
  });

  describe('LastUserRoot (DL3002)', () => {
    it('reports a final USER root of the target stage', () => {
      const t = 'FROM alpine:3.20\nUSER app\nUSER 0:0\n';
      const [p] = only(lint(t), 'LastUserRoot');
      assert.strictEqual(textAt(t, p.range), '0:0');
    });
    it('looks at the target stage only, and accepts a non-root last USER', () => {
      const t = 'FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER root\nUSER app\n';
      assert.deepStrictEqual(only(lint(t), 'LastUserRoot'), []);
    });
  });

  describe('pip, npm and apk', () => {
    it('PipNoCacheDir (DL3042) inserts --no-cache-dir; PIP_NO_CACHE_DIR or a cache mount is enough', () => {
      assert.strictEqual(fixOnce('FROM python:3.12\nRUN python3 -m pip install -r requirements.txt\n', 'PipNoCacheDir'), 'FROM python:3.12\nRUN python3 -m pip install --no-cache-dir -r requirements.txt\n');
      const quiet = ['FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0\n', 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask==3.0.0\n'];
      for (const t of quiet) assert.deepStrictEqual(only(lint(t), 'PipNoCacheDir'), [], t);
    });
    it('PipPinVersions (DL3013) flags unpinned packages, not requirement files or pinned specs', () => {
      const t = 'FROM python:3.12\nRUN pip install --no-cache-dir flask "requests>=2" -r req.txt django==5.0\n';
      assert.deepStrictEqual(only(lint(t), 'PipPinVersions').map((p) => textAt(t, p.range)), ['flask']);
    });
    it('NpmCacheNotCleaned appends npm cache clean; NpmPinVersions (DL3016) flags unpinned packages', () => {
      const t = 'FROM node:22\nRUN npm ci\n';
      assert.strictEqual(fixOnce(t, 'NpmCacheNotCleaned'), 'FROM node:22\nRUN npm ci && npm cache clean --force\n');
      assert.deepStrictEqual(only(lint('FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n'), 'NpmCacheNotCleaned'), []);
      const pins = 'FROM node:22\nRUN npm install -g typescript @scope/pkg @scope/ok@1.2.3 left-pad@1.3.0 && npm cache clean --force\n';
      assert.deepStrictEqual(only(lint(pins), 'NpmPinVersions').map((p) => textAt(pins, p.range)), ['typescript @scope/pkg']);
    });
    it('ApkNoCache (DL3019) inserts --no-cache; ApkPinVersions (DL3018) flags unpinned packages', () => {
      const t = 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0 git\n';
      assert.strictEqual(fixOnce(t, 'ApkNoCache'), 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 git\n');
      assert.deepStrictEqual(only(lint(t), 'ApkPinVersions').map((p) => textAt(t, p.range)), ['git']);
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps x=1\n'), 'ApkNoCache'), []);
    });
  });
});

describe('rules: MisplacedDirective', () => {
  it('reports a directive after the first instruction and moves it to the top', () => {
    const t = '# syntax=docker/dockerfile:1\nFROM alpine:3.20\n# check=skip=StageNameCasing\nRUN true\n';
    const [p] = only(lint(t), 'MisplacedDirective');
    assert.strictEqual(p.range.start.line, 2);
    assert.strictEqual(fixOnce(t, 'MisplacedDirective'), '# syntax=docker/dockerfile:1\n# check=skip=StageNameCasing\nFROM alpine:3.20\nRUN true\n');
  });
  it('accepts directives at the top and ordinary comments', () => {
    assert.deepStrictEqual(only(lint('# escape=`\n# check=error=true\nFROM alpine:3.20\n# checking = fine? no: prose\nRUN true\n'), 'MisplacedDirective'), []);
  });
});
