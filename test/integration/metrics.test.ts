/**
 * `/metrics`, read as Prometheus reads it (a text-format parser, not regexes): requests by dialect, operationId and
 * status, durations, records and bytes produced and consumed by dialect, produce errors by kind, consumer instances
 * and the Kafka connection — each moving by what the test did, checked against kcat where Kafka is involved.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scrape } from './support/prometheus.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

const run = promisify(execFile);

async function kcatCount(bootstrapServers: string, topic: string): Promise<number> {
  const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', topic, '-e', '-q', '-f', '%o\n'], { timeout: 30_000 });
  return stdout.trim() === '' ? 0 : stdout.trim().split('\n').length;
}

async function post(url: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
}

describe('Prometheus /metrics', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  it('is open, in the text format 0.0.4, with every family typed and the process and Node.js metrics', async () => {
    const response = await fetch(`${t.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const scrape = new Scrape(await response.text());
    const types = Object.fromEntries(scrape.families.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      kafka_rest_requests_total: 'COUNTER',
      kafka_rest_request_duration_seconds: 'HISTOGRAM',
      kafka_rest_produced_records_total: 'COUNTER',
      kafka_rest_produced_bytes_total: 'COUNTER',
      kafka_rest_consumed_records_total: 'COUNTER',
      kafka_rest_consumed_bytes_total: 'COUNTER',
      kafka_rest_produce_errors_total: 'COUNTER',
      kafka_rest_consumer_instances: 'GAUGE',
      kafka_rest_kafka_connected: 'GAUGE',
      kafka_rest_requests_in_flight: 'GAUGE',
      process_cpu_user_seconds_total: 'COUNTER',
      process_resident_memory_bytes: 'GAUGE',
      nodejs_eventloop_lag_seconds: 'GAUGE',
      nodejs_heap_size_used_bytes: 'GAUGE',
    });
    expect(scrape.value('kafka_rest_kafka_connected')).toBe(1);
  });

  it('10 records produced through Upstash move its produced-records counter by 10, and the request counter by one 200 of that operation', async () => {
    const topic = uniqueTopic('metrics-upstash');
    // Created first, so that the produce below is the only request that writes to it.
    expect((await fetch(`${t.baseUrl}/upstash/produce/${topic}/first`)).status).toBe(200);
    const before = await Scrape.of(t.baseUrl);
    const messages = Array.from({ length: 10 }, (_, i) => ({ value: `value-${i}`, key: `k${i}` }));
    const response = await post(`${t.baseUrl}/upstash/produce/${topic}`, messages);
    expect(response.status).toBe(200);
    const after = await Scrape.of(t.baseUrl);

    const upstash = { dialect: 'upstash' };
    expect(after.value('kafka_rest_produced_records_total', upstash) - before.value('kafka_rest_produced_records_total', upstash)).toBe(10);
    const bytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.key) + Buffer.byteLength(m.value), 0);
    expect(after.value('kafka_rest_produced_bytes_total', upstash) - before.value('kafka_rest_produced_bytes_total', upstash)).toBe(bytes);
    for (const dialect of ['v2', 'v3']) {
      expect(after.value('kafka_rest_produced_records_total', { dialect })).toBe(before.value('kafka_rest_produced_records_total', { dialect }));
    }
    const produceRequest = { dialect: 'upstash', operation: 'upstashProduceToTopic', status: '200' };
    expect(after.value('kafka_rest_requests_total', produceRequest) - before.value('kafka_rest_requests_total', produceRequest)).toBe(1);
    const timed = { dialect: 'upstash', operation: 'upstashProduceToTopic' };
    expect(after.count('kafka_rest_request_duration_seconds', timed) - before.count('kafka_rest_request_duration_seconds', timed)).toBe(1);
    // What Kafka holds: the first record and the ten.
    expect(await kcatCount(t.bootstrapServers, topic)).toBe(11);
  });

  it('counts v2 and v3 produce under their own dialects, and failed records by error kind', async () => {
    const topic = uniqueTopic('metrics-confluent');
    const before = await Scrape.of(t.baseUrl);
    const v2 = await post(`${t.baseUrl}/topics/${topic}`, { records: [{ value: { n: 1 } }, { value: { n: 2 } }, { value: { n: 3 }, partition: 7 }] }, 'application/vnd.kafka.json.v2+json');
    expect(v2.status).toBe(200);
    const offsets = ((await v2.json()) as { offsets: { error_code: number | null }[] }).offsets;
    expect(offsets.map((o) => o.error_code)).toEqual([null, null, 40402]);
    const v3 = await post(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/records`, { value: { type: 'STRING', data: 'hello' } });
    expect(v3.status).toBe(200);
    const after = await Scrape.of(t.baseUrl);

    const delta = (name: string, labels: Record<string, string>): number => after.value(name, labels) - before.value(name, labels);
    expect(delta('kafka_rest_produced_records_total', { dialect: 'v2' })).toBe(2);
    expect(delta('kafka_rest_produced_bytes_total', { dialect: 'v2' })).toBe(Buffer.byteLength('{"n":1}') + Buffer.byteLength('{"n":2}'));
    expect(delta('kafka_rest_produce_errors_total', { dialect: 'v2', kind: 'partition_not_found' })).toBe(1);
    expect(delta('kafka_rest_produced_records_total', { dialect: 'v3' })).toBe(1);
    expect(delta('kafka_rest_produced_bytes_total', { dialect: 'v3' })).toBe(5);
    expect(delta('kafka_rest_requests_total', { dialect: 'v2', operation: 'v2ProduceToTopic', status: '200' })).toBe(1);
    expect(delta('kafka_rest_requests_total', { dialect: 'v3', operation: 'v3ProduceRecords', status: '200' })).toBe(1);
    expect(await kcatCount(t.bootstrapServers, topic)).toBe(3);
  });

  it('counts records read through Upstash fetch and a v2 consumer instance under each dialect, and the instances it hosts', async () => {
    const topic = uniqueTopic('metrics-consume');
    const produced = await post(`${t.baseUrl}/upstash/produce/${topic}`, Array.from({ length: 4 }, (_, i) => ({ value: `v${i}`, partition: 0 })));
    expect(produced.status).toBe(200);
    const before = await Scrape.of(t.baseUrl);

    const fetched = await post(`${t.baseUrl}/upstash/fetch`, { topic, partition: 0, offset: 0 });
    expect(((await fetched.json()) as unknown[]).length).toBe(4);
    const group = uniqueTopic('metrics-group');
    const v2 = 'application/vnd.kafka.v2+json';
    const created = await post(`${t.baseUrl}/consumers/${group}`, { name: 'c1', format: 'binary', 'auto.offset.reset': 'earliest' }, v2);
    expect(created.status).toBe(200);
    expect((await Scrape.of(t.baseUrl)).value('kafka_rest_consumer_instances')).toBe(before.value('kafka_rest_consumer_instances') + 1);
    expect((await post(`${t.baseUrl}/consumers/${group}/instances/c1/assignments`, { partitions: [{ topic, partition: 0 }] }, v2)).status).toBe(204);
    let read = 0;
    for (let attempt = 0; attempt < 10 && read < 4; attempt++) {
      const records = await fetch(`${t.baseUrl}/consumers/${group}/instances/c1/records?timeout=1000`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } });
      read += ((await records.json()) as unknown[]).length;
    }
    expect(read).toBe(4);
    const after = await Scrape.of(t.baseUrl);
    expect(after.value('kafka_rest_consumed_records_total', { dialect: 'upstash' }) - before.value('kafka_rest_consumed_records_total', { dialect: 'upstash' })).toBe(4);
    expect(after.value('kafka_rest_consumed_bytes_total', { dialect: 'upstash' }) - before.value('kafka_rest_consumed_bytes_total', { dialect: 'upstash' })).toBe(8);
    expect(after.value('kafka_rest_consumed_records_total', { dialect: 'v2' }) - before.value('kafka_rest_consumed_records_total', { dialect: 'v2' })).toBe(4);

    expect((await fetch(`${t.baseUrl}/consumers/${group}/instances/c1`, { method: 'DELETE', headers: { 'content-type': v2 } })).status).toBe(204);
    expect((await Scrape.of(t.baseUrl)).value('kafka_rest_consumer_instances')).toBe(before.value('kafka_rest_consumer_instances'));
  });

  it('counts a request no operation matches under operation "none" with its status', async () => {
    const before = await Scrape.of(t.baseUrl);
    expect((await fetch(`${t.baseUrl}/v3/no-such-thing`)).status).toBe(404);
    const after = await Scrape.of(t.baseUrl);
    const labels = { dialect: 'v3', operation: 'none', status: '404' };
    expect(after.value('kafka_rest_requests_total', labels) - before.value('kafka_rest_requests_total', labels)).toBe(1);
  });
});
