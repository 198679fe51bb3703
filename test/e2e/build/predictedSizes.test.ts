// The sizes the editor predicts for steps it can size exactly (here-documents, echo, printf, tee
// of a here-document or of a pipe, mkdir, COPY) equal the layers a real build of the same Dockerfile makes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { predictAsTheEditor } from '../../../bench/size-accuracy/predictSteps';
import { assertBuilt, buildOk, imageFiles, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const DOCKERFILE = `FROM busybox:e2e
ENV NAME=layerlens
RUN mkdir -p /etc/app && cat <<EOF > /etc/app/app.conf
name=$NAME
quoted="yes" \\$HOME
EOF
RUN echo hello > /greeting && tee /tmp-log <<END >> /greeting && echo "deb http://deb.example/ x main" | tee /piped > /dev/null
line two
END
RUN cat > /notes <<-'EOT'
\tkept as $written
\tEOT
RUN printf '[global]\\nindex-url = %s\\n%-6s|%03d|%%\\n' "https://$NAME.example/simple" ab 7 > /etc/pip.conf && printf '%s=%s\\n' a 1 b 2 > /kv
COPY a.txt /srv/a.txt
`;

describe('build: predicted sizes against built layers (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;
  const savedStore = process.env.LAYERLENS_STORE;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-predicted-');
    store = await storeWithBusybox(work);
  });

  after(() => {
    if (savedStore === undefined) delete process.env.LAYERLENS_STORE;
    else process.env.LAYERLENS_STORE = savedStore;
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('every step predicted exactly or with high confidence is the size the build measures', async () => {
    const ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE, 'a.txt': 'a'.repeat(700) });
    const run = await buildOk(['-t', 'predicted:1', ctx], { store });
    const measured = new Map(stepEvents(run, 'step-finished').map((e) => [`${e.stage}:${e.step}`, e.layer?.bytes]));
    process.env.LAYERLENS_STORE = store;
    const { plan, report } = await predictAsTheEditor(path.join(ctx, 'Dockerfile'));
    const contentBytes = plan.stages[0].steps.map((_, k) => report.steps.find((r) => r.stageIndex === 0 && r.stepIndex === k)?.prediction.contentBytes);
    // Tar sizes go by 512-byte blocks: the files' own bytes show a body off by a character.
    const files = await imageFiles(store, 'predicted:1');
    const bytesOf = (...paths: string[]) => paths.reduce((sum, p) => sum + (files.readFile(p)?.length ?? NaN), 0);
    const built = [bytesOf('/etc/app/app.conf'), bytesOf('/greeting', '/tmp-log', '/piped'), bytesOf('/notes'), bytesOf('/etc/pip.conf', '/kv'), bytesOf('/srv/a.txt')];
    assert.strictEqual(files.readFile('/etc/app/app.conf')?.toString(), 'name=layerlens\nquoted="yes" $HOME\n');
    const steps = plan.stages[0].steps.filter((s) => s.instruction === 'RUN' || s.instruction === 'COPY');
    const compared = steps.map((s, k) => [s.display.split('\n')[0], s.confidence, s.predictedBytes, measured.get(`0:${s.index}`), contentBytes[s.index], built[k]]);
    console.log(`      ${JSON.stringify(compared)}`);
    assert.strictEqual(compared.length, 5);
    for (const [display, confidence, bytes, layer, content, files] of compared) {
      assert.ok(confidence === 'exact' || confidence === 'high', `${display}: ${confidence}`);
      assert.strictEqual(bytes, layer, `${display}: predicted ${bytes}, built ${layer}`);
      assert.strictEqual(content, files, `${display}: predicted ${content} bytes of files, built ${files}`);
    }
  });
});
