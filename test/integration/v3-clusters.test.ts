import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

describe('Confluent v3 clusters', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  it('lists the one cluster with its real id and links built from the request host', async () => {
    const { data, response } = await t.client.GET('/v3/clusters');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const base = `${t.baseUrl}/v3/clusters/${t.clusterId}`;
    expect(data).toEqual({
      kind: 'KafkaClusterList',
      metadata: { self: `${t.baseUrl}/v3/clusters`, next: null },
      data: [
        {
          kind: 'KafkaCluster',
          metadata: { self: base, resource_name: `crn:///kafka=${t.clusterId}` },
          cluster_id: t.clusterId,
          controller: { related: `${base}/brokers/1` },
          acls: { related: `${base}/acls` },
          brokers: { related: `${base}/brokers` },
          broker_configs: { related: `${base}/broker-configs` },
          consumer_groups: { related: `${base}/consumer-groups` },
          topics: { related: `${base}/topics` },
          partition_reassignments: { related: `${base}/topics/-/partitions/-/reassignment` },
        },
      ],
    });
  });

  it('gets the cluster by id', async () => {
    const { data, response } = await t.client.GET('/v3/clusters/{cluster_id}', {
      params: { path: { cluster_id: t.clusterId } },
    });
    expect(response.status).toBe(200);
    expect(data?.cluster_id).toBe(t.clusterId);
    expect(data?.metadata.self).toBe(`${t.baseUrl}/v3/clusters/${t.clusterId}`);
  });

  it('answers 404 in the Confluent envelope for an unknown cluster id', async () => {
    const { error, response } = await t.client.GET('/v3/clusters/{cluster_id}', {
      params: { path: { cluster_id: 'no-such-cluster' } },
    });
    expect(response.status).toBe(404);
    expect(error).toEqual({ error_code: 404, message: 'Cluster no-such-cluster cannot be found.' });
  });
});

describe('Confluent v3 links with an advertised listener', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest({ 'advertised.listeners': 'https://kafka-rest.example.com:9443' });
  });
  afterAll(() => t.proxy.stop());

  it('builds every link from the advertised listener, not the request host', async () => {
    const { data } = await t.client.GET('/v3/clusters');
    const cluster = data!.data[0]!;
    expect(data!.metadata.self).toBe('https://kafka-rest.example.com:9443/v3/clusters');
    expect(cluster.metadata.self).toBe(`https://kafka-rest.example.com:9443/v3/clusters/${t.clusterId}`);
    expect(cluster.topics.related).toBe(`https://kafka-rest.example.com:9443/v3/clusters/${t.clusterId}/topics`);
  });
});
