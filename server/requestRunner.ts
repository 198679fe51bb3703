// Wraps every request handler once: cancellation and errors are handled here, so a bad request
// answers with a fallback and a log line instead of taking the server down.
import { CancellationToken, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { requestAnswered } from './turns';

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
  } finally {
    requestAnswered();
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/**
 * `runSafely` for handlers that wait (e.g. for sizes predicted in turns). A handler that throws
 * `ContentModifiedError` (the document changed while it waited) answers ContentModified, so the
 * client asks again for the new version.
 */
export async function runSafelyInTurns<T>(
  connection: Connection,
  what: string,
  fallback: T,
  token: CancellationToken | undefined,
  handler: () => Promise<T>,
): Promise<T | ResponseError<void>> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = await handler();
    return token?.isCancellationRequested ? cancelled() : result;
  } catch (err) {
    if (err instanceof ContentModifiedError) return new ResponseError(LSPErrorCodes.ContentModified, err.message);
    connection.console.error(`${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    return fallback;
  } finally {
    requestAnswered();
  }
}

/**
 * The `current` of a handler that waits: true while the request is not cancelled and its document
 * is still open at the version it had (a document closed and opened again is another object).
 */
export function stillCurrent<D extends { uri: string; version: number }>(documents: { get(uri: string): D | undefined }, document: D, token: CancellationToken): () => boolean {
  const version = document.version;
  return () => !token.isCancellationRequested && documents.get(document.uri) === document && document.version === version;
}

/** Thrown by a waiting handler whose document changed meanwhile. */
export class ContentModifiedError extends Error {
  constructor() {
    super('The document changed');
  }
}
