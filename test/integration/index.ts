// Loaded by the VS Code extension host (extensionTestsPath): runs every *.test.js here with mocha and
// writes the counts to $VSCODE_TEST_RESULT_FILE, which the harness trusts over the exit code.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000 });
  if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const failed: { title: string; file: string; message: string }[] = [];
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      const resultFile = process.env.VSCODE_TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ passes, failures, pending, failed }));
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
    runner.on('fail', (test, err: unknown) => {
      const text = err instanceof Error ? err.stack ?? err.message : String(err);
      failed.push({ title: test.fullTitle(), file: test.file ?? '', message: text.split('\n').slice(0, 8).join('\n') });
    });
  });
}
