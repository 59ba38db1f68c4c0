/**
 * The broker dies (SIGKILL) under a sustained produce load through three dialects and comes back on the same port
 * and data directory. Every record the proxy acknowledged is in the topic exactly once; every request during the
 * outage gets a 503-style answer in its dialect's envelope within its ack timeout; the proxy recovers by itself.
 */
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, toProxyConfig } from '../../src/config/config.js';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import type { LocalBroker } from '../../src/kafka/local-broker.js';
import { loadBundledSpec, startProxy } from '../../src/proxy.js';
import type { RunningProxy } from '../../src/proxy.js';
import { ResponseContract } from '../integration/support/response-contract.js';
import { idsInTopic, ProduceLoad, sizedMs, sleep, tally } from './support/fault-kit.js';
import type { ProduceOutcome } from './support/fault-kit.js';

const ACK_TIMEOUT_MS = 2_000;
/** What a request may take beyond its ack timeout: the HTTP exchange, a slow event loop on a loaded machine. */
const MARGIN_MS = 1_500;
const WARM_MS = sizedMs(3_000, 10_000);
const OUTAGE_MS = sizedMs(5_000, 20_000);
const AFTER_RECOVERY_MS = sizedMs(3_000, 10_000);
const RECOVERY_LIMIT_MS = 30_000;
const TOPIC = 'fault-broker-kill';

/** Each dialect's "Kafka is unavailable": Confluent's 50302 (per record or for the request), Upstash's 503. */
function isUnavailableAnswer(o: ProduceOutcome): boolean {
  if (o.dialect === 'upstash') return o.status === 503 && o.errorCode === 503 && JSON.parse(o.detail).error !== undefined;
  return (o.status === 200 || o.status === 503) && o.errorCode === 50302;
}

describe('the broker is killed under produce load and restarted', { timeout: 240_000 }, () => {
  let broker: LocalBroker;
  let proxy: RunningProxy;
  let contract: ResponseContract;

  beforeAll(async () => {
    broker = await startLocalBroker({ log: (line) => process.stderr.write(`[fault-kafka] ${line}\n`) });
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const config = toProxyConfig({
      ...DEFAULTS,
      'bootstrap.servers': broker.bootstrapServers,
      listeners: 'http://127.0.0.1:0',
      'log.level': 'error',
      'produce.ack.timeout.ms': String(ACK_TIMEOUT_MS),
      'kafka.request.timeout.ms': '3000',
    });
    contract = new ResponseContract(loadBundledSpec(), config.upstashPrefix);
    proxy = await startProxy(config, pino({ level: config.logLevel }), { middleware: [contract.middleware()] });
  });

  afterAll(async () => {
    await proxy?.stop();
    await broker?.stop();
    contract?.assertNone();
  });

  it('loses and duplicates no acknowledged record, answers 503 within the timeout during the outage, and recovers by itself', async () => {
    const load = new ProduceLoad(
      { baseUrl: proxy.urls[0]!, clusterId: broker.clusterId, topic: TOPIC },
      { clients: 6, dialects: ['v2', 'v3', 'upstash'], hardLimitMs: ACK_TIMEOUT_MS + 30_000 },
    );
    await sleep(WARM_MS);
    const killedAt = Date.now();
    await broker.kill();
    await sleep(OUTAGE_MS);
    await broker.restart();
    const backAt = Date.now();
    while (!load.outcomes.some((o) => o.acked && o.startedAt >= backAt) && Date.now() - backAt < RECOVERY_LIMIT_MS) await sleep(100);
    const recoveredAt = load.outcomes.find((o) => o.acked && o.startedAt >= backAt)?.startedAt;
    await sleep(AFTER_RECOVERY_MS);
    const outcomes = await load.stop();

    const acked = outcomes.filter((o) => o.acked).map((o) => o.id);
    const counts = tally(acked, await idsInTopic(broker.bootstrapServers, TOPIC));
    const failed = outcomes.filter((o) => !o.acked);
    const longestMs = Math.max(...outcomes.map((o) => o.ms));
    const statuses = [...new Set(failed.map((o) => `${o.dialect} ${o.status}/${o.errorCode ?? '-'}`))].sort();
    console.log(
      `[broker-kill] requests ${outcomes.length}; records acknowledged ${counts.acknowledged}, found ${counts.found}, duplicates ${counts.duplicates}, ` +
        `lost ${counts.lost}; errors returned ${failed.length} (${statuses.join(', ')}); longest wait ${longestMs} ms ` +
        `(ack timeout ${ACK_TIMEOUT_MS} ms); outage ${backAt - killedAt} ms (broker down ${OUTAGE_MS} ms + restart); ` +
        `recovered ${recoveredAt === undefined ? 'never' : `${recoveredAt - backAt} ms`} after the broker was back`,
    );

    expect(counts.acknowledged).toBeGreaterThan(0);
    expect(counts.lostIds).toEqual([]);
    expect(counts.duplicates).toBe(0);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.filter((o) => !isUnavailableAnswer(o)).map((o) => `${o.dialect} ${o.status} ${o.detail}`)).toEqual([]);
    expect(longestMs).toBeLessThanOrEqual(ACK_TIMEOUT_MS + MARGIN_MS);
    expect(failed.filter((o) => o.startedAt + o.ms < killedAt)).toEqual([]);
    expect(recoveredAt).toBeDefined();
    // Once recovered, it stays so: nothing started a second after the first success fails.
    expect(failed.filter((o) => o.startedAt > recoveredAt! + 1_000).map((o) => o.detail)).toEqual([]);
  });
});
