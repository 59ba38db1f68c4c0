/** Confluent v3 produce: one record, concatenated records, a stream kept open, and batches. */
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

interface Report {
  error_code: number;
  message?: string;
  partition_id?: number;
  offset?: number;
  timestamp?: string;
  key?: { type: string; size: number };
  value?: { type: string; size: number };
}

describe('Confluent v3 produce', () => {
  let t: ProxyUnderTest;
  let topic: string;
  let url: (suffix: string) => string;

  async function post(suffix: string, body: string): Promise<{ status: number; text: string }> {
    const response = await fetch(url(suffix), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, text: await response.text() };
  }

  const reports = (text: string): Report[] => text.trim().split('\n').map((line) => JSON.parse(line) as Report);

  beforeAll(async () => {
    t = await startProxyUnderTest();
    topic = uniqueTopic('v3produce');
    url = (suffix) => `${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}${suffix}`;
    await t.client.POST('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: t.clusterId } }, body: { topic_name: topic } });
  });
  afterAll(() => t.proxy.stop());

  it('produces one JSON record and reports where it went (seed 002)', async () => {
    const r = await post('/records', '{"value":{"type":"JSON","data":{"name":"testUser"}}}');
    expect(r.status).toBe(200);
    expect(reports(r.text)).toEqual([
      { error_code: 200, cluster_id: t.clusterId, topic_name: topic, partition_id: 0, offset: 0, timestamp: expect.stringMatching(/Z$/), value: { type: 'JSON', size: 19 } },
    ]);
  });

  it('produces two concatenated records with one report each, in order; STRING and BINARY keep their bytes', async () => {
    const r = await post('/records', '{"value":{"type":"JSON","data":"ONE"}} {"value":{"type":"JSON","data":"TWO"}}');
    expect(reports(r.text).map((x) => [x.error_code, x.offset, x.value])).toEqual([
      [200, 1, { type: 'JSON', size: 5 }],
      [200, 2, { type: 'JSON', size: 5 }],
    ]);
    const s = await post(
      '/records',
      JSON.stringify({
        key: { type: 'STRING', data: 'k1' },
        value: { type: 'BINARY', data: Buffer.from([0, 255]).toString('base64') },
        headers: [{ name: 'h', value: Buffer.from('hv').toString('base64') }],
        timestamp: '2022-01-02T03:04:05.678Z',
      }),
    );
    expect(reports(s.text)).toEqual([expect.objectContaining({ error_code: 200, offset: 3, timestamp: '2022-01-02T03:04:05.678Z', key: { type: 'STRING', size: 2 }, value: { type: 'BINARY', size: 2 } })]);
    const out = execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', topic, '-p', '0', '-o', '0', '-c', '4', '-e', '-q', '-f', '%o|%T|%k|%h|%s\n'], { timeout: 20_000 });
    const lines = out.toString('latin1').trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([expect.stringMatching(/^0\|\d+\|\|\|\{"name":"testUser"\}$/), expect.stringMatching(/^1\|\d+\|\|\|"ONE"$/), expect.stringMatching(/^2\|\d+\|\|\|"TWO"$/)]);
    expect(lines[3]).toBe('3|1641092645678|k1|h=hv|\u0000\u00ff');
  });

  it('streams reports back as records arrive over one chunked request kept open', async () => {
    const target = new URL(url('/records'));
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json' } });
    const arrived: string[] = [];
    let notify: () => void = () => undefined;
    const status = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        res.on('data', (chunk: Buffer) => {
          arrived.push(...chunk.toString().trim().split('\n'));
          notify();
        });
      });
      req.on('error', reject);
    });
    const waitFor = (n: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${arrived.length} reports after 10 s`)), 10_000);
        notify = () => {
          if (arrived.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      });
    req.write('{"value":{"type":"STRING","data":"first"}}');
    expect(await status).toBe(200);
    await waitFor(1); // the first report comes while the request is still open
    req.write('{"value":{"type":"BINARY","data":"not base64"}}\n{"value":{"type":"STRING","data":"third"}}');
    await waitFor(3);
    req.end();
    const got = arrived.map((line) => JSON.parse(line) as Report);
    expect(got.map((g) => g.error_code)).toEqual([200, 400, 200]);
    expect(got[2]!.offset).toBe(got[0]!.offset! + 1);
    expect(got[1]!.message).toContain('base64');
  });

  it('streams 10,000 records over one connection: 10,000 in-order reports, and kcat reads the same 10,000', { timeout: 60_000 }, async () => {
    const streamTopic = uniqueTopic('stream10k');
    await t.client.POST('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: t.clusterId } }, body: { topic_name: streamTopic } });
    const target = new URL(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${streamTopic}/records`);
    const count = 10_000;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json' } });
      req.on('socket', (socket) => sockets.add(socket));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      req.on('error', reject);
      // Written in chunks of 500 records, some split mid-object, as a long-lived client would.
      const body = Array.from({ length: count }, (_, i) => JSON.stringify({ value: { type: 'STRING', data: `record-${i}` } })).join('');
      for (let start = 0; start < body.length; start += 20_011) req.write(body.slice(start, start + 20_011));
      req.end();
    });
    agent.destroy();
    expect(sockets.size).toBe(1);
    const got = reports(text);
    expect(got).toHaveLength(count);
    expect(got.every((r) => r.error_code === 200 && r.partition_id === 0)).toBe(true);
    expect(got.map((r) => r.offset)).toEqual(Array.from({ length: count }, (_, i) => i));

    const out = execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', streamTopic, '-p', '0', '-o', '0', '-e', '-q', '-f', '%o %s\n'], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    const lines = out.toString('utf8').trim().split('\n');
    expect(lines).toEqual(Array.from({ length: count }, (_, i) => `${i} record-${i}`));
  });

  it('a record over the topic max.message.bytes gets 413 alone: records sent with it, in its stream or concurrently, land', async () => {
    const small = uniqueTopic('small');
    await t.client.POST('/v3/clusters/{cluster_id}/topics', {
      params: { path: { cluster_id: t.clusterId } },
      body: { topic_name: small, configs: [{ name: 'max.message.bytes', value: '2048' }] },
    });
    const records = (suffix: string, body: string) =>
      fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${small}${suffix}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const record = (data: string) => JSON.stringify({ value: { type: 'STRING', data } });
    const big = 'x'.repeat(3000);
    const stream = reports(await (await records('/records', [record('s1'), record(big), record('s2')].join(''))).text());
    expect(stream.map((r) => r.error_code)).toEqual([200, 413, 200]);
    expect(stream[1]!.message).toContain('max.message.bytes');
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => records('/records', record(i === 7 ? big : `c${i}`)).then(async (r) => reports(await r.text())[0]!.error_code)),
    );
    expect(concurrent).toEqual(Array.from({ length: 20 }, (_, i) => (i === 7 ? 413 : 200)));
    const out = execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', small, '-e', '-q', '-f', '%s\n'], { timeout: 20_000 });
    const landed = out.toString().trim().split('\n');
    expect(landed.slice(0, 2)).toEqual(['s1', 's2']);
    expect(landed.slice(2).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).filter((v) => v !== 'c7').sort());
  });

  it('batches: 207 with successes and failures; empty, too big or duplicate ids are 422/42208', async () => {
    const r = await post('/records:batch', JSON.stringify({ entries: [
      { id: 'first', value: { type: 'JSON', data: 'ONE' } },
      { id: 'bad', value: { type: 'BINARY', data: '***' } },
      { id: 'second', value: { type: 'JSON', data: 'TWO' } },
    ] }));
    expect(r.status).toBe(207);
    const body = JSON.parse(r.text) as { successes: (Report & { id: string })[]; failures: { id: string; error_code: number }[] };
    // Confluent's batch successes carry no error_code (seed 002).
    expect(body.successes.map((s) => [s.id, s.partition_id, 'error_code' in s])).toEqual([['first', 0, false], ['second', 0, false]]);
    expect(body.successes[1]!.offset).toBe(body.successes[0]!.offset! + 1);
    expect(body.failures).toEqual([{ id: 'bad', error_code: 400, message: expect.stringContaining('base64') }]);
    for (const entries of [[], Array.from({ length: 11 }, (_, i) => ({ id: `e${i}`, value: { data: i } })), [{ id: 'x', value: { data: 1 } }, { id: 'x', value: { data: 2 } }]]) {
      const refused = await post('/records:batch', JSON.stringify({ entries }));
      expect(refused.status).toBe(422);
      expect(JSON.parse(refused.text)).toEqual({ error_code: 42208, message: expect.any(String) });
    }
  });

  it('per record errors keep the stream going; unknown topic or cluster fail the whole request', async () => {
    const r = await post('/records', '{"value":{"type":"AVRO","data":1}} {"value":{"data":1},"partition_id":9} nope {"value":{"data":2}}');
    expect(reports(r.text).map((x) => x.error_code)).toEqual([42206, 40402, 400, 200]);
    const noTopic = await fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/nope-no-topic/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noTopic.status).toBe(404);
    expect(await noTopic.json()).toEqual({ error_code: 40401, message: expect.any(String) });
    const noCluster = await fetch(`${t.baseUrl}/v3/clusters/nope/topics/${topic}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noCluster.status).toBe(404);
    const wrongType = await fetch(url('/records'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(415);
  });

  it('a first record that is not JSON (400), not a record (422/42206), or no record at all fails the whole request', async () => {
    const malformed = await post('/records', 'nope {"value":{"data":2}}');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({ error_code: 400, message: expect.stringContaining('Malformed JSON') });
    const invalid = await post('/records', '{"partition_id":"zero"} {"value":{"data":2}}');
    expect(invalid.status).toBe(422);
    expect(JSON.parse(invalid.text)).toMatchObject({ error_code: 42206 });
    const empty = await post('/records', '  ');
    expect(empty.status).toBe(422);
    expect(JSON.parse(empty.text)).toMatchObject({ error_code: 42206 });
    // Nothing of those requests was produced: the next record gets the next offset after the stream test's.
    const before = await post('/records', '{"value":{"data":"marker"}}');
    const after = await post('/records', '{"value":{"data":"marker"}}');
    expect(reports(after.text)[0]!.offset).toBe(reports(before.text)[0]!.offset! + 1);
  });

  it('answers a one-record body of declared length with its one report, not chunked; its failure is a report too', async () => {
    for (const [body, code] of [['{"value":{"type":"STRING","data":"plain"}}', 200], ['{"value":{"data":1},"partition_id":9}', 40402]] as const) {
      const response = await fetch(url('/records'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(200);
      expect(response.headers.get('transfer-encoding')).toBeNull();
      const text = await response.text();
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
      expect(reports(text).map((x) => x.error_code)).toEqual([code]);
    }
    const produced = execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', topic, '-p', '0', '-e', '-q', '-f', '%s\n'], { timeout: 20_000 }).toString();
    expect(produced.trim().split('\n')).toContain('plain');
  });
});
