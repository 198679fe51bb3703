import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { LspClient } from '../lspClient';

interface Lens { range: { start: { line: number; character: number } }; command?: { title: string; command: string; arguments?: unknown[] } }

const SIZE = String.raw`(~?[\d.]+ [kMG]?B|size unknown)`;
const IMAGE = String.raw`image ((≥ )?[\d.]+ [kMG]?B|size unknown)`;

describe('code lens over stdio', () => {
  let client: LspClient;
  let storeDir: string;
  let documents = 0;
  before(async function () {
    this.timeout(60000);
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-lens-store-'));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-lens-rootfs-'));
    const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
    await (await ImageStore.open(storeDir)).importRootfsTarball(tarball, 'lens-test/busybox:1');
    fs.rmSync(work, { recursive: true, force: true });
    const previous = process.env.LAYERLENS_STORE;
    process.env.LAYERLENS_STORE = storeDir;
    try {
      client = new LspClient();
    } finally {
      if (previous === undefined) delete process.env.LAYERLENS_STORE;
      else process.env.LAYERLENS_STORE = previous;
    }
    const result = (await client.initialize()) as { capabilities: { codeLensProvider?: object } };
    assert.ok(result.capabilities.codeLensProvider);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  async function lensesOf(text: string): Promise<{ uri: string; lenses: Lens[] }> {
    const uri = `file:///tmp/lens-${++documents}/Dockerfile`;
    await client.open(uri, text);
    return { uri, lenses: await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } }) };
  }

  it('puts a lens above each layer step only, with size, image size and cache state', async () => {
    const { uri, lenses } = await lensesOf('FROM scratch\nCOPY a.txt /a.txt\nENV X=1\nLABEL a=b\nRUN ["/bin/true"]\n');
    assert.deepStrictEqual(lenses.map((l) => l.range.start.line), [1, 4]);
    for (const lens of lenses) {
      assert.match(lens.command?.title ?? '', new RegExp(`^${SIZE} · ${IMAGE} · will build$`));
      assert.strictEqual(lens.command?.command, 'layerlens.showLayerPlan');
    }
    assert.deepStrictEqual(lenses[1].command?.arguments, [{ uri, stageIndex: 0, stepIndex: 4 }]);
  });

  it('puts a lens on FROM of an image, and one per stage', async () => {
    const { lenses } = await lensesOf('FROM layerlens.invalid/base:1 AS a\nRUN true\nFROM a\nRUN true\n');
    assert.deepStrictEqual(lenses.map((l) => l.range.start.line), [0, 1, 3]);
    assert.match(lenses[0].command?.title ?? '', /^base size unknown · image size unknown$/);
    assert.deepStrictEqual((lenses[2].command?.arguments?.[0] as { stageIndex: number }).stageIndex, 1);
  });

  it('says "cached" for steps a real build put in the build cache, and "will build" from the first changed step on', async () => {
    const dockerfile = 'FROM scratch\nWORKDIR /app\nENV MODE=release\nWORKDIR /app/sub\n';
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-lens-context-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
    execFileSync(process.execPath, [path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js'), 'build', '--progress', 'plain', '-t', 'lens-test/cached:1', context], {
      env: { ...process.env, LAYERLENS_STORE: storeDir }, stdio: 'pipe', timeout: 60000,
    });
    fs.rmSync(context, { recursive: true, force: true });
    const states = async (text: string) => {
      const deadline = Date.now() + 10000;
      for (;;) {
        const titles = (await lensesOf(text)).lenses.map((l) => /· (cached|will build)$/.exec(l.command?.title ?? '')?.[1]);
        if (titles.includes('cached') || Date.now() > deadline) return titles;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    assert.deepStrictEqual(await states(dockerfile), ['cached', 'cached']);
    assert.deepStrictEqual(await states(dockerfile.replace('/app/sub', '/app/other')), ['cached', 'will build']);
    assert.deepStrictEqual((await lensesOf(dockerfile.replace('WORKDIR /app\n', 'WORKDIR /srv\n'))).lenses.map((l) => /· (cached|will build)$/.exec(l.command?.title ?? '')?.[1]), ['will build', 'will build']);
  });

  it('counts the base image from the local store into the image size of every later step', async () => {
    let lenses: Lens[] = [];
    const deadline = Date.now() + 10000;
    do {
      lenses = (await lensesOf('FROM lens-test/busybox:1\nRUN true\n')).lenses;
      if (/^base [\d.]+ [kM]B/.test(lenses[0]?.command?.title ?? '')) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    const base = /^base ([\d.]+ [kM]B) · image ([\d.]+ [kM]B)$/.exec(lenses[0]?.command?.title ?? '');
    assert.ok(base, lenses[0]?.command?.title);
    assert.strictEqual(base[1], base[2]);
    const run = new RegExp(`^${SIZE} · image (≥ )?([\\d.]+ [kM]B) · will build$`).exec(lenses[1]?.command?.title ?? '');
    assert.ok(run, lenses[1]?.command?.title);
    assert.ok(parseFloat(run[3]) >= parseFloat(base[2]), 'the image only grows');
  });
});
