// Streams an NDJSON / JSON Lines file one line at a time. Its own line splitter instead of
// readline: memory stays bounded even for a file with a huge or missing newline (a line longer
// than MAX_LINE_BYTES is rejected and skipped, never buffered whole), and bytesRead is exact.
import { createReadStream } from 'node:fs';
import { MAX_PAYLOAD_CHARS, type ImportItem, type ItemReader } from './import-item';

/** No valid item comes close: properties are capped at 32 KiB. */
export const MAX_LINE_BYTES = 1024 * 1024;

export function readNdjson(file: string): ItemReader {
  let consumed = 0;
  return {
    bytesRead: () => consumed,
    async *items(): AsyncGenerator<ImportItem> {
      const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
      let parts: Buffer[] = [];
      let partBytes = 0;
      let oversized = false;
      const lineOf = (tail: Buffer): ImportItem | undefined => {
        if (oversized) {
          oversized = false;
          parts = [];
          partBytes = 0;
          return {
            ok: false,
            reason: `line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`,
            payload: null,
          };
        }
        const buffer = parts.length ? Buffer.concat([...parts, tail]) : tail;
        parts = [];
        partBytes = 0;
        return parseLine(buffer.toString('utf8'));
      };
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let start = 0;
        for (;;) {
          const nl = chunk.indexOf(10, start);
          if (nl === -1) break;
          const item = lineOf(chunk.subarray(start, nl));
          consumed += nl + 1 - start;
          start = nl + 1;
          if (item) yield item;
        }
        const rest = chunk.subarray(start);
        consumed += rest.length;
        if (oversized) continue;
        if (partBytes + rest.length > MAX_LINE_BYTES) {
          oversized = true;
          parts = [];
          partBytes = 0;
        } else if (rest.length) {
          // Copy: the stream may reuse its buffer.
          parts.push(Buffer.from(rest));
          partBytes += rest.length;
        }
      }
      if (oversized || partBytes > 0) {
        const item = lineOf(Buffer.alloc(0));
        if (item) yield item;
      }
    },
  };
}

function parseLine(text: string): ImportItem | undefined {
  const line = text.trim();
  if (line === '') return undefined;
  try {
    return { ok: true, item: JSON.parse(line) as unknown };
  } catch {
    return {
      ok: false,
      reason: 'line is not valid JSON',
      payload: line.slice(0, MAX_PAYLOAD_CHARS),
    };
  }
}
