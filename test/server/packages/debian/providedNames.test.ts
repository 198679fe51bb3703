import * as assert from 'assert';
import { forEachProvidedName } from '../../../../server/packages/debian/providedNames';
import { parseRelations } from '../../../../server/packages/debian/relations';

function provided(field: string): string[] {
  const bytes = Buffer.from(`x${field}y`, 'utf8');
  const names: string[] = [];
  forEachProvidedName(bytes, 1, bytes.length - 1, (name, start, end) => names.push(name.toString('utf8', start, end)));
  return names;
}

describe('names a Provides field gives', () => {
  const fields = [
    'awk',
    'librust-foo-dev (= 1.2.3-1), librust-foo+default-dev (= 1.2.3-1), librust-Foo-1-dev',
    'a:any, b (>= 1) | c, ,, | d, -bad | e',
    ' x ,\n y\t(= 2) ,z ',
    'p [amd64], q <!nocheck> | r',
    'ünïcode, plain',
    '',
    ',',
    '+bad',
  ];
  for (const field of fields) {
    it(`gives what parseRelations gives for ${JSON.stringify(field)}`, () => {
      assert.deepStrictEqual(provided(field), parseRelations(field).map((g) => g[0].name));
    });
  }

  it('lower-cases names and skips groups without a valid name', () => {
    assert.deepStrictEqual(provided('Mail-Transport-Agent, (= 1), -x | Y'), ['mail-transport-agent', 'y']);
  });
});
