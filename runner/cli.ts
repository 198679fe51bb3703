// The `layerlens` command line: dispatches `layerlens <command> [args]` to runner/commands/, loading
// only the command that runs (the usage text loads them all for their summaries).
import { commands } from './commands';
import { CliError } from './commands/cliError';
import { deferExtraCaCertificates } from './registry/extraCaCertificates';

function usage(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${commands[name]().summary}`);
  return `usage: layerlens <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const load = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`layerlens: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = load();
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`layerlens ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/**
 * bin/layerlens hands NODE_EXTRA_CA_CERTS over under another name so that Node's start-up does not
 * parse those certificates; put it back for child processes, and let the HTTPS client add them.
 */
function restoreExtraCaCertificates(): void {
  const file = process.env.LAYERLENS_DEFERRED_EXTRA_CA_CERTS;
  if (file === undefined) return;
  delete process.env.LAYERLENS_DEFERRED_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = file;
  deferExtraCaCertificates(file);
}

/** Runs the CLI on this process's arguments and sets its exit code (bin/layerlens calls this). */
export function main(): void {
  restoreExtraCaCertificates();
  runCli(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`layerlens: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
