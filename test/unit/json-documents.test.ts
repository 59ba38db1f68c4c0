import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDocuments } from '../../src/server/json-documents.js';

async function split(chunks: (string | Buffer)[], max = 1024): Promise<string[]> {
  const out: string[] = [];
  async function* source(): AsyncGenerator<Buffer> {
    for (const c of chunks) yield Buffer.from(c);
  }
  for await (const doc of jsonDocuments(source(), max)) out.push(doc);
  return out;
}

describe('splitting concatenated JSON documents', () => {
  it('splits objects back to back, with or without whitespace', async () => {
    expect(await split(['{"a":1} {"b":2}{"c":[3,{"d":4}]}\n'])).toEqual(['{"a":1}', '{"b":2}', '{"c":[3,{"d":4}]}']);
  });

  it('handles documents cut anywhere between chunks, and brackets inside strings', async () => {
    const text = '{"v":"a}b{c\\"}"} {"w":"[x]"}';
    for (let cut = 1; cut < text.length; cut++) {
      expect(await split([text.slice(0, cut), text.slice(cut)])).toEqual(['{"v":"a}b{c\\"}"}', '{"w":"[x]"}']);
    }
  });

  it('gives back any objects and arrays, whatever their strings hold and wherever the bytes are cut', async () => {
    const document = fc.oneof(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), fc.array(fc.jsonValue()));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(document, fc.constantFrom('', ' ', '\n', '\r\n\t')), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), async (docs, cuts) => {
        const texts = docs.map(([doc]) => JSON.stringify(doc));
        const bytes = Buffer.from(docs.map(([doc, space]) => JSON.stringify(doc) + space).join(''));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length)).filter((c) => c.length > 0);
        expect(await split(chunks, 1 << 20)).toEqual(texts);
      }),
      { numRuns: 300 },
    );
  });

  it('passes stray text on as a document (for the caller to reject) and keeps an unterminated tail', async () => {
    expect(await split(['{"a":1} nope'])).toEqual(['{"a":1}', 'nope']);
    expect(await split(['{"a":1} nope {"b":2}'])).toEqual(['{"a":1}', 'nope', '{"b":2}']);
    expect(await split(['{"a":1} {"b":'])).toEqual(['{"a":1}', '{"b":']);
  });

  it('refuses a document larger than the limit', async () => {
    await expect(split(['{"a":"' + 'x'.repeat(100), '"}'], 50)).rejects.toMatchObject({ kind: 'payload_too_large' });
  });
});
