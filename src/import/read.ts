// Reading an import file as a stream: physical lines with their byte offsets (so a re-run can
// seek straight past what was committed), NDJSON records (one per non-blank line) and CSV
// records (RFC 4180: a quoted field may hold commas, doubled quotes and line breaks, so one
// record can span several lines). Never holds more than one record in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface PhysicalLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** Byte offset just after this line's line break. */
  end: number;
}

/** Lines of a file from byte `start` (which must be the start of line `firstLine`). CRLF or LF. */
export async function* readLines(path: string, start = 0, firstLine = 1): AsyncGenerator<PhysicalLine> {
  const stream = createReadStream(path, { start, highWaterMark: 1 << 16 });
  let pending: Buffer[] = [];
  let chunkStart = start;
  let line = firstLine;
  const text = (buffer: Buffer, n: number) => {
    let value = buffer.toString('utf8');
    if (value.endsWith('\r')) value = value.slice(0, -1);
    if (n === 1 && value.charCodeAt(0) === 0xfeff) value = value.slice(1); // byte-order mark
    return value;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, from)) {
      const part = chunk.subarray(from, at);
      const whole = pending.length > 0 ? Buffer.concat([...pending, part]) : part;
      pending = [];
      yield { line, text: text(whole, line), end: chunkStart + at + 1 };
      line++;
      from = at + 1;
    }
    if (from < chunk.length) pending.push(Buffer.from(chunk.subarray(from)));
    chunkStart += chunk.length;
  }
  if (pending.length > 0) yield { line, text: text(Buffer.concat(pending), line), end: chunkStart };
}

/** One record to import: the raw text (an NDJSON line, or a CSV record) and where it starts. */
export interface SourceRecord {
  line: number;
  text: string;
}

export interface ReadRecord extends SourceRecord {
  /** The line the record ends on, and the byte offset after it. */
  lastLine: number;
  end: number;
}

/** NDJSON: every non-blank line is a record. */
export async function* ndjsonRecords(lines: AsyncIterable<PhysicalLine>): AsyncGenerator<ReadRecord> {
  for await (const { line, text, end } of lines) {
    if (text.trim() === '') continue;
    yield { line, text, lastLine: line, end };
  }
}

const quotes = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
};

/** CSV: physical lines joined while a quoted field is still open. Blank lines are skipped. */
export async function* csvRecords(lines: AsyncIterable<PhysicalLine>): AsyncGenerator<ReadRecord> {
  let open: { line: number; text: string; quotes: number } | null = null;
  let last: PhysicalLine | null = null;
  for await (const physical of lines) {
    last = physical;
    if (open) {
      open.text += `\n${physical.text}`;
      open.quotes += quotes(physical.text);
    } else {
      if (physical.text.trim() === '') continue;
      open = { line: physical.line, text: physical.text, quotes: quotes(physical.text) };
    }
    if (open.quotes % 2 === 0) {
      yield { line: open.line, text: open.text, lastLine: physical.line, end: physical.end };
      open = null;
    }
  }
  // A quote left open at the end of the file: hand it on, the parser will say what is wrong.
  if (open && last) yield { line: open.line, text: open.text, lastLine: last.line, end: last.end };
}

/** Splits one CSV record into fields (RFC 4180). Throws with the reason when the quoting is broken. */
export function parseCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i <= text.length) {
    const c = text[i];
    if (quoted) {
      if (c === undefined) throw new Error(`a quoted field is never closed (field ${fields.length + 1})`);
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',') throw new Error(`text after the closing quote of field ${fields.length + 1}`);
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === undefined || c === ',') {
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (c === '"') {
      if (!fieldStart) throw new Error(`a quote inside unquoted field ${fields.length + 1} (quote the whole field and double the quote)`);
      quoted = true;
      fieldStart = false;
      i++;
      continue;
    }
    field += c;
    fieldStart = false;
    i++;
  }
  return fields;
}

/** SHA-256 of a file, read as a stream. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
