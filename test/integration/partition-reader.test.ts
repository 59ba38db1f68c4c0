/** The group-less partition reader against the run's real broker; records are written with plain kafkajs (and kcat). */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { Admin, ISocketFactory, Message, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DomainError } from '../../src/errors/domain-error.js';
import { PartitionReader } from '../../src/kafka/partition-reader.js';
import type { FetchedRecord, PartitionFetch } from '../../src/kafka/partition-reader.js';


function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Produces what kafkajs cannot express: interleaved repeated header keys and a null header value. */
async function produceWithKcat(brokers: string, topic: string, headers: string[], value: string): Promise<void> {
  const child = execFile('kcat', ['-b', brokers, '-t', topic, '-p', '0', '-P', ...headers.flatMap((h) => ['-H', h])]);
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited with ${code}`)))),
  );
  child.stdin?.end(`${value}\n`);
  await exited;
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const bytes = (...values: number[]): Buffer => Buffer.from(values);

describe('PartitionReader (no consumer group)', () => {
  const brokers = inject('bootstrapServers');
  const clientId = uniqueTopic('partition-reader-test');
  let socketsOpened = 0;
  const countingSockets: ISocketFactory = ({ host, port, onConnect }) => {
    socketsOpened += 1;
    return connect({ host, port }, onConnect);
  };
  const kafka = new Kafka({ brokers: [brokers], clientId, logLevel: logLevel.NOTHING, socketFactory: countingSockets });
  const helper = new Kafka({ brokers: [brokers], clientId: `${clientId}-helper`, logLevel: logLevel.NOTHING });
  let admin: Admin;
  let producer: Producer;
  let reader: PartitionReader;
  const topicA = uniqueTopic('reader-a');
  const topicB = uniqueTopic('reader-b');

  /** Created, then waited for until every partition has a leader (kafkajs's waitForLeaders can race the metadata). */
  async function createTopic(topic: string, numPartitions = 1): Promise<void> {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: false });
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      const partitions = metadata?.topics[0]?.partitions ?? [];
      if (partitions.length === numPartitions && partitions.every((p) => p.leader >= 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`topic ${topic} got no leaders`);
  }

  async function send(topic: string, partition: number, messages: Message[]): Promise<void> {
    await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ partition, ...m })) });
  }

  async function readOne(request: PartitionFetch, timeoutMs = 200, max?: number): Promise<FetchedRecord[]> {
    const options = max === undefined ? { timeoutMs } : { timeoutMs, maxRecordsPerPartition: max };
    const [records] = await reader.read([request], options);
    return records ?? [];
  }

  beforeAll(async () => {
    admin = helper.admin();
    producer = helper.producer({ allowAutoTopicCreation: false });
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(topicA, 3);
    await createTopic(topicB, 1);
    reader = new PartitionReader(kafka);
    await reader.connect();
  });

  afterAll(async () => {
    await reader?.disconnect();
    await Promise.allSettled([admin?.disconnect(), producer?.disconnect()]);
  });

  it('starts exactly at an offset in the middle of a batch, bytes, nulls, headers and timestamps intact', async () => {
    const messages: Message[] = Array.from({ length: 10 }, (_, i) => ({
      key: i === 5 ? null : bytes(0xff, 0x00, i, 0x80, 0xc3),
      value: i === 6 ? null : Buffer.concat([bytes(0xfe, 0xed, 0xfa, 0xce, 0x00), Buffer.from(`v${i}`)]),
      timestamp: String(1_700_000_000_000 + i * 1_111),
      headers: i % 2 === 0 ? {} : { trace: [bytes(0x01, 0xff), bytes(0x02)], 'content-type': Buffer.from('x/y') },
    }));
    await send(topicA, 0, messages); // one send to one partition: one record batch, offsets 0..9

    const records = await readOne({ topic: topicA, partition: 0, offset: '4' });

    expect(records.map((r) => r.offset)).toEqual(['4', '5', '6', '7', '8', '9']);
    for (const record of records) {
      const i = Number(record.offset);
      const sent = messages[i]!;
      expect(record).toMatchObject({ topic: topicA, partition: 0, timestamp: 1_700_000_000_000 + i * 1_111 });
      expect(record.key).toEqual(sent.key);
      expect(record.value).toEqual(sent.value);
      const expectedHeaders =
        i % 2 === 0
          ? []
          : [
              { key: 'trace', value: bytes(0x01, 0xff) },
              { key: 'trace', value: bytes(0x02) },
              { key: 'content-type', value: Buffer.from('x/y') },
            ];
      expect(record.headers).toEqual(expectedHeaders);
    }
  });

  it('keeps header order, interleaved repeated keys, null header values (kcat writes them)', async () => {
    const topic = uniqueTopic('reader-headers');
    await createTopic(topic);
    await produceWithKcat(brokers, topic, ['b=1', 'a=2', 'b=3', 'constructor=4', '10=5', 'nothing'], 'payload');

    const [record] = await readOne({ topic, partition: 0, offset: 0 }, 5_000);

    expect(record?.value?.toString()).toBe('payload');
    expect(record?.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
      ['b', '1'],
      ['a', '2'],
      ['b', '3'],
      ['constructor', '4'],
      ['10', '5'],
      ['nothing', null],
    ]);
  });

  it('answers several partitions of two topics in one call, in request order', async () => {
    await send(topicA, 1, [{ value: 'a1-0' }, { value: 'a1-1' }]);
    await send(topicA, 2, [{ value: 'a2-0' }]);
    await send(topicB, 0, [{ value: 'b0-0' }, { value: 'b0-1' }, { value: 'b0-2' }]);

    const results = await reader.read(
      [
        { topic: topicB, partition: 0, offset: 1 },
        { topic: topicA, partition: 2, offset: 0n },
        { topic: topicA, partition: 1, offset: '0' },
      ],
      { timeoutMs: 1_000 },
    );

    const label = (r: FetchedRecord): string =>
      `${r.topic === topicA ? 'A' : 'B'}/${r.partition}@${r.offset}=${r.value?.toString()}`;
    expect(results.map((records) => records.map(label))).toEqual([
      ['B/0@1=b0-1', 'B/0@2=b0-2'],
      ['A/2@0=a2-0'],
      ['A/1@0=a1-0', 'A/1@1=a1-1'],
    ]);
  });

  it('reads gzip-compressed batches', async () => {
    const topic = uniqueTopic('reader-gzip');
    await createTopic(topic);
    const messages = [{ value: 'z0' }, { value: 'z1' }, { value: 'z2' }];
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages });

    const records = await readOne({ topic, partition: 0, offset: 1 });

    expect(records.map((r) => [r.offset, r.value?.toString()])).toEqual([
      ['1', 'z1'],
      ['2', 'z2'],
    ]);
  });

  it('respects maxRecordsPerPartition', async () => {
    const records = await readOne({ topic: topicA, partition: 0, offset: 2 }, 200, 3);
    expect(records.map((r) => r.offset)).toEqual(['2', '3', '4']);
  });

  it('returns at least one batch even when it is larger than maxBytesPerPartition', async () => {
    const request = { topic: topicA, partition: 0, offset: 0 };
    const [records] = await reader.read([request], { timeoutMs: 200, maxBytesPerPartition: 1 });
    expect(records?.[0]?.offset).toBe('0');
  });

  it('at the log end, waits about timeoutMs and returns []', async () => {
    const started = performance.now();
    const records = await readOne({ topic: topicB, partition: 0, offset: 3 }, 1_000);
    const elapsed = performance.now() - started;
    expect(records).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('returns a record produced while it waits, well before the timeout', async () => {
    const topic = uniqueTopic('reader-wait');
    await createTopic(topic);
    const started = performance.now();
    const reading = readOne({ topic, partition: 0, offset: 0 }, 10_000);
    setTimeout(() => void send(topic, 0, [{ value: 'late' }]), 300);

    const records = await reading;

    expect(records.map((r) => r.value?.toString())).toEqual(['late']);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('does not make a read with data wait behind another read that long-polls', async () => {
    const topic = uniqueTopic('reader-lanes');
    await createTopic(topic, 2);
    await send(topic, 1, [{ value: 'ready' }]);
    const polling = readOne({ topic, partition: 0, offset: 0 }, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = performance.now();
    const records = await readOne({ topic, partition: 1, offset: 0 }, 3_000);

    expect(performance.now() - started).toBeLessThan(1_500);
    expect(records.map((r) => r.value?.toString())).toEqual(['ready']);
    expect(await polling).toEqual([]);
  });

  it('starts at the log start when the offset was deleted (retention, DeleteRecords)', async () => {
    const topic = uniqueTopic('reader-log-start');
    await createTopic(topic);
    await send(topic, 0, Array.from({ length: 6 }, (_, i) => ({ value: `r${i}` })));
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });

    const records = await readOne({ topic, partition: 0, offset: 1 });

    expect(records.map((r) => r.offset)).toEqual(['4', '5']);
  });

  it('skips control records and aborted transactions, and reads past them without waiting', async () => {
    const topic = uniqueTopic('reader-txn');
    await createTopic(topic);
    const transactional = helper.producer({ transactionalId: uniqueTopic('txn'), idempotent: true, maxInFlightRequests: 1 });
    await transactional.connect();
    try {
      const aborted = await transactional.transaction();
      await aborted.send({ topic, messages: [{ partition: 0, value: 'aborted-0' }, { partition: 0, value: 'aborted-1' }] });
      await aborted.abort(); // offsets 0, 1, abort marker at 2
      const committed = await transactional.transaction();
      const messages = [{ partition: 0, value: 'committed-3' }, { partition: 0, value: 'committed-4' }];
      await committed.send({ topic, messages });
      await committed.commit(); // offsets 3, 4, commit marker at 5
    } finally {
      await transactional.disconnect();
    }
    // The coordinator writes the commit marker after EndTxn has answered: a record sent at once could land before it.
    for (let tries = 0; (await admin.fetchTopicOffsets(topic))[0]?.high !== '6'; tries++) {
      if (tries > 100) throw new Error('the commit marker was not written within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await send(topic, 0, [{ value: 'plain-6' }]);

    const started = performance.now();
    const committedOnly = await readOne({ topic, partition: 0, offset: 0 }, 5_000);
    expect(performance.now() - started).toBeLessThan(2_000);
    const offsetAndValue = (r: FetchedRecord): string => `${r.offset}=${r.value?.toString()}`;
    expect(committedOnly.map(offsetAndValue)).toEqual(['3=committed-3', '4=committed-4', '6=plain-6']);

    // One batch per fetch: the reader has to fetch past the aborted batch and the marker by itself.
    const fromStart = { topic, partition: 0, offset: 0 };
    const [batchByBatch] = await reader.read([fromStart], { timeoutMs: 5_000, maxBytesPerPartition: 1 });
    expect(batchByBatch?.map((r) => r.offset)).toEqual(['3', '4']);

    const fromMarker = await readOne({ topic, partition: 0, offset: 5 }, 5_000);
    expect(fromMarker.map((r) => r.offset)).toEqual(['6']);

    const uncommittedReader = new PartitionReader(kafka, { isolationLevel: 'read_uncommitted' });
    try {
      const all = (await uncommittedReader.read([{ topic, partition: 0, offset: 0 }], { timeoutMs: 1_000 }))[0] ?? [];
      expect(all.map((r) => r.offset)).toEqual(['0', '1', '3', '4', '6']);
    } finally {
      await uncommittedReader.disconnect();
    }
  });

  it('after only invisible records (an aborted transaction), keeps waiting for a visible one', async () => {
    const topic = uniqueTopic('reader-txn-only');
    await createTopic(topic);
    const transactional = helper.producer({ transactionalId: uniqueTopic('txn'), idempotent: true, maxInFlightRequests: 1 });
    await transactional.connect();
    try {
      const aborted = await transactional.transaction();
      await aborted.send({ topic, messages: [{ partition: 0, value: 'aborted' }] });
      await aborted.abort(); // offset 0, abort marker at 1
    } finally {
      await transactional.disconnect();
    }
    const reading = readOne({ topic, partition: 0, offset: 0 }, 5_000);
    setTimeout(() => void send(topic, 0, [{ value: 'visible' }]), 300);

    expect((await reading).map((r) => `${r.offset}=${r.value?.toString()}`)).toEqual(['2=visible']);
  });

  it('rejects an offset beyond the log end with bad_request and the valid range', async () => {
    const error = await rejection(readOne({ topic: topicB, partition: 0, offset: 1_000 }));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('out of range');
    expect(error.message).toContain('0 to 3');
  });

  it('rejects an unknown topic with topic_not_found, without creating it', async () => {
    const missing = uniqueTopic('reader-missing');
    const error = await rejection(
      reader.read(
        [
          { topic: topicA, partition: 0, offset: 0 },
          { topic: missing, partition: 0, offset: 0 },
        ],
        { timeoutMs: 100 },
      ),
    );
    expect(error.kind).toBe('topic_not_found');
    expect(error.message).toContain(missing);
    expect(await admin.listTopics()).not.toContain(missing);
  });

  it('rejects a partition the topic does not have with partition_not_found', async () => {
    const error = await rejection(readOne({ topic: topicA, partition: 99, offset: 0 }));
    expect(error.kind).toBe('partition_not_found');
  });

  it('sees partitions added after it cached the topic', async () => {
    const topic = uniqueTopic('reader-grow');
    await createTopic(topic, 1);
    await readOne({ topic, partition: 0, offset: 0 }, 50);
    await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
    await send(topic, 1, [{ value: 'new partition' }]);

    const records = await readOne({ topic, partition: 1, offset: 0 }, 2_000);

    expect(records.map((r) => r.value?.toString())).toEqual(['new partition']);
  });

  it('rejects malformed requests with bad_request', async () => {
    for (const request of [
      { topic: topicA, partition: 0, offset: -1 },
      { topic: topicA, partition: 0, offset: 'abc' },
      { topic: topicA, partition: -1, offset: 0 },
    ]) {
      expect((await rejection(readOne(request))).kind).toBe('bad_request');
    }
    const samePartition = [0, 1].map((offset) => ({ topic: topicA, partition: 0, offset }));
    const twice = reader.read(samePartition, { timeoutMs: 0 });
    expect((await rejection(twice)).kind).toBe('bad_request');
  });

  it('reuses its connections and creates no consumer group', async () => {
    const groupsBefore = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    await readOne({ topic: topicA, partition: 0, offset: 0 });
    const socketsAfterFirstRead = socketsOpened;

    for (let i = 0; i < 20; i += 1) await readOne({ topic: topicA, partition: i % 3, offset: 0 }, 10);

    expect(socketsOpened).toBe(socketsAfterFirstRead);
    const newGroups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => !groupsBefore.has(id));
    // Other test files share the broker and may create groups meanwhile: none of those may be ours.
    const described = newGroups.length === 0 ? [] : (await admin.describeGroups(newGroups)).groups;
    expect(described.flatMap((g) => g.members).filter((m) => m.clientId === clientId)).toEqual([]);
    expect(newGroups.filter((id) => id.includes(clientId))).toEqual([]);
  });
});
