/**
 * Splits a byte stream holding JSON documents back to back ("{...} {...}", with or without whitespace between)
 * into the text of each document, as the bytes arrive — for v3's streaming produce, where a client may keep a
 * chunked request open and send records one by one. Only objects and arrays are delimited (by bracket depth,
 * aware of strings and escapes); anything else between documents is reported as a document of its own so the
 * caller's JSON.parse rejects it.
 */
import { DomainError } from '../errors/domain-error.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at === -1 ? chunk.length : at;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export async function* jsonDocuments(source: AsyncIterable<Buffer>, maxDocumentBytes: number): AsyncGenerator<string> {
  for await (const documents of jsonDocumentBatches(source, maxDocumentBytes)) yield* documents;
}

/** The same documents, grouped by the chunk of `source` that completed them (a group per chunk, none empty). */
export async function* jsonDocumentBatches(source: AsyncIterable<Buffer>, maxDocumentBytes: number): AsyncGenerator<string[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stray = false; // a non-space byte outside any object or array
  for await (const chunk of source) {
    const completed: string[] = [];
    let start = 0;
    // Inside a string only its closing quote and backslashes matter: found with indexOf (the next backslash is
    // looked up again only once passed), not byte by byte.
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        const quote = chunk.indexOf(QUOTE, i);
        if (nextBackslash < i && nextBackslash !== chunk.length) nextBackslash = indexOrEnd(chunk, BACKSLASH, i);
        const end = quote === -1 ? chunk.length : quote;
        if (nextBackslash < end) {
          i = nextBackslash;
          escaped = true;
        } else {
          i = end;
          inString = quote === -1;
        }
        continue;
      }
      const byte = chunk[i]!;
      if (depth === 0) {
        const opens = byte === OPEN_BRACE || byte === OPEN_BRACKET;
        if (stray && opens) {
          // Stray text ends where the next object starts: hand it over on its own, then resume.
          const text = Buffer.concat([...pending, chunk.subarray(start, i)]).toString('utf8').trim();
          pending = [];
          pendingBytes = 0;
          start = i;
          stray = false;
          completed.push(text);
        } else if (!stray && isSpace(byte)) {
          start = i + 1;
          continue;
        } else if (!opens) {
          stray = true;
          continue;
        }
      }
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          const text = pending.length === 0 ? chunk.toString('utf8', start, i + 1) : Buffer.concat([...pending, chunk.subarray(start, i + 1)]).toString('utf8');
          pending = [];
          pendingBytes = 0;
          start = i + 1;
          completed.push(text);
        }
      }
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
    }
    if (completed.length > 0) yield completed;
    if (pendingBytes > maxDocumentBytes) throw new DomainError('payload_too_large', `A record is larger than ${maxDocumentBytes} bytes.`);
  }
  const rest = Buffer.concat(pending).toString('utf8').trim();
  if (rest) yield [rest];
}
