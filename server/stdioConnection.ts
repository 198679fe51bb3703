// The connection over stdio: what createConnection(ProposedFeatures.all) makes for --stdio, except
// that its writer splices results kept encoded (encodedResults.ts) instead of stringifying them.
import { format } from 'util';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import type { EncodedResults } from './encodedResults';
import { givingWayTo, pauseWhileWriting } from './turns';

export function createStdioConnection(results: EncodedResults): Connection {
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: results.encoderForWriter() });
  // Background work in turns gives way to each message, from its bytes coming in until it is dispatched.
  const connection = createConnection(ProposedFeatures.all, givingWayTo(new StreamMessageReader(process.stdin), process.stdin), writer);
  // Background work waits while a large response is being written out.
  pauseWhileWriting(process.stdout);
  // As the library does for streams: exit when the client closes stdin (0 after a shutdown request).
  let shutdown = false;
  connection.onShutdown(() => { shutdown = true; });
  const exit = () => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  logConsoleToClient(connection);
  return connection;
}

/** stdout carries the protocol: console output goes to the client's log instead, as the library does for --stdio. */
function logConsoleToClient(connection: Connection): void {
  const remote = connection.console;
  console.log = (...args: unknown[]) => remote.log(format(...args));
  console.info = (...args: unknown[]) => remote.info(format(...args));
  console.debug = (...args: unknown[]) => remote.log(format(...args));
  console.warn = (...args: unknown[]) => remote.warn(format(...args));
  console.error = (...args: unknown[]) => remote.error(format(...args));
  console.dir = (item: unknown) => remote.log(format('%O', item));
}
