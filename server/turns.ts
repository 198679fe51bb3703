// Work that runs in turns on large files (rules, shellcheck requests, size prediction) gives the
// event loop a turn after this many milliseconds, so a request waits about one slice of each such
// task (requests are dispatched through setImmediate too, one round of slices at most).
import type { Readable, Writable } from 'stream';
import type { DataCallback, MessageReader } from 'vscode-jsonrpc';

export const TURN_SLICE_MS = 4;

/**
 * After a request is answered, the next turn of background work waits this long (once per turn):
 * clients send requests in bursts (hover, highlights, code actions; a bench's loop), and the next
 * one is then answered without waiting behind a slice. Background work still moves on every turn.
 */
export const REQUEST_QUIET_MS = 25;

let lastRequestAt = Number.NEGATIVE_INFINITY;

/** When bytes of a message from the client last came in, or a message was read (see messageRead). */
let lastMessageAt = Number.NEGATIVE_INFINITY;

/**
 * Called as bytes come in off the input stream and as each message is read, before the connection
 * queues it. Bytes count too: the library reads a message a turn after its bytes came (its read lock
 * goes through setImmediate), and a slice starting in that turn would make the message wait for it.
 */
function messageRead(): void {
  lastMessageAt = performance.now();
}

/**
 * `reader`, calling messageRead for each message it reads and, once it listens, for each chunk of
 * `input` (the stream it reads: what the stdio connection listens with).
 */
export function givingWayTo(reader: MessageReader, input?: Readable): MessageReader {
  const listen = reader.listen.bind(reader);
  reader.listen = (callback: DataCallback) => {
    const listening = listen((message) => {
      messageRead();
      callback(message);
    });
    // After the reader's own listener, so it is the reader that sets the stream flowing.
    input?.on('data', messageRead);
    return { dispose: () => { input?.off('data', messageRead); listening.dispose(); } };
  };
  return reader;
}

/** Called when a request was answered (see requestRunner.ts). */
export function requestAnswered(): void {
  lastRequestAt = performance.now();
}

/** The stream responses go out on (stdio), and a promise of its next drain while it needs one. */
let output: Writable | undefined;
let drained: Promise<void> | undefined;

/**
 * Background turns wait while `stream` needs draining: a large response (a 3.8 MB outline, a 1 MB
 * diagnostics publication) goes out 64 KB per pipe write, each on a turn of the event loop, and
 * would otherwise wait a slice of background work per chunk.
 */
export function pauseWhileWriting(stream: Writable | undefined): void {
  output = stream;
}

/**
 * Resolves after the messages received so far have been dispatched: the connection handles one
 * message per setImmediate, so a request that came with an edit (an editor asks for completion
 * as the user types) is answered before the edit's validation starts. Two turns: the second
 * covers a request read from the pipe during the first.
 */
export function afterReceivedMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Resolves on a later turn of the event loop, after the I/O and requests queued meanwhile. */
export function nextTurn(): Promise<void> {
  const stream = output;
  if (stream?.writableNeedDrain) {
    drained ??= new Promise<void>((resolve) => stream.once('drain', () => {
      drained = undefined;
      resolve();
    }));
    return drained.then(nextTurn);
  }
  const quiet = lastRequestAt + REQUEST_QUIET_MS - performance.now();
  if (quiet > 0) return new Promise((resolve) => setTimeout(() => setImmediate(resolve), quiet));
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs the steps, giving the event loop a turn whenever a slice has taken `sliceMs` (0: at every
 * step); resolves undefined (the rest left undone) once `current()` turns false after a turn.
 */
export async function runStepsInTurns<T>(steps: Generator<void, T>, current: () => boolean, sliceMs = TURN_SLICE_MS): Promise<T | undefined> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    let waitedFrom = performance.now();
    await nextTurn();
    // Messages read meanwhile (an edit and the completion sent with it) are dispatched one per
    // turn: every task in turns steps aside until they are, instead of running a slice before each.
    while (lastMessageAt >= waitedFrom) {
      waitedFrom = performance.now();
      await afterReceivedMessages();
    }
    if (!current()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = performance.now();
  }
}
