/**
 * The proxy (`src/main.ts` in its own process) gets SIGTERM while clients produce through three dialects and two
 * v3 record streams are open. The streams' requests, in flight at the signal, finish (records sent after it
 * included); no acknowledged record is lost or duplicated; its consumer instances leave their groups and commit
 * what they handed out (auto-commit); the process exits 0.
 */
import { request } from 'node:http';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminWithTopics, idsInTopic, ProduceLoad, sizedMs, sleep, startProxyProcess, tally } from './support/fault-kit.js';
import type { ProxyProcess } from './support/fault-kit.js';

const LOAD_MS = sizedMs(2_000, 10_000);
const STREAMING_AFTER_SIGTERM_MS = 1_000;
const CONSUMED_TOPIC_RECORDS = 40;
const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const PRODUCE_TOPIC = `fault-sigterm-${suffix}`;
const CONSUME_TOPIC = `fault-sigterm-consumed-${suffix}`;
const UPSTASH_GROUP = `fault-sigterm-upstash-${suffix}`;
const V2_GROUP = `fault-sigterm-v2-${suffix}`;
const V2 = 'application/vnd.kafka.v2+json';

interface RecordStream {
  send(id: string): void;
  /** Ends the request body; resolves with the id of every record whose report says it was acknowledged. */
  end(): Promise<{ status: number; acked: string[]; reports: number }>;
}

/** A v3 produce request that stays open: one record per send(), reports streamed back in order. */
function openRecordStream(baseUrl: string, clusterId: string, topic: string): RecordStream {
  const url = new URL(`${baseUrl}/v3/clusters/${clusterId}/topics/${topic}/records`);
  const sent: string[] = [];
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return {
    send(id) {
      sent.push(id);
      req.write(JSON.stringify({ value: { type: 'STRING', data: id } }));
    },
    async end() {
      req.end();
      const { status, text } = await answered;
      const reports = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { error_code: number });
      return { status, reports: reports.length, acked: sent.filter((_, i) => reports[i]?.error_code === 200) };
    },
  };
}

async function consumeUntilRecords(call: () => Promise<Response>): Promise<{ offset: number }[]> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await call();
    expect(response.status).toBe(200);
    const records = (await response.json()) as { offset: number }[];
    if (records.length > 0) return records;
  }
  throw new Error('no records consumed within 30 s');
}

async function membersOf(admin: Admin, groupId: string): Promise<{ state: string; members: number }> {
  const { groups } = await admin.describeGroups([groupId]);
  return { state: groups[0]!.state, members: groups[0]!.members.length };
}

async function committedOf(admin: Admin, groupId: string): Promise<number> {
  const [topic] = await admin.fetchOffsets({ groupId, topics: [CONSUME_TOPIC] });
  return Number(topic!.partitions.find((p) => p.partition === 0)!.offset);
}

describe('SIGTERM to the proxy under load', { timeout: 180_000 }, () => {
  const bootstrapServers = inject('bootstrapServers');
  const clusterId = inject('clusterId');
  let admin: Admin;
  let proxy: ProxyProcess;

  beforeAll(async () => {
    admin = await adminWithTopics(bootstrapServers, [{ topic: PRODUCE_TOPIC, numPartitions: 3 }, { topic: CONSUME_TOPIC, numPartitions: 1 }], {
      topic: CONSUME_TOPIC,
      values: Array.from({ length: CONSUMED_TOPIC_RECORDS }, (_, i) => `c-${i}`),
    });
    proxy = await startProxyProcess({
      KAFKA_REST_BOOTSTRAP_SERVERS: bootstrapServers,
      KAFKA_REST_SHUTDOWN_GRACEFUL_MS: '15000',
      KAFKA_REST_PRODUCE_ACK_TIMEOUT_MS: '5000',
    });
  });

  afterAll(async () => {
    proxy?.child.kill('SIGKILL');
    await admin?.disconnect();
  });

  it('finishes in-flight requests, loses no acknowledged record, and its consumers leave their groups with offsets committed', async () => {
    const url = proxy.url;
    // Auto-commit every 10 minutes: only the commit on shutdown can store these offsets in time.
    const upstashRecords = await consumeUntilRecords(() =>
      fetch(`${url}/upstash/consume/${UPSTASH_GROUP}/u1/${CONSUME_TOPIC}?timeout=2000`, {
        headers: { 'Kafka-Auto-Offset-Reset': 'earliest', 'Kafka-Auto-Commit-Interval': '600000', 'Kafka-Session-Timeout-Ms': '60000' },
      }),
    );
    const created = await fetch(`${url}/consumers/${V2_GROUP}`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: JSON.stringify({ name: 'v1', format: 'binary', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'true' }),
    });
    expect(created.status).toBe(200);
    const instance = `${url}/consumers/${V2_GROUP}/instances/v1`;
    expect((await fetch(`${instance}/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: JSON.stringify({ topics: [CONSUME_TOPIC] }) })).status).toBe(204);
    const v2Records = await consumeUntilRecords(() => fetch(`${instance}/records?timeout=2000`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } }));
    const handedOut = (records: { offset: number }[]): number => Math.max(...records.map((r) => r.offset)) + 1;
    expect(await membersOf(admin, UPSTASH_GROUP)).toEqual({ state: 'Stable', members: 1 });
    expect(await membersOf(admin, V2_GROUP)).toEqual({ state: 'Stable', members: 1 });

    const load = new ProduceLoad(
      { baseUrl: url, clusterId, topic: PRODUCE_TOPIC },
      { clients: 6, dialects: ['v2', 'v3', 'upstash'], hardLimitMs: 30_000, stopOnConnectionError: true },
    );
    const streams = [openRecordStream(url, clusterId, PRODUCE_TOPIC), openRecordStream(url, clusterId, PRODUCE_TOPIC)];
    let streamed = 0;
    const sendToStreams = (): void => streams.forEach((s, i) => s.send(`st-${i}-${streamed++}`));
    const ticker = setInterval(sendToStreams, 100);
    sendToStreams();
    await sleep(LOAD_MS);

    const inFlightAtSigterm = load.inFlight + streams.length;
    const streamedBeforeSigterm = streamed;
    const sigtermAt = Date.now();
    proxy.child.kill('SIGTERM');
    await sleep(STREAMING_AFTER_SIGTERM_MS);
    clearInterval(ticker);
    const streamResults = await Promise.all(streams.map((s) => s.end()));
    const exitCode = await proxy.exited;
    const shutdownMs = Date.now() - sigtermAt;
    const outcomes = await load.stop();

    const streamedAcked = streamResults.flatMap((r) => r.acked);
    const acked = [...outcomes.filter((o) => o.acked).map((o) => o.id), ...streamedAcked];
    const counts = tally(acked, await idsInTopic(bootstrapServers, PRODUCE_TOPIC));
    const answeredNotAcked = outcomes.filter((o) => !o.acked && o.status !== 0);
    const noAnswer = outcomes.filter((o) => o.status === 0);
    const groups = { upstash: await membersOf(admin, UPSTASH_GROUP), v2: await membersOf(admin, V2_GROUP) };
    const committed = { upstash: await committedOf(admin, UPSTASH_GROUP), v2: await committedOf(admin, V2_GROUP) };
    console.log(
      `[sigterm] in flight at SIGTERM ${inFlightAtSigterm} (load ${inFlightAtSigterm - streams.length}, open v3 streams ${streams.length}); ` +
        `streams finished ${streamResults.filter((r) => r.status === 200).length}/${streams.length} with ${streamed - streamedBeforeSigterm} records sent after SIGTERM, ` +
        `stream records acknowledged ${streamedAcked.length}/${streamed}; records acknowledged ${counts.acknowledged}, found ${counts.found}, ` +
        `duplicates ${counts.duplicates}, lost ${counts.lost}; requests answered with an error ${answeredNotAcked.length}; ` +
        `requests refused after SIGTERM ${noAnswer.length}; exit code ${exitCode} after ${shutdownMs} ms; ` +
        `groups after exit: upstash ${groups.upstash.state}/${groups.upstash.members} members, v2 ${groups.v2.state}/${groups.v2.members} members; ` +
        `committed upstash ${committed.upstash} (handed out ${handedOut(upstashRecords)}), v2 ${committed.v2} (handed out ${handedOut(v2Records)})`,
    );

    expect(exitCode).toBe(0);
    expect(proxy.output()).not.toContain('shutdown grace period over');
    expect(streamResults.map((r) => r.status)).toEqual([200, 200]);
    expect(streamedAcked).toHaveLength(streamed);
    expect(counts.acknowledged).toBeGreaterThan(streamed);
    expect(counts.lostIds).toEqual([]);
    expect(counts.duplicates).toBe(0);
    expect(answeredNotAcked.map((o) => `${o.dialect} ${o.status} ${o.detail}`)).toEqual([]);
    // A request without an answer is one the closing server never took: sent after the signal.
    expect(noAnswer.filter((o) => o.startedAt < sigtermAt).map((o) => `${o.dialect} ${o.startedAt - sigtermAt} ms ${o.detail}`)).toEqual([]);
    expect(groups).toEqual({ upstash: { state: 'Empty', members: 0 }, v2: { state: 'Empty', members: 0 } });
    expect(committed).toEqual({ upstash: handedOut(upstashRecords), v2: handedOut(v2Records) });
  });
});
