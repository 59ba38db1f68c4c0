/**
 * Confluent v3 ACLs, against a local broker of their own (its ACLs are counted) started with the defaults: every
 * local broker runs Kafka's StandardAuthorizer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import type { LocalBroker } from '../../src/kafka/local-broker.js';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

describe('Confluent v3 ACLs on a default local broker', { timeout: 120_000 }, () => {
  let broker: LocalBroker;
  let t: ProxyUnderTest;
  let acls: string;

  beforeAll(async () => {
    // The defaults, as `npm start` runs them: the local broker comes with Kafka's StandardAuthorizer.
    broker = await startLocalBroker({ log: () => undefined });
    t = await startProxyUnderTest({ 'bootstrap.servers': broker.bootstrapServers });
    acls = `${t.baseUrl}/v3/clusters/${broker.clusterId}/acls`;
  }, 180_000);
  afterAll(async () => {
    await t?.proxy.stop();
    await broker?.stop();
  });

  const acl = (overrides: Record<string, string> = {}) => ({
    resource_type: 'TOPIC', resource_name: 'orders', pattern_type: 'LITERAL', principal: 'User:alice', host: '*', operation: 'READ', permission: 'ALLOW',
    ...overrides,
  });
  const send = async (url: string, method: string, body?: unknown): Promise<{ status: number; body: { data?: Record<string, unknown>[] } & Record<string, unknown> }> => {
    const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };

  it('creates ACLs one by one and in a batch, lists them with filters, and deletes them', async () => {
    expect((await send(acls, 'POST', acl())).status).toBe(201);
    expect((await send(`${acls}:batch`, 'POST', { data: [acl({ operation: 'WRITE' }), acl({ resource_type: 'GROUP', resource_name: 'billing', pattern_type: 'PREFIXED', principal: 'User:bob' })] })).status).toBe(204);

    await expect.poll(async () => (await send(acls, 'GET')).body.data?.length, { timeout: 10_000 }).toBe(3);
    const alice = await send(`${acls}?principal=User:alice&resource_type=TOPIC`, 'GET');
    expect(alice.body.data?.map((a) => a['operation']).sort()).toEqual(['READ', 'WRITE']);
    expect(alice.body.data?.[0]).toMatchObject({ kind: 'KafkaAcl', cluster_id: broker.clusterId, resource_type: 'TOPIC', resource_name: 'orders', pattern_type: 'LITERAL', host: '*', permission: 'ALLOW' });

    const deleted = await send(`${acls}?resource_type=TOPIC&principal=User:alice&operation=WRITE`, 'DELETE');
    expect(deleted.status).toBe(200);
    expect(deleted.body.data?.map((a) => [a['principal'], a['operation']])).toEqual([['User:alice', 'WRITE']]);
    await expect.poll(async () => (await send(acls, 'GET')).body.data?.length, { timeout: 10_000 }).toBe(2);
  });

  it('one ACL: create, list shows it, delete returns it, list is empty', async () => {
    const mine = acl({ resource_name: 'payments', principal: 'User:carol', operation: 'DESCRIBE' });
    const filter = `${acls}?principal=User:carol`;
    expect((await send(acls, 'POST', mine)).status).toBe(201);
    await expect.poll(async () => (await send(filter, 'GET')).body.data?.map((a) => a['resource_name']), { timeout: 10_000 }).toEqual(['payments']);
    const deleted = await send(`${acls}?resource_type=ANY&principal=User:carol`, 'DELETE');
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual([expect.objectContaining({ kind: 'KafkaAcl', ...mine })]);
    await expect.poll(async () => (await send(filter, 'GET')).body.data, { timeout: 10_000 }).toEqual([]);
  });

  it('refuses a delete without resource_type (400) and invalid ACLs (422/42206)', async () => {
    expect((await send(acls, 'DELETE')).status).toBe(400);
    const invalid = await send(acls, 'POST', acl({ operation: 'FLY' }));
    expect(invalid.status).toBe(422);
    expect(invalid.body['error_code']).toBe(42206);
  });
});
