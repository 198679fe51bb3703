// Wraps every request handler once: cancellation and errors are handled here, so a bad request
// answers with a fallback and a log line instead of taking the server down.
import { CancellationToken, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

export function runSafely<T>(
  connection: Connection,
  what: string,
  fallback: T,
  token: CancellationToken | undefined,
  handler: () => T,
): T | ResponseError<void> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = handler();
    return token?.isCancellationRequested ? cancelled() : result;
  } catch (err) {
    connection.console.error(`${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    return fallback;
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
