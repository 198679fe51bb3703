// The hadolint-style best-practice rules as the tools they watch behave, over stdio.
import * as assert from 'assert';
import { LspClient } from '../lspClient';

let counter = 0;

describe('best-practice rules over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  async function linesWith(text: string, code: string): Promise<number[]> {
    const uri = `file:///tmp/layerlens-practice-${process.pid}-${++counter}/Dockerfile`;
    await client.open(uri, text);
    return (await client.diagnosticsFor(uri)).filter((d) => d.code === code).map((d) => d.range.start.line);
  }

  it('AptAssumeYes accepts a quiet level of 2, which implies -y in apt-get (-q -q, --quiet --quiet, -q=2, -yq)', async () => {
    const text = [
      'FROM debian:12',
      'RUN apt-get install -q -q --no-install-recommends a=1',
      'RUN apt-get --quiet --quiet install --no-install-recommends b=1',
      'RUN apt-get -q=2 install --no-install-recommends c=1',
      'RUN apt-get -yq install --no-install-recommends d=1',
      'RUN apt-get -q install --no-install-recommends e=1',
      '',
    ].join('\n');
    // A single -q still asks for confirmation.
    assert.deepStrictEqual(await linesWith(text, 'AptAssumeYes'), [5]);
  });
});
