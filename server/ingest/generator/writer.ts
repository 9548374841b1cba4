// A buffered NDJSON file writer with backpressure: lines collect in a string and go to the
// stream in ~1 MiB chunks; flush() waits for 'drain' when the stream's buffer is full, so memory
// stays bounded however many events are written. Files are written under a .partial name and
// renamed on close, so an interrupted run never leaves a complete-looking file behind.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';

const CHUNK_CHARS = 1 << 20;

export class NdjsonWriter {
  private readonly stream: WriteStream;
  private pending = '';
  private failure: Error | undefined;
  bytes = 0;
  lines = 0;

  constructor(private readonly path: string) {
    this.stream = createWriteStream(`${path}.partial`, { highWaterMark: 4 * CHUNK_CHARS });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Appends one line (with its newline). Call flushIfFull() between batches. */
  write(line: string): void {
    this.pending += line;
    this.lines++;
  }

  get needsFlush(): boolean {
    return this.pending.length >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = '';
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Flushes, closes and moves the file into place. */
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure) throw this.failure;
    await rename(`${this.path}.partial`, this.path);
  }

  /** Closes without moving the file into place (after a failure). */
  abort(): void {
    this.stream.destroy();
  }
}
