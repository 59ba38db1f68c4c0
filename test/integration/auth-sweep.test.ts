/**
 * The auth sweep: every operation of the spec, called with no credentials, with a wrong password, and as a user
 * lacking the permission (or whose topic pattern does not cover the topic it names), must answer 401, 401 and 403
 * in its dialect's envelope — so a new endpoint cannot ship open. The operations open by design, and those any
 * user may call, are explicit lists here: adding one is a visible decision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationMeta } from '../../generated/operations.js';
import type { OperationId, OperationMeta } from '../../generated/operations.js';
import { loadBundledSpec } from '../../src/proxy.js';
import type { SpecDocument } from '../../scripts/generate/spec-model.js';
import { exampleRequests, send } from './support/example-requests.js';
import type { ExampleRequest, RawReply } from './support/example-requests.js';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

/** x-permission none: no credentials needed, and wrong ones are ignored. */
const OPEN: readonly OperationId[] = ['getLiveness', 'getReadiness', 'getOpenApiDocument', 'getApiReference', 'getMetrics', 'v2GetRoot'];

/** x-permission read without a topic in the path: any user may call them (lists show only the user's topics). */
const ANY_USER: readonly OperationId[] = [
  'v2ListTopics', 'v2ListBrokers', 'v3ListClusters', 'v3GetCluster', 'v3ListClusterConfigs', 'v3GetClusterConfig', 'v3ListBrokers',
  'v3GetBroker', 'v3ListAllBrokerConfigs', 'v3ListBrokerReplicas', 'v3ListBrokerConfigs', 'v3GetBrokerConfig', 'v3ListConsumerGroups',
  'v3GetConsumerGroup', 'v3ListConsumers', 'v3GetConsumer', 'v3ListConsumerAssignments', 'v3ListConsumerLags',
  'v3GetConsumerGroupLagSummary', 'v3ListTopics', 'v3ListAllTopicConfigs', 'v3ListAllReassignments', 'upstashListTopics',
  'upstashListConsumers',
];

type User = (typeof USERS)[keyof typeof USERS];

/** Who lacks what the operation needs: the permission, or (for a metadata read of a topic) the topic. */
function userLacking(meta: OperationMeta): User {
  switch (meta.permission) {
    case 'produce': return USERS.consumer;
    case 'consume': return USERS.producer;
    case 'admin': return USERS.full;
    default: return USERS.logsAdmin;
  }
}

const CASES = ['no credentials', 'wrong password', 'lacking permission'] as const;
type Case = (typeof CASES)[number];

function credentialsFor(which: Case, meta: OperationMeta): Record<string, string> {
  if (which === 'no credentials') return {};
  if (which === 'wrong password') return { authorization: basic({ username: USERS.admin.username, password: 'not-the-password' }) };
  return { authorization: basic(userLacking(meta)) };
}

function expectEnvelope(meta: OperationMeta, reply: RawReply, status: 401 | 403): void {
  expect(reply.status, `${meta.operationId}: ${JSON.stringify(reply.body)}`).toBe(status);
  if (meta.dialect === 'upstash') expect(reply.body).toEqual({ error: expect.any(String), status });
  else expect(reply.body).toEqual({ error_code: status === 401 ? 40101 : 40301, message: expect.any(String) });
  if (status === 401) expect(reply.headers['www-authenticate']).toMatch(/^Basic realm=/);
}

describe('auth sweep over every operation of the spec', () => {
  let t: ProxyUnderTest;
  const requests = exampleRequests(loadBundledSpec() as unknown as SpecDocument);
  const metas = Object.values(operationMeta);
  const results: { operationId: string; which: Case; status: number }[] = [];

  beforeAll(async () => {
    t = await startProxyUnderTest({ 'auth.file': writeUsersFile() });
  });
  afterAll(() => t.proxy.stop());

  it('covers every operation, with the open and any-user ones listed here', () => {
    expect(requests.size).toBe(metas.length);
    expect(metas.filter((m) => m.permission === 'none').map((m) => m.operationId).sort()).toEqual([...OPEN].sort());
    const anyUser = metas.filter((m) => m.permission === 'read' && requests.get(m.operationId)!.topics.length === 0);
    expect(anyUser.map((m) => m.operationId).sort()).toEqual([...ANY_USER].sort());
    // The 403 case for a metadata read relies on the example topic being outside the narrow user's pattern.
    for (const r of requests.values()) for (const topic of r.topics) expect(topic.startsWith('logs.'), topic).toBe(false);
  });

  it('answers 401, 401 and 403 to every secured operation, before touching Kafka', async () => {
    const exampleTopics = new Set([...requests.values()].flatMap((r) => r.topics).concat(['orders', 'mytopic', 'greetings', 'jsontest']));
    const existedBefore = await existingTopics(t, exampleTopics);
    for (const meta of metas) {
      const request = requests.get(meta.operationId)!;
      for (const which of CASES) {
        const reply = await send(t.baseUrl, request, credentialsFor(which, meta));
        results.push({ operationId: meta.operationId, which, status: reply.status });
        checkCase(meta, which, reply, request);
      }
    }
    const secured = metas.filter((m) => m.permission !== 'none').length;
    console.log(`auth sweep: ${metas.length} operations × ${CASES.length} cases = ${results.length} requests (${secured} secured operations, ${OPEN.length} open, ${ANY_USER.length} open to any user)`);
    expect(results.length).toBe(metas.length * CASES.length);
    // Nothing the refused requests named came into being (the broker auto-creates topics on produce and fetch).
    expect(await existingTopics(t, exampleTopics)).toEqual(existedBefore);
  }, 120_000);
});

function checkCase(meta: OperationMeta, which: Case, reply: RawReply, request: ExampleRequest): void {
  const label = `${meta.operationId} (${request.method} ${request.path}), ${which}: ${JSON.stringify(reply.body).slice(0, 300)}`;
  if (OPEN.includes(meta.operationId)) {
    expect(reply.status, label).toBe(200);
    return;
  }
  if (which !== 'lacking permission') {
    expectEnvelope(meta, reply, 401);
    return;
  }
  if (ANY_USER.includes(meta.operationId)) {
    expect([401, 403], label).not.toContain(reply.status);
    return;
  }
  expectEnvelope(meta, reply, 403);
}

async function existingTopics(t: ProxyUnderTest, names: ReadonlySet<string>): Promise<string[]> {
  const reply = await send(t.baseUrl, { method: 'GET', path: '/topics', headers: { authorization: basic(USERS.admin) }, topics: [] });
  return (reply.body as string[]).filter((name) => names.has(name)).sort();
}
