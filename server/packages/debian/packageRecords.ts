// Packages of a Debian index as records of bytes: a record is its fields' bytes, each after its
// length, written into 1 MiB chunks; a table of record addresses is indexed by package id, and
// an open-addressing hash table finds a name's id. Nothing per package is a JavaScript object,
// so 60,000 packages cost their bytes and a few typed arrays (the objects and strings of before
// were 25 MiB of heap, and building them made much more garbage).

import { readSync, writeSync } from 'fs';
import { copyBytes } from './copyBytes';

const CHUNK_BYTES = 1 << 20;
const EMPTY = -1;

/** FNV-1a over bytes (the same over a string's char codes when it is ASCII). */
function hashBytes(bytes: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function hashAscii(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Where a field of a record is: `chunk[start..end)`, or absent. */
export interface FieldSpan {
  chunk: Buffer;
  start: number;
  end: number;
  present: boolean;
}

/** The span the lookups by name use. */
const SCRATCH: FieldSpan = { chunk: Buffer.alloc(0), start: 0, end: 0, present: false };

/**
 * Records with a fixed number of fields, found by id or (when `findable`) by their first field,
 * the name. They can be kept in a file (`useFile`, `flushToFile`): a record is then read back
 * when asked for, the last one read kept.
 */
export class PackageRecords {
  /** The chunks; a chunk moved to the file is undefined. */
  private readonly chunks: (Buffer | undefined)[] = [];
  /** Bytes used in the last chunk. */
  private used = CHUNK_BYTES;
  /** Record address by id: chunk index * CHUNK_BYTES + offset. */
  private addresses: Uint32Array = new Uint32Array(1024);
  /** Record length by id (to read one back from the file). */
  private lengths: Uint32Array = new Uint32Array(1024);
  /** Ids by hash of the name (EMPTY where free); twice the ids at least. */
  private slots = new Int32Array(2048).fill(EMPTY);
  count = 0;
  /** The file chunks were moved into, and where each one is in it. */
  private file: number | undefined;
  private readonly filePositions: number[] = [];
  private fileBytes = 0;
  /** The record last read back from the file. */
  private loaded = Buffer.alloc(0);
  private loadedId = -1;

  constructor(private readonly fieldCount: number, private readonly findable = true) {}

  /** The id of the record named by `bytes[start..end)`, or -1. */
  findBytes(bytes: Buffer, start: number, end: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hashBytes(bytes, start, end) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === EMPTY) return -1;
      if (this.nameEquals(id, bytes, start, end)) return id;
    }
  }

  /** The id of the record named `name`, or -1. */
  find(name: string): number {
    if (!isAscii(name)) {
      const bytes = Buffer.from(name, 'utf8');
      return this.findBytes(bytes, 0, bytes.length);
    }
    const mask = this.slots.length - 1;
    for (let slot = hashAscii(name) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === EMPTY) return -1;
      if (this.nameIs(id, name)) return id;
    }
  }

  /**
   * Writes a record of `fieldCount` fields, field `i` being `bytes[starts[i]..ends[i])` or absent
   * (`starts[i]` < 0); field 0 is the name. Replaces the record of `id`, or adds one (`id` -1).
   * Returns the record's id.
   */
  write(id: number, bytes: Buffer, starts: ArrayLike<number>, ends: ArrayLike<number>): number {
    let size = 0;
    for (let i = 0; i < this.fieldCount; i++) size += starts[i] < 0 ? 1 : 5 + ends[i] - starts[i];
    if (this.used + size > CHUNK_BYTES) {
      // Writing into a file, the full chunk goes there and its buffer takes the next records.
      const full = this.file !== undefined ? this.chunks[this.chunks.length - 1] : undefined;
      if (full) this.writeChunk(this.chunks.length - 1, this.used);
      this.chunks.push(full && full.length >= size ? full : Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, size)));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1] as Buffer;
    const address = (this.chunks.length - 1) * CHUNK_BYTES + this.used;
    let at = this.used;
    for (let i = 0; i < this.fieldCount; i++) {
      if (starts[i] < 0) {
        chunk[at++] = 0;
        continue;
      }
      // Length + 1 in 7-bit groups, low first (0 says absent).
      let length = ends[i] - starts[i] + 1;
      while (length >= 0x80) {
        chunk[at++] = (length & 0x7f) | 0x80;
        length >>>= 7;
      }
      chunk[at++] = length;
      at += copyBytes(bytes, starts[i], ends[i], chunk, at);
    }
    const length = at - this.used;
    this.used = at;
    if (id >= 0) {
      this.addresses[id] = address;
      this.lengths[id] = length;
      if (id === this.loadedId) this.loadedId = -1;
      return id;
    }
    id = this.count++;
    if (id === this.addresses.length) {
      this.addresses = grownTo(this.addresses, id * 2);
      this.lengths = grownTo(this.lengths, id * 2);
    }
    this.addresses[id] = address;
    this.lengths[id] = length;
    if (!this.findable) return id;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  /** Field `field` of record `id` (valid until the next `field` call on `span`). */
  field(id: number, field: number, span: FieldSpan): FieldSpan {
    const address = this.addresses[id];
    let chunk = this.chunks[Math.floor(address / CHUNK_BYTES)];
    let at = address % CHUNK_BYTES;
    if (!chunk) {
      chunk = this.readBack(id, Math.floor(address / CHUNK_BYTES), at);
      at = 0;
    }
    for (let i = 0; ; i++) {
      let length = 0;
      let shift = 0;
      let b: number;
      do {
        b = chunk[at++];
        length += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      if (i === field) {
        span.chunk = chunk;
        span.present = length > 0;
        span.start = at;
        span.end = length > 0 ? at + length - 1 : at;
        return span;
      }
      if (length > 0) at += length - 1;
    }
  }

  /** The text of field `field` of record `id`, or undefined when absent. */
  text(id: number, field: number): string | undefined {
    const span = this.field(id, field, SCRATCH);
    return span.present ? span.chunk.toString('utf8', span.start, span.end) : undefined;
  }

  /** Record `id` (in chunk `chunk` at `offset`) read from the file. */
  private readBack(id: number, chunk: number, offset: number): Buffer {
    if (id !== this.loadedId) {
      const length = this.lengths[id];
      if (this.loaded.length < length) this.loaded = Buffer.allocUnsafe(Math.max(length, 4096));
      readSync(this.file as number, this.loaded, 0, length, this.filePositions[chunk] + offset);
      this.loadedId = id;
    }
    return this.loaded;
  }

  /**
   * Keeps the records in the file open for reading and writing as `fd` from now on: those
   * written so far go there, and later ones go there chunk by chunk through one buffer.
   */
  useFile(fd: number): void {
    if (this.file !== undefined && this.file !== fd) throw new Error('records are in another file already');
    this.file = fd;
    const last = this.chunks.length - 1;
    for (let i = 0; i < last; i++) {
      const chunk = this.chunks[i];
      if (!chunk) continue;
      this.writeChunk(i, chunk.length);
      release(chunk);
    }
  }

  /** Writes the records kept in memory (the chunk being filled) to the file, and drops its buffer. */
  flushToFile(): void {
    const last = this.chunks.length - 1;
    const chunk = this.chunks[last];
    if (this.file === undefined || !chunk) return;
    this.writeChunk(last, this.used);
    this.used = CHUNK_BYTES;
    release(chunk);
  }

  /** Writes `bytes` bytes of chunk `i` at the file's end; the chunk is then read from there. */
  private writeChunk(i: number, bytes: number): void {
    const chunk = this.chunks[i] as Buffer;
    let done = 0;
    while (done < bytes) done += writeSync(this.file as number, chunk, done, bytes - done, this.fileBytes + done);
    this.filePositions[i] = this.fileBytes;
    this.fileBytes += bytes;
    this.chunks[i] = undefined;
  }

  /** Gives back the unused end of the last chunk; later records start a new one. */
  trim(): void {
    const last = this.chunks.length - 1;
    const chunk = this.chunks[last];
    if (!chunk || this.used >= chunk.length) return;
    this.chunks[last] = Buffer.from(chunk.subarray(0, this.used));
    this.used = CHUNK_BYTES;
    release(chunk);
  }

  private nameEquals(id: number, bytes: Buffer, start: number, end: number): boolean {
    const span = this.field(id, 0, SCRATCH);
    if (span.end - span.start !== end - start) return false;
    return span.chunk.compare(bytes, start, end, span.start, span.end) === 0;
  }

  private nameIs(id: number, name: string): boolean {
    const span = this.field(id, 0, SCRATCH);
    if (span.end - span.start !== name.length) return false;
    const chunk = span.chunk;
    for (let i = 0, at = span.start; i < name.length; i++, at++) if (chunk[at] !== name.charCodeAt(i)) return false;
    return true;
  }

  private place(id: number): void {
    const span = this.field(id, 0, SCRATCH);
    const mask = this.slots.length - 1;
    let slot = hashBytes(span.chunk, span.start, span.end) & mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(EMPTY);
    for (let id = 0; id < this.count; id++) this.place(id);
  }

  /** Bytes held in memory (chunks and tables). */
  get heldBytes(): number {
    return this.chunks.reduce((s, c) => s + (c?.length ?? 0), 0) + this.addresses.byteLength + this.lengths.byteLength + this.slots.byteLength + this.loaded.length;
  }
}

/**
 * Gives a chunk's memory back at the next minor collection: the chunks are old by the time they
 * move, and V8 frees an old buffer's memory only in a full collection (bench/lsp's CI toolbox kept
 * 12 MiB resident for minutes). Handing its ArrayBuffer to a clone that nothing keeps does it
 * (the memory goes with the clone's young collection: see collectYoungGeneration).
 */
function release(chunk: Buffer): void {
  const buffer = chunk.buffer;
  if (buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && buffer.byteLength === chunk.length) structuredClone(buffer, { transfer: [buffer] });
}

function grownTo(array: Uint32Array, length: number): Uint32Array {
  const bigger = new Uint32Array(length);
  bigger.set(array);
  return bigger;
}
