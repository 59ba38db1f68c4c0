import { describe, expect, it } from 'vitest';
import { jsonDocuments } from '../../src/server/json-documents.js';

async function split(chunks: string[], max = 1024): Promise<string[]> {
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

  it('passes stray text on as a document (for the caller to reject) and keeps an unterminated tail', async () => {
    expect(await split(['{"a":1} nope'])).toEqual(['{"a":1}', 'nope']);
    expect(await split(['{"a":1} nope {"b":2}'])).toEqual(['{"a":1}', 'nope', '{"b":2}']);
    expect(await split(['{"a":1} {"b":'])).toEqual(['{"a":1}', '{"b":']);
  });

  it('refuses a document larger than the limit', async () => {
    await expect(split(['{"a":"' + 'x'.repeat(100), '"}'], 50)).rejects.toMatchObject({ kind: 'payload_too_large' });
  });
});
