import { describe, expect, it } from 'vitest';
import type { AssignmentSupport, ConsumerInstanceConfig } from '../../src/core/consumer-instance.js';
import { ConsumerRegistry } from '../../src/core/consumer-registry.js';
import type { ConsumedRecord, GroupConsumerFactory, GroupConsumerPort, GroupConsumerSpec, PolledRecords, TopicPartitionOffset } from '../../src/core/model.js';
import { RecordList } from '../../src/core/record-list.js';
import { DomainError } from '../../src/errors/domain-error.js';

/** An in-memory group member: records are queued by the test; commits and closes are recorded. */
class FakeMember implements GroupConsumerPort {
  queued: ConsumedRecord[] = [];
  commits: TopicPartitionOffset[][] = [];
  closed = false;
  constructor(readonly spec: GroupConsumerSpec) {}
  async start(): Promise<void> {}
  async poll(_timeoutMs: number, max: number): Promise<PolledRecords> {
    return new RecordList(this.queued.splice(0, max));
  }
  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.commits.push([...offsets]);
  }
  assignment() {
    return this.spec.topics.map((topic) => ({ topic, partitions: [0] }));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  seek(): void {}
}

class FakeFactory implements GroupConsumerFactory {
  members: FakeMember[] = [];
  create(spec: GroupConsumerSpec): GroupConsumerPort {
    const member = new FakeMember(spec);
    this.members.push(member);
    return member;
  }
  async committed(): Promise<TopicPartitionOffset[]> {
    return [];
  }
  async commitWithoutMembership(): Promise<void> {}
}

const noAssignment: AssignmentSupport = {
  reader: { read: async () => [], readRecords: async () => new RecordList([]) },
  offsetsAt: async () => [],
  existingTopics: async (topics) => topics,
};
const u = { username: 'u', permission: 'consume' };
const alice = { username: 'alice', permission: 'consume' };
const bob = { username: 'bob', permission: 'consume' };

const record = (topic: string, partition: number, offset: number): ConsumedRecord => ({
  topic, partition, offset: String(offset), timestampMs: 0, key: null, value: Buffer.from('v'), headers: [],
});
const manual: ConsumerInstanceConfig = {
  autoCommit: false, autoCommitIntervalMs: 5000, autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000, format: 'binary', requestTimeoutMs: 1000,
};
const noErrors = (error: unknown): void => {
  throw error;
};

describe('the consumer instance registry', () => {
  it('creates an instance once and reuses it for the same topics', async () => {
    const factory = new FakeFactory();
    const registry = new ConsumerRegistry(factory, noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    const [a, b] = await Promise.all([registry.acquire('g', 'i', ['t'], manual, u), registry.acquire('g', 'i', ['t'], manual, u)]);
    expect(a).toBe(b);
    expect(await registry.acquire('g', 'i', ['t'], manual, u)).toBe(a);
    expect(factory.members).toHaveLength(1);
    expect(factory.members[0]!.spec).toEqual({ groupId: 'g', topics: ['t'], autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000 });
    await registry.closeAll();
  });

  it('re-subscribes an instance asked for other topics, closing the old member', async () => {
    const factory = new FakeFactory();
    const registry = new ConsumerRegistry(factory, noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    await registry.acquire('g', 'i', ['a'], manual, u);
    const moved = await registry.acquire('g', 'i', ['a', 'b'], manual, u);
    expect(moved.topics).toEqual(['a', 'b']);
    expect(factory.members.map((m) => m.closed)).toEqual([true, false]);
    expect(registry.size).toBe(1);
    await registry.closeAll();
  });

  it('commits the offset after each record handed out when asked to commit without offsets', async () => {
    const factory = new FakeFactory();
    const registry = new ConsumerRegistry(factory, noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    const instance = await registry.acquire('g', 'i', ['t'], manual, u);
    factory.members[0]!.queued.push(record('t', 0, 4), record('t', 0, 5), record('t', 1, 9));
    expect((await instance.poll(0, 2)).count).toBe(2);
    await instance.commit();
    expect(factory.members[0]!.commits).toEqual([[{ topic: 't', partition: 0, offset: '6' }]]);
    await instance.commit([{ topic: 't', partition: 1, offset: '3' }]);
    expect(factory.members[0]!.commits[1]).toEqual([{ topic: 't', partition: 1, offset: '3' }]);
    await registry.closeAll();
  });

  it('bounds the number of instances with a 429-class error', async () => {
    const registry = new ConsumerRegistry(new FakeFactory(), noAssignment, { maxInstances: 2, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    await registry.acquire('g', 'a', ['t'], manual, u);
    await registry.acquire('g', 'b', ['t'], manual, u);
    await expect(registry.acquire('g', 'c', ['t'], manual, u)).rejects.toMatchObject({ kind: 'limit_exceeded' });
    await registry.closeAll();
  });

  it('bounds the instances of each user; deleting one frees a place for that user only', async () => {
    const registry = new ConsumerRegistry(new FakeFactory(), noAssignment, { maxInstances: 10, maxInstancesPerUser: 2, idleTimeoutMs: 60_000 }, noErrors);
    await registry.create('g', 'a1', manual, alice);
    await registry.acquire('g', 'a2', ['t'], manual, alice);
    await expect(registry.create('g', 'a3', manual, alice)).rejects.toThrow(expect.objectContaining({ kind: 'limit_exceeded' }));
    await expect(registry.acquire('g', 'a3', ['t'], manual, alice)).rejects.toMatchObject({ kind: 'limit_exceeded' });
    await registry.create('g', 'b1', manual, bob);
    await registry.delete('g', 'a1', alice);
    await registry.create('g', 'a3', manual, alice);
    expect(registry.size).toBe(3);
    await registry.closeAll();
  });

  it('closes idle instances, committing what they handed out when auto-commit is on', async () => {
    const factory = new FakeFactory();
    const registry = new ConsumerRegistry(factory, noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 1000 }, noErrors);
    const instance = await registry.acquire('g', 'auto', ['t'], { ...manual, autoCommit: true }, u);
    factory.members[0]!.queued.push(record('t', 0, 0));
    await instance.poll(0, 10);
    await registry.acquire('g', 'busy', ['t'], manual, u);
    registry.get('g', 'busy', u).lastUsed = Date.now() + 10_000;
    expect(await registry.closeIdle(Date.now() + 5000)).toBe(1);
    expect(factory.members[0]!.closed).toBe(true);
    expect(factory.members[0]!.commits).toEqual([[{ topic: 't', partition: 0, offset: '1' }]]);
    expect(() => registry.get('g', 'auto', u)).toThrow(DomainError);
    expect(registry.list().map((i) => i.name)).toEqual(['busy']);
    await registry.closeAll();
  });

  it('creates unsubscribed instances explicitly (v2): duplicates are 40902, polling before subscribing 40903', async () => {
    const factory = new FakeFactory();
    const registry = new ConsumerRegistry(factory, noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    const instance = await registry.create('g', 'v2', manual, u);
    await expect(registry.create('g', 'v2', manual, u)).rejects.toThrow(expect.objectContaining({ kind: 'consumer_already_exists' }));
    await expect(instance.poll(0, 1)).rejects.toMatchObject({ kind: 'illegal_state' });
    await instance.subscribe(['t']);
    expect(instance.topics).toEqual(['t']);
    await instance.unsubscribe();
    expect(instance.topics).toEqual([]);
    expect(factory.members[0]!.closed).toBe(true);
    await registry.closeAll();
  });

  it('deleting an unknown instance is a consumer_instance_not_found error', async () => {
    const registry = new ConsumerRegistry(new FakeFactory(), noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    await expect(registry.delete('g', 'nope', u)).rejects.toMatchObject({ kind: 'consumer_instance_not_found' });
    await registry.closeAll();
  });

  it('an instance belongs to its creator: another user gets forbidden, an admin may delete it', async () => {
    const registry = new ConsumerRegistry(new FakeFactory(), noAssignment, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    const instance = await registry.create('g', 'mine', manual, alice);
    expect(instance.owner).toBe('alice');
    expect(registry.get('g', 'mine', alice)).toBe(instance);
    expect(() => registry.get('g', 'mine', bob)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    await expect(registry.acquire('g', 'mine', ['t'], manual, bob)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(registry.delete('g', 'mine', bob)).rejects.toMatchObject({ kind: 'forbidden' });
    await registry.delete('g', 'mine', { username: 'root', permission: 'admin' });
    expect(registry.size).toBe(0);
    // While alice's instance is still being claimed, bob's call for the same name is refused too.
    const claiming = registry.acquire('g', 'racing', ['t'], manual, alice);
    await expect(registry.acquire('g', 'racing', ['t'], manual, bob)).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await claiming).owner).toBe('alice');
    await registry.closeAll();
  });

  it('subscribes to a topic that does not exist yet, and joins for it once it does', async () => {
    const factory = new FakeFactory();
    const existing = new Set(['a']);
    const support: AssignmentSupport = { ...noAssignment, existingTopics: async (topics) => topics.filter((t) => existing.has(t)) };
    const registry = new ConsumerRegistry(factory, support, { maxInstances: 10, maxInstancesPerUser: 10, idleTimeoutMs: 60_000 }, noErrors);
    const instance = await registry.create('g', 'early', manual, u);
    await instance.subscribe(['a', 'later']);
    expect(instance.topics).toEqual(['a', 'later']);
    expect(factory.members.map((m) => m.spec.topics)).toEqual([['a']]);
    existing.add('later');
    // The next poll after the check interval (1 s) starts a member for both topics.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await instance.poll(0, 10);
    expect(factory.members.map((m) => [m.spec.topics, m.closed])).toEqual([[['a'], true], [['a', 'later'], false]]);
    await registry.closeAll();
  });
});
