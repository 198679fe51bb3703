#!/usr/bin/env node
'use strict';
/*
 * Runs the extension's integration suite inside a real VS Code and exits with its result.
 *
 * Default: VS Code 1.100.3 from the npm package code-server (installed by scripts/install-vscode.sh into
 * .vscode-test/), its web workbench opened in Debian's headless chromium through playwright-core. The workbench
 * URL carries extensionDevelopmentPath and extensionTestsPath, so the Node extension host loads the extension,
 * require()s the tests module and awaits its run() -- the same contract as @vscode/test-electron. The result
 * arrives through window.codeAutomationExit; extension-host console output through window.codeAutomationLog.
 * With VSCODE_PATH set (a desktop VS Code executable), the same suite runs through @vscode/test-electron.
 *
 * A crashed extension host is reported as exit 0 by the workbench, so a pass counts only when the suite wrote
 * its result file ($VSCODE_TEST_RESULT_FILE). Prints "N passed, N failed".
 * Exit: 0 pass, 1 test failure, 2 harness error (VS Code could not start), 124 timeout.
 *
 * Tests can ask for a screenshot of the live workbench: they write NAME.request into
 * $LAYERLENS_SCREENSHOT_DIR; the harness saves NAME.png there (or under --shots DIR) and writes NAME.done.
 *
 * Usage: run-vscode-tests.js --extensionDevelopmentPath DIR --extensionTestsPath FILE [--workspace DIR]
 *        [--timeout S] [--screenshot PNG] [--shots DIR] [--logs DIR] [--verbose]
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const util = require('util');

const ROOT = path.resolve(__dirname, '..', '..');
const PREFIX = path.resolve(process.env.VSCODE_TEST_PREFIX || path.join(ROOT, '.vscode-test'));
const CODE_SERVER = process.env.CODE_SERVER_BIN || path.join(PREFIX, 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

function parseArgs(argv) {
  const o = { timeout: 300 };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    switch (argv[i]) {
      case '--extensionDevelopmentPath': o.ext = path.resolve(next()); break;
      case '--extensionTestsPath': o.tests = path.resolve(next()); break;
      case '--workspace': o.workspace = path.resolve(next()); break;
      case '--timeout': o.timeout = Number(next()); break;
      case '--screenshot': o.screenshot = path.resolve(next()); break;
      case '--logs': o.logs = path.resolve(next()); break;
      case '--shots': o.shots = path.resolve(next()); break;
      case '--verbose': o.verbose = true; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!o.ext || !o.tests) throw new Error('--extensionDevelopmentPath and --extensionTestsPath are required');
  return o;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

function waitForOutput(pattern, stream, ms) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} from code-server within ${ms} ms:\n${seen}`)), ms);
    stream.on('data', (d) => { seen += d; if (pattern.test(seen)) { clearTimeout(timer); resolve(); } });
  });
}

function readResult(resultFile, exitCode) {
  if (!fs.existsSync(resultFile)) {
    if (exitCode === 0) console.error(`[harness] VS Code reported success but the suite wrote no result file: treating as failure`);
    return exitCode === 0 ? 1 : exitCode;
  }
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  console.log(`${r.passes} passed, ${r.failures} failed` + (r.pending ? `, ${r.pending} skipped` : ''));
  if (process.env.LAYERLENS_TEST_TALLY) {
    fs.appendFileSync(process.env.LAYERLENS_TEST_TALLY, JSON.stringify({ suite: 'integration', ...r }) + '\n');
  }
  if (r.passes === 0 && r.failures === 0) { console.error('[harness] the suite ran no test'); return 1; }
  return r.failures > 0 ? 1 : exitCode;
}

async function runInDesktopVSCode(o, resultFile) {
  const { runTests } = require('@vscode/test-electron');
  const code = await runTests({
    vscodeExecutablePath: process.env.VSCODE_PATH,
    extensionDevelopmentPath: o.ext, extensionTestsPath: o.tests,
    launchArgs: [o.workspace, '--disable-extensions', '--disable-workspace-trust'].filter(Boolean),
    extensionTestsEnv: { VSCODE_TEST_RESULT_FILE: resultFile },
  }).then(() => 0, () => 1);
  return readResult(resultFile, code);
}

async function runInCodeServer(o, tmp, resultFile) {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new Error(`no VS Code at ${CODE_SERVER}: run scripts/install-vscode.sh (or set VSCODE_PATH to a desktop VS Code)`);
  }
  const { chromium } = require(require.resolve('playwright-core', { paths: [PREFIX, ROOT] }));
  const dir = (name) => { const d = path.join(tmp, name); fs.mkdirSync(d, { recursive: true }); return d; };
  const userData = dir('user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'workbench.startupEditor': 'none',
    'workbench.enableExperiments': false, 'security.workspace.trust.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  }));
  const shotRequests = dir('shots');
  const env = {
    ...process.env, VSCODE_TEST_RESULT_FILE: resultFile, EXTENSIONS_GALLERY: '{}', LAYERLENS_SCREENSHOT_DIR: shotRequests,
    TMPDIR: dir('tmp'), XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data'),
  };
  const port = await freePort();
  const log = fs.createWriteStream(path.join(tmp, 'code-server.log'));
  const server = spawn(CODE_SERVER, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
    '--user-data-dir', userData, '--extensions-dir', dir('extensions'),
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  server.stdout.pipe(log); server.stderr.pipe(log);
  if (o.verbose) { server.stdout.pipe(process.stderr); server.stderr.pipe(process.stderr); }
  let browser;
  try {
    await Promise.race([
      waitForOutput(/HTTP server listening on/, server.stdout, 60000),
      new Promise((_, reject) => server.on('exit', (c) => reject(new Error(`code-server exited early (${c})`)))),
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-breakpad'],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_CACHE_HOME: path.join(tmp, 'xdg-config') },
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    if (o.verbose) page.on('console', (m) => console.error(`[browser ${m.type()}] ${m.text()}`));
    let finish;
    const finished = new Promise((resolve) => { finish = resolve; });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', async (code) => {
      if (o.screenshot) {
        fs.mkdirSync(path.dirname(o.screenshot), { recursive: true });
        await page.screenshot({ path: o.screenshot }).catch(() => undefined);
      }
      finish(Number(code));
    });
    const shooter = setInterval(() => void answerScreenshotRequests(page, shotRequests, o.shots), 200);
    finished.then(() => clearInterval(shooter));
    const authority = `127.0.0.1:${port}`;
    const remote = (p) => `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
    const payload = [['extensionDevelopmentPath', remote(o.ext)], ['extensionTestsPath', remote(o.tests)], ['skipWelcome', 'true']];
    const workspace = o.workspace || dir('workspace');
    await page.goto(`http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const outcome = await Promise.race([finished, new Promise((r) => setTimeout(() => r('timeout'), o.timeout * 1000))]);
    if (outcome === 'timeout') {
      console.error(`[harness] no result from VS Code within ${o.timeout} s; code-server log: ${path.join(tmp, 'code-server.log')}`);
      return 124;
    }
    return readResult(resultFile, outcome);
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    if (o.logs) {
      fs.mkdirSync(o.logs, { recursive: true });
      try { fs.cpSync(path.join(userData, 'logs'), path.join(o.logs, 'server'), { recursive: true }); } catch { /* no logs yet */ }
      try { fs.copyFileSync(path.join(tmp, 'code-server.log'), path.join(o.logs, 'code-server.log')); } catch { /* none */ }
    }
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 500));
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

let shooting = false;
/** Takes the screenshots tests asked for (NAME.request -> NAME.png, then NAME.done). */
async function answerScreenshotRequests(page, requests, keepIn) {
  if (shooting) return;
  shooting = true;
  try {
    for (const file of fs.readdirSync(requests).filter((f) => f.endsWith('.request'))) {
      const name = path.basename(file, '.request').replace(/[^\w.-]/g, '_');
      const target = path.join(keepIn || requests, `${name}.png`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target }).catch((e) => console.error(`[harness] screenshot ${name}: ${e.message}`));
      fs.renameSync(path.join(requests, file), path.join(requests, `${name}.done`));
    }
  } finally {
    shooting = false;
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-vscode-'));
  const resultFile = path.join(tmp, 'result.json');
  let code;
  try {
    code = process.env.VSCODE_PATH ? await runInDesktopVSCode(o, resultFile) : await runInCodeServer(o, tmp, resultFile);
  } catch (err) {
    console.error(`[harness] could not run VS Code: ${err && err.stack || err}`);
    code = 2;
  }
  if (code === 0) fs.rmSync(tmp, { recursive: true, force: true });
  else console.error(`[harness] kept ${tmp} for inspection`);
  process.exit(code);
}

main();
