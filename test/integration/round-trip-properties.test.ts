/**
 * Round-trip properties (fast-check, fixed seed): arbitrary bytes, keys, header sets and Unicode text produced
 * through each dialect come back exactly through each dialect's read path — and a plain kafkajs consumer, the
 * independent witness, reads the same bytes from Kafka.
 *
 * What each dialect can carry, and so what is compared:
 * - v3 BINARY, v2 binary and the v3/v1/v2-binary read paths carry any bytes, and tell a null key/value from an
 *   empty one; header values are bytes (or null), header names text, and names may repeat.
 * - v3 STRING and everything Upstash carry Unicode text, stored as UTF-8: any code point, astral planes and
 *   U+0000 included. Lone surrogates are not Unicode text (they have no UTF-8 form): every produce path refuses them (400) rather than store U+FFFD.
 *   Upstash reads return text: bytes that are not UTF-8 come back decoded with U+FFFD, and a null key or value
 *   reads as "" (Upstash's shape has no null).
 * - v3 JSON and v2 json store a value's JSON text (JSON.stringify) and v2 json reads parse it back.
 */
import { Kafka, logLevel } from 'kafkajs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

const SEED = Number(process.env['ROUND_TRIP_SEED'] ?? 8_2026);
const RUNS = 25;
const FC = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;

/** A record as Kafka holds it. */
interface Stored {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { key: string; value: Buffer | null }[];
}

const V2 = 'application/vnd.kafka.v2+json';
const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));
const fromB64 = (s: string | null | undefined): Buffer | null => (s === null || s === undefined ? null : Buffer.from(s, 'base64'));
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

const bytes = fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a));
const text = fc.string({ unit: 'binary', maxLength: 24 });
/** Header names (non-empty, as the spec asks): often the same few (duplicates, awkward ones), otherwise any Unicode text. */
const headerName = fc.oneof(fc.constantFrom('h', 'dup', 'ключ', '😀', '1', 'constructor', '__proto__'), text.filter((s) => s.length > 0));
const json = fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 });

const binaryRecord = fc.record({
  key: fc.option(bytes, { nil: null }),
  value: fc.option(bytes, { nil: null }),
  headers: fc.array(fc.record({ key: headerName, value: fc.option(bytes, { nil: null }) }), { maxLength: 5 }),
});

/**
 * What Kafka holds of a produced record: repeated header names are stored together at the first one's position,
 * and a null header value as empty bytes (kafkajs's producer cannot write either otherwise; see record-producer.ts).
 */
function asStored(r: Stored): Stored {
  const byName = new Map<string, Buffer[]>();
  for (const h of r.headers) byName.set(h.key, [...(byName.get(h.key) ?? []), h.value ?? Buffer.alloc(0)]);
  return { key: r.key, value: r.value, headers: [...byName].flatMap(([key, values]) => values.map((value) => ({ key, value }))) };
}

/** Headers as name → values in order: what a kafkajs consumer (the witness, and v2's consumers) can tell apart. */
const headersByName = (hs: readonly { key: string; value: Buffer | null }[]): [string, (string | null)[]][] =>
  [...hs.reduce((m, h) => m.set(h.key, [...(m.get(h.key) ?? []), b64(h.value)]), new Map<string, (string | null)[]>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** What every byte-exact read path must show for one record. */
function expectSame(actual: Stored, expected: Stored, where: string): void {
  expect({ where, key: b64(actual.key), value: b64(actual.value) }).toEqual({ where, key: b64(expected.key), value: b64(expected.value) });
  expect(actual.headers.map((h) => [h.key, b64(h.value)])).toEqual(expected.headers.map((h) => [h.key, b64(h.value)]));
}

describe('round-trip properties', () => {
  let t: ProxyUnderTest;
  /** Everything produced, by topic and offset, for the witness. */
  const produced = new Map<string, Map<number, Stored>>();

  async function call(path: string, init: { method?: string; body?: unknown; type?: string; accept?: string } = {}): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {};
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    if (init.accept) headers['accept'] = init.accept;
    const response = await fetch(t.baseUrl + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const raw = await response.text();
    return { status: response.status, body: raw === '' ? undefined : JSON.parse(raw) };
  }

  async function ok(path: string, init: Parameters<typeof call>[1] = {}): Promise<unknown> {
    const r = await call(path, init);
    if (r.status >= 300) throw new Error(`${init.method ?? 'POST'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async function newTopic(prefix: string): Promise<string> {
    const topic = uniqueTopic(prefix);
    await ok(`/v3/clusters/${t.clusterId}/topics`, { body: { topic_name: topic, partitions_count: 1 } });
    produced.set(topic, new Map());
    return topic;
  }

  function remember(topic: string, offsets: readonly number[], records: readonly Stored[]): void {
    offsets.forEach((offset, i) => produced.get(topic)!.set(offset, asStored(records[i]!)));
  }

  /** Reads `count` records from `offset` with a reader that may return fewer per call. */
  async function collect<T extends { offset: number }>(offset: number, count: number, read: (from: number) => Promise<T[]>): Promise<T[]> {
    const out: T[] = [];
    for (let attempt = 0; out.length < count && attempt < 20; attempt++) {
      out.push(...(await read(offset + out.length)).filter((r) => r.offset >= offset + out.length).slice(0, count - out.length));
    }
    expect(out.map((r) => r.offset)).toEqual(Array.from({ length: count }, (_, i) => offset + i));
    return out;
  }

  type V3Read = { offset: number; key: { data: string } | null; value: { data: string } | null; headers: { name: string; value: string | null }[] };
  const readV3 = (topic: string, offset: number, count: number): Promise<Stored[]> =>
    collect(offset, count, async (from) => {
      const body = (await ok(`/v3/clusters/${t.clusterId}/topics/${topic}/partitions/0/records?offset=${from}&max_records=${count}&timeout=2000`)) as { data: V3Read[] };
      return body.data;
    }).then((rs) => rs.map((r) => ({ key: fromB64(r.key?.data), value: fromB64(r.value?.data), headers: r.headers.map((h) => ({ key: h.name, value: fromB64(h.value) })) })));

  type V1Read = { offset: number; key: string | null; value: string | null };
  const readV1 = (topic: string, offset: number, count: number): Promise<V1Read[]> =>
    collect(offset, count, async (from) => (await ok(`/topics/${topic}/partitions/0/messages?offset=${from}&count=${count}`, { accept: V2 })) as V1Read[]);

  type UpstashRead = { offset: number; key: string; value: string; headers: { key: string; value: string }[] };
  const readUpstash = (topic: string, offset: number, count: number): Promise<UpstashRead[]> =>
    collect(offset, count, async (from) => (await ok('/upstash/fetch', { body: { topic, partition: 0, offset: from, timeout: 2000 } })) as UpstashRead[]);

  type V2Read = { offset: number; key: unknown; value: unknown; headers: { name: string; value: string | null }[] };
  /** A v2 consumer instance assigned to partition 0 of `topic`, positioned at `offset`: its records. */
  async function readV2(topic: string, offset: number, count: number, format: 'binary' | 'json'): Promise<V2Read[]> {
    const group = uniqueTopic('rt-group');
    const created = (await ok(`/consumers/${group}`, { type: V2, body: { format, 'auto.commit.enable': 'false' } })) as { instance_id: string };
    const base = `/consumers/${group}/instances/${created.instance_id}`;
    try {
      await ok(`${base}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
      await ok(`${base}/positions`, { type: V2, body: { offsets: [{ topic, partition: 0, offset }] } });
      return await collect(offset, count, async () => (await ok(`${base}/records?timeout=2000`, { accept: `application/vnd.kafka.${format}.v2+json` })) as V2Read[]);
    } finally {
      await call(base, { method: 'DELETE', type: V2 });
    }
  }

  /** Every byte-exact read path, plus Upstash's text view, agree with what was produced. */
  async function checkAllReadPaths(topic: string, offset: number, produced: readonly Stored[]): Promise<void> {
    const expected = produced.map(asStored);
    const [v3, v1, upstash, v2] = await Promise.all([
      readV3(topic, offset, expected.length),
      readV1(topic, offset, expected.length),
      readUpstash(topic, offset, expected.length),
      readV2(topic, offset, expected.length, 'binary'),
    ]);
    expected.forEach((e, i) => {
      expectSame(v3[i]!, e, 'v3 partition records');
      expect({ key: v1[i]!.key, value: v1[i]!.value }).toEqual({ key: b64(e.key), value: b64(e.value) });
      const v2Record = v2[i]!;
      expect({ key: v2Record.key, value: v2Record.value }).toEqual({ key: b64(e.key), value: b64(e.value) });
      expect(headersByName(v2Record.headers.map((h) => ({ key: h.name, value: fromB64(h.value) })))).toEqual(headersByName(e.headers));
      const u = upstash[i]!;
      expect({ key: u.key, value: u.value, headers: u.headers }).toEqual({
        key: e.key?.toString('utf8') ?? '',
        value: e.value?.toString('utf8') ?? '',
        headers: e.headers.map((h) => ({ key: h.key, value: h.value?.toString('utf8') ?? '' })),
      });
    });
  }

  /** Produces through the v3 stream endpoint (one body, several records): the offsets, in order. */
  async function produceV3(topic: string, records: readonly object[]): Promise<number[]> {
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const response = await fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const reports = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as { error_code: number; offset: number; message?: string });
    expect(reports.map((r) => [r.error_code, r.message])).toEqual(records.map(() => [200, undefined]));
    return reports.map((r) => r.offset);
  }

  beforeAll(async () => {
    t = await startProxyUnderTest({ 'log.level': 'silent' });
    console.log(`round-trip properties: fast-check seed ${SEED}, ${RUNS} runs per property (ROUND_TRIP_SEED to replay)`);
  });
  afterAll(() => t.proxy.stop());

  it('v3 BINARY keys, values and header sets come back byte-exact on every read path', { timeout: 120_000 }, async () => {
    const topic = await newTopic('rt-v3-binary');
    await fc.assert(
      fc.asyncProperty(fc.array(binaryRecord, { minLength: 1, maxLength: 4 }), async (records) => {
        const offsets = await produceV3(
          topic,
          records.map((r) => ({
            key: r.key === null ? { type: 'BINARY', data: null } : { type: 'BINARY', data: b64(r.key) },
            value: r.value === null ? { type: 'BINARY', data: null } : { type: 'BINARY', data: b64(r.value) },
            headers: r.headers.map((h) => ({ name: h.key, value: b64(h.value) })),
          })),
        );
        remember(topic, offsets, records);
        await checkAllReadPaths(topic, offsets[0]!, records);
      }),
      FC,
    );
  });

  it('v3 STRING and JSON data are stored as their UTF-8 text and read back exactly', { timeout: 120_000 }, async () => {
    const topic = await newTopic('rt-v3-text');
    const record = fc.record({ key: text, value: fc.oneof(text.map((s) => ({ string: s })), json.map((j) => ({ json: j }))) });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 4 }), async (records) => {
        const offsets = await produceV3(
          topic,
          records.map((r) => ({
            key: { type: 'STRING', data: r.key },
            value: 'string' in r.value ? { type: 'STRING', data: r.value.string } : { type: 'JSON', data: r.value.json },
          })),
        );
        // JSON `"data": null` is a null value (a tombstone), as in Confluent's v3.
        const valueOf = (v: { string: string } | { json: unknown }): Buffer | null => ('string' in v ? utf8(v.string) : v.json === null ? null : utf8(JSON.stringify(v.json)));
        const stored: Stored[] = records.map((r) => ({ key: utf8(r.key), value: valueOf(r.value), headers: [] }));
        remember(topic, offsets, stored);
        await checkAllReadPaths(topic, offsets[0]!, stored);
      }),
      FC,
    );
  });

  it('text with a lone surrogate (no UTF-8 form) is refused, not silently stored as U+FFFD', async () => {
    const topic = await newTopic('rt-surrogate');
    for (const body of ['{"value":{"type":"STRING","data":"a\\ud800b"}}', '{"key":{"type":"STRING","data":"\\udfff"}}', '{"headers":[{"name":"\\ud800"}]}']) {
      const r = await call(`/v3/clusters/${t.clusterId}/topics/${topic}/records`, { body });
      // A v3 stream reports each record on its own line.
      expect(r).toEqual({ status: 200, body: { error_code: 400, message: expect.stringContaining('lone surrogate') } });
    }
    for (const message of ['{"value":"a\\ud800"}', '{"value":"v","key":"\\udc00"}', '{"value":"v","headers":[{"key":"h","value":"\\ud83d"}]}']) {
      const r = await call(`/upstash/produce/${topic}`, { body: message });
      expect(r).toEqual({ status: 400, body: { error: expect.stringContaining('lone surrogate'), status: 400 } });
    }
    const v2 = await call(`/topics/${topic}`, { type: 'application/vnd.kafka.binary.v2+json', body: '{"records":[{"value":"AA==","headers":[{"name":"\\ud800","value":null}]}]}' });
    expect(v2.status).toBe(200);
    expect((v2.body as { offsets: unknown[] }).offsets).toEqual([{ partition: null, offset: null, error_code: 400, error: expect.stringContaining('lone surrogate') }]);
  });

  it('Upstash text keys, values and headers (any code point) come back exactly on every read path', { timeout: 120_000 }, async () => {
    const topic = await newTopic('rt-upstash');
    const message = fc.record({
      key: fc.option(text, { nil: undefined }),
      value: text,
      headers: fc.array(fc.record({ key: headerName, value: text }), { maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 4 }), async (messages) => {
        const acks = (await ok(`/upstash/produce/${topic}`, { body: messages.map((m) => ({ ...m, ...(m.key === undefined ? {} : { key: m.key }) })) })) as { offset: number }[];
        const stored: Stored[] = messages.map((m) => ({
          key: m.key === undefined ? null : utf8(m.key),
          value: utf8(m.value),
          headers: m.headers.map((h) => ({ key: h.key, value: utf8(h.value) })),
        }));
        const offsets = acks.map((a) => a.offset);
        remember(topic, offsets, stored);
        await checkAllReadPaths(topic, offsets[0]!, stored);
      }),
      FC,
    );
  });

  it('v2 binary records (keys, values, headers) come back byte-exact on every read path', { timeout: 120_000 }, async () => {
    const topic = await newTopic('rt-v2-binary');
    await fc.assert(
      fc.asyncProperty(fc.array(binaryRecord, { minLength: 1, maxLength: 4 }), async (records) => {
        const body = { records: records.map((r) => ({ key: b64(r.key), value: b64(r.value), headers: r.headers.map((h) => ({ name: h.key, value: b64(h.value) })) })) };
        const answer = (await ok(`/topics/${topic}`, { type: 'application/vnd.kafka.binary.v2+json', body })) as { offsets: { offset: number }[] };
        const offsets = answer.offsets.map((o) => o.offset);
        remember(topic, offsets, records);
        await checkAllReadPaths(topic, offsets[0]!, records);
      }),
      FC,
    );
  });

  it('v2 json keys and values come back equal through a json consumer, and as their JSON text elsewhere', { timeout: 120_000 }, async () => {
    const topic = await newTopic('rt-v2-json');
    const record = fc.record({ key: fc.option(json, { nil: null }), value: json });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 4 }), async (records) => {
        const answer = (await ok(`/topics/${topic}`, { type: 'application/vnd.kafka.json.v2+json', body: { records } })) as { offsets: { offset: number }[] };
        const offsets = answer.offsets.map((o) => o.offset);
        const asText = (v: unknown): Buffer | null => (v === null ? null : utf8(JSON.stringify(v)));
        const stored: Stored[] = records.map((r) => ({ key: asText(r.key), value: asText(r.value), headers: [] }));
        remember(topic, offsets, stored);
        await checkAllReadPaths(topic, offsets[0]!, stored);
        const viaJson = await readV2(topic, offsets[0]!, records.length, 'json');
        // Compared as JSON text: JSON has no -0, and a null value is a tombstone either way.
        expect(viaJson.map((r) => JSON.stringify([r.key, r.value]))).toEqual(records.map((r) => JSON.stringify([r.key, r.value])));
      }),
      FC,
    );
  });

  it('the witness: a plain kafkajs consumer reads exactly the bytes every property produced', { timeout: 60_000 }, async () => {
    const topics = [...produced.keys()].filter((topic) => produced.get(topic)!.size > 0);
    expect(topics.length).toBeGreaterThanOrEqual(5);
    const kafka = new Kafka({ brokers: t.bootstrapServers.split(','), clientId: 'round-trip-witness', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueTopic('rt-witness') });
    const seen = new Map<string, Map<number, Stored>>(topics.map((topic) => [topic, new Map()]));
    const missing = new Set(topics.flatMap((topic) => [...produced.get(topic)!.keys()].map((offset) => `${topic}@${offset}`)));
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          const headers = Object.entries(message.headers ?? {}).flatMap(([key, value]) =>
            // kafkajs folds headers into a plain object: "constructor" also carries Object (see group-consumer.ts).
            ((Array.isArray(value) ? value : [value]) as unknown[]).flatMap((v) => (v === null || Buffer.isBuffer(v) ? [{ key, value: v }] : [])),
          );
          seen.get(topic)!.set(Number(message.offset), { key: message.key, value: message.value, headers });
          missing.delete(`${topic}@${message.offset}`);
          if (missing.size === 0) done();
        },
      });
      await all;
    } finally {
      await consumer.disconnect();
    }
    for (const topic of topics) {
      for (const [offset, expected] of produced.get(topic)!) {
        const actual = seen.get(topic)!.get(offset);
        expect(actual, `${topic}@${offset}`).toBeDefined();
        expect({ key: b64(actual!.key), value: b64(actual!.value) }).toEqual({ key: b64(expected.key), value: b64(expected.value) });
        expect(headersByName(actual!.headers)).toEqual(headersByName(expected.headers));
      }
    }
  });
});
