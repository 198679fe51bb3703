import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { LspClient } from '../lspClient';

type HoverResult = { contents: { kind: string; value: string }; range?: { start: { line: number; character: number } } } | null;

/** Splits `text` at its `|` marker: the text without it and the marker's position. */
function marked(text: string): { text: string; position: { line: number; character: number } } {
  const at = text.indexOf('|');
  const before = text.slice(0, at).split('\n');
  return { text: text.slice(0, at) + text.slice(at + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

let documents = 0;
async function hoverAt(client: LspClient, source: string): Promise<HoverResult> {
  const { text, position } = marked(source);
  const uri = `file:///tmp/hover-${++documents}/Dockerfile`;
  await client.open(uri, text);
  return client.request<HoverResult>('textDocument/hover', { textDocument: { uri }, position });
}

describe('hover over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('documents an instruction and tells that a RUN step creates a layer, with its size and cache state', async () => {
    const hover = await hoverAt(client, 'FROM scratch\nR|UN echo hi > /greeting\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*RUN\*\*/);
    assert.match(hover.contents.value, /creates a filesystem layer/);
    assert.match(hover.contents.value, /layer (~?[\d.]+ [kMG]?B|size unknown) · image ((≥ )?[\d.]+ [kMG]?B|size unknown) · (will build|cached)/);
    assert.match(hover.contents.value, /\[Reference\]\(https:\/\/docs\.docker\.com\/reference\/dockerfile\/#run\)/);
    assert.deepStrictEqual(hover.range?.start, { line: 1, character: 0 });
  });

  it('says that a metadata instruction creates no layer', async () => {
    const hover = await hoverAt(client, 'FROM scratch\nE|NV A=1\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /changes image metadata only/);
  });

  it('documents a flag, with its frontend version', async () => {
    const hover = await hoverAt(client, 'FROM scratch\nCOPY --li|nk a /a\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*--link\*\* \(COPY\)/);
    assert.match(hover.contents.value, /frontend 1\.4\+/);
  });

  it('documents a --mount field for the mount type in use', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nRUN --mount=type=cache,target=/root/.cache,sha|ring=locked true\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*sharing\*\* \(`--mount type=cache`\)/);
    assert.match(hover.contents.value, /`locked`/);
  });

  it('documents the mount type itself', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nRUN --mount=type=sec|ret,id=token cat /run/secrets/token\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /type=secret/);
    assert.match(hover.contents.value, /never stored in the image/);
  });

  it('says when a flag does not belong to the instruction', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nRUN --li|nk true\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /`--link` is not a flag of RUN/);
  });

  it('shows the value an ENV variable has at that point', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nENV APP=/srv/app\nENV APP=/opt\nRUN echo $A|PP\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /`APP` = `\/opt`/);
    assert.match(hover.contents.value, /ENV/);
  });

  it('shows the value a variable had before an ENV redefines it', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nENV APP=/srv/app\nENV APP=${A|PP}/v2\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /`APP` = `\/srv\/app`/);
  });

  it('resolves a global ARG in a FROM line, and a build arg default inside a stage', async () => {
    const inFrom = await hoverAt(client, 'ARG VERSION=1.36\nFROM busybox:${VER|SION}\n');
    assert.ok(inFrom);
    assert.match(inFrom.contents.value, /`VERSION` = `1\.36` in this FROM line \(build arg\)/);
    const inStage = await hoverAt(client, 'FROM busybox\nARG MODE=release\nRUN echo ${MO|DE}\n');
    assert.ok(inStage);
    assert.match(inStage.contents.value, /`MODE` = `release`/);
  });

  it('resolves a variable inside a flag value, such as a platform arg in FROM --platform', async () => {
    const hover = await hoverAt(client, 'FROM --platform=$BUILDPLAT|FORM busybox\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /`BUILDPLATFORM` = `linux\/\w+` in this FROM line/);
  });

  it('says when a variable is undefined and how to get a predefined one', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nRUN echo $TARGET|ARCH\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /`TARGETARCH` is not defined at this point/);
    assert.match(hover.contents.value, /ARG TARGETARCH/);
  });

  it('describes the stage a FROM or COPY --from names', async () => {
    const fromStage = await hoverAt(client, 'FROM busybox AS build\nRUN touch /out\nFROM bu|ild\n');
    assert.ok(fromStage);
    assert.match(fromStage.contents.value, /Stage `build` \(#0\) from `docker\.io\/library\/busybox:latest`: 2 steps, 1 layer\b/);
    const copyFrom = await hoverAt(client, 'FROM busybox AS build\nRUN touch /out\nFROM scratch\nCOPY --from=bui|ld /out /out\n');
    assert.ok(copyFrom);
    assert.match(copyFrom.contents.value, /Stage `build`/);
  });

  it('says that a base image missing from the store is not there', async () => {
    const hover = await hoverAt(client, 'FROM layerlens.invalid/nothing-here:1|.0\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*layerlens\.invalid\/nothing-here:1\.0\*\*/);
    assert.match(hover.contents.value, /Not in the local store/);
  });

  it('documents parser directives', async () => {
    const hover = await hoverAt(client, '# syn|tax=docker/dockerfile:1\nFROM busybox\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*# syntax=\*\*/);
    const check = await hoverAt(client, '# check=skip=StageNameCasing,Undefined|Var\nFROM busybox\n');
    assert.ok(check);
    assert.match(check.contents.value, /\[UndefinedVar\]\(https:\/\/docs\.docker\.com\/reference\/build-checks\/undefined-var\/\)/);
  });

  it('documents an ONBUILD trigger\'s instruction', async () => {
    const hover = await hoverAt(client, 'FROM busybox\nONBUILD CO|PY . /app\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*COPY\*\*/);
  });

  it('explains the diagnostics under the cursor: why the rule matters, the fix and its documentation', async () => {
    const { text, position } = marked('FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends cu|rl && rm -rf /var/lib/apt/lists/*\nADD app.js /app/\n');
    const uri = `file:///tmp/hover-${++documents}/Dockerfile`;
    await client.open(uri, text);
    const codes = (await client.diagnosticsFor(uri)).map((d) => d.code);
    assert.ok(codes.includes('AptPinVersions') && codes.includes('AddInsteadOfCopy'), codes.join());
    // Inside a RUN script, where nothing else is documented: the explanation alone, at the problem.
    // The hover explains the diagnostics published for this version (it never lints itself).
    let inScript: HoverResult = null;
    for (const deadline = Date.now() + 10000; !inScript && Date.now() < deadline;) {
      inScript = await client.request<HoverResult>('textDocument/hover', { textDocument: { uri }, position });
      if (!inScript) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(inScript, 'an explanation once the diagnostics are made');
    assert.match(inScript.contents.value, /^\*\*AptPinVersions\*\* \(hadolint DL3008\): Unpinned packages make builds unreproducible/);
    assert.match(inScript.contents.value, /\*Fix:\* Install `package=version`/);
    assert.match(inScript.contents.value, /\[Documentation\]\(https:\/\/github\.com\/hadolint\/hadolint\/wiki\/DL3008\)/);
    assert.deepStrictEqual(inScript.range?.start, { line: 1, character: text.split('\n')[1].indexOf('curl') });
    // On a keyword: the instruction's documentation first, then the rule's explanation.
    const onKeyword = await client.request<HoverResult>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 1 } });
    assert.ok(onKeyword);
    assert.match(onKeyword.contents.value, /^\*\*ADD\*\*[\s\S]*\n---\n\n\*\*AddInsteadOfCopy\*\* \(hadolint DL3020\): ADD silently unpacks archives/);
  });

  it('answers nothing between instructions and in comments', async () => {
    assert.strictEqual(await hoverAt(client, 'FROM busybox\n\n|\nRUN true\n'), null);
    assert.strictEqual(await hoverAt(client, 'FROM busybox\n# a com|ment\nRUN true\n'), null);
  });
});

describe('hover on a base image in the local store', () => {
  let client: LspClient;
  let storeDir: string;
  let digest: string;
  before(async function () {
    this.timeout(60000);
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-hover-store-'));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-hover-rootfs-'));
    const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
    const store = await ImageStore.open(storeDir);
    const image = await store.importRootfsTarball(tarball, 'hover-test/busybox:1.36');
    digest = image.manifestDigest;
    fs.rmSync(work, { recursive: true, force: true });
    const previous = process.env.LAYERLENS_STORE;
    process.env.LAYERLENS_STORE = storeDir;
    try {
      client = new LspClient();
    } finally {
      if (previous === undefined) delete process.env.LAYERLENS_STORE;
      else process.env.LAYERLENS_STORE = previous;
    }
    await client.initialize();
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  it('shows size, layers, creation time and digest once the store is listed, without waiting for it', async () => {
    let hover: HoverResult = null;
    const deadline = Date.now() + 10000;
    do {
      hover = await hoverAt(client, 'FROM hover-test/busy|box:1.36\nRUN true\n');
      if (hover && /Local store/.test(hover.contents.value)) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*docker\.io\/hover-test\/busybox:1\.36\*\*/);
    assert.match(hover.contents.value, /Local store: [\d.]+ [kM]B · 1 layer · created \d{4}-\d\d-\d\d/);
    assert.ok(hover.contents.value.includes(`Digest \`${digest}\``), hover.contents.value);
  });

  it('uses the base image size for the FROM step and the image size after it', async () => {
    const hover = await hoverAt(client, 'FR|OM hover-test/busybox:1.36\nRUN true\n');
    assert.ok(hover);
    assert.match(hover.contents.value, /base image [\d.]+ [kM]B · image [\d.]+ [kM]B/);
  });
});
