import * as assert from 'assert';
import { classifyCommand, type CommandEffect } from '../../../../server/plan/size/classifyCommand';
import { parseShellCommands } from '../../../../server/parser/shell/shellCommands';
import { expandShellCommands } from '../../../../server/plan/size/expandShellCommands';

function effects(script: string, env: Record<string, string> = {}): CommandEffect[] {
  return expandShellCommands(parseShellCommands(script).commands, env).flatMap((c) => classifyCommand(c, '/', env));
}

const writes = (list: CommandEffect[]): string[] => list.flatMap((e) => (e.kind === 'write' ? [`${e.path} ${e.bytes}`] : []));

describe('classifyCommand: what account and npm housekeeping commands leave', () => {
  it('copies the skeleton files into the new home for `useradd -m` (as the builds bench measured), not without -m', () => {
    assert.deepStrictEqual(writes(effects('useradd -m -u 1001 app')), ['/home/app/.bashrc 3526', '/home/app/.profile 807', '/home/app/.bash_logout 220']);
    assert.deepStrictEqual(writes(effects('useradd --create-home -d /srv/svc -s /bin/bash svc')), ['/srv/svc/.bashrc 3526', '/srv/svc/.profile 807', '/srv/svc/.bash_logout 220']);
    assert.deepStrictEqual(writes(effects('useradd -r -u 999 daemonuser')), []);
    assert.ok(effects('useradd -m app').some((e) => e.kind === 'accounts'));
  });

  it('keeps npm\'s debug log and update-notifier stamp when `npm cache clean` removes the cache', () => {
    const list = effects('npm cache clean --force');
    assert.ok(list.some((e) => e.kind === 'clean' && e.caches.includes('npm-cache')));
    assert.deepStrictEqual(writes(list), ['/root/.npm/_logs/npm-cache-debug-0.log 1700', '/root/.npm/_update-notifier-last-checked 0']);
  });
});

describe('classifyCommand: files written from here-documents and here-strings', () => {
  it('sizes `cat <<EOF > f` from the body, expanded when the delimiter is unquoted (quotes plain, \\$ escaped)', () => {
    assert.deepStrictEqual(writes(effects('cat <<EOF > /etc/app.conf\nversion=$V "q" \\$HOME\nEOF', { V: '1.2' })), ['/etc/app.conf 22']);
    assert.deepStrictEqual(writes(effects("cat <<'EOF' > /etc/app.conf\nversion=$V\nEOF", { V: '1.2' })), ['/etc/app.conf 11']);
    assert.deepStrictEqual(writes(effects('cat > /x <<-EOT\n\tone\n\t\ttwo\n\tEOT')), ['/x 8']);
  });
  it('leaves echo with a backslash unsized (dash reads escapes, bash and busybox do not)', () => {
    assert.deepStrictEqual(writes(effects("echo 'a\\nb' > /e && echo ab > /f")), ['/e undefined', '/f 3']);
  });
  it('sizes `tee` of a here-string, appending with -a, and leaves a piped or substituted body unknown', () => {
    assert.deepStrictEqual(writes(effects('tee -a /a /b <<<hello')), ['/a 6', '/b 6']);
    assert.deepStrictEqual(writes(effects('echo x | tee /f')), ['/f undefined']);
    assert.deepStrictEqual(writes(effects('cat <<EOF > /x\n$(date)\nEOF')), ['/x undefined']);
  });
});
