/**
 * Permissions across dialects: only an admin creates and deletes topics via v3; a v2 consumer cannot subscribe,
 * assign or seek outside its topic pattern, nor by topic_pattern unless its pattern is `*`; lists show only the
 * caller's topics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

type User = (typeof USERS)[keyof typeof USERS];
interface Reply {
  status: number;
  body: unknown;
}

const V2 = 'application/vnd.kafka.v2+json';

describe('permissions', () => {
  let t: ProxyUnderTest;

  async function call(user: User, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const headers: Record<string, string> = { authorization: basic(user), accept: path.startsWith('/v3') ? 'application/json' : V2 };
    if (body !== undefined) headers['content-type'] = contentType;
    const response = await fetch(`${t.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const topicsPath = (): string => `/v3/clusters/${t.clusterId}/topics`;

  beforeAll(async () => {
    t = await startProxyUnderTest({ 'auth.file': writeUsersFile() });
  });
  afterAll(() => t.proxy.stop());

  describe('v3 topic administration', () => {
    it('an admin creates and deletes a topic; a user with produce and consume (all) can do neither', async () => {
      const topic = uniqueTopic('admin-only');
      const refused = await call(USERS.full, 'POST', topicsPath(), { topic_name: topic, partitions_count: 1 });
      expect(refused).toEqual({ status: 403, body: { error_code: 40301, message: "User 'full' (permission all) may not make admin changes." } });
      expect((await call(USERS.admin, 'GET', `${topicsPath()}/${topic}`)).status).toBe(404);

      expect((await call(USERS.admin, 'POST', topicsPath(), { topic_name: topic, partitions_count: 1 })).status).toBe(201);
      expect((await call(USERS.producer, 'DELETE', `${topicsPath()}/${topic}`)).status).toBe(403);
      expect((await call(USERS.full, 'GET', `${topicsPath()}/${topic}`)).status).toBe(200);

      expect((await call(USERS.admin, 'DELETE', `${topicsPath()}/${topic}`)).status).toBe(204);
    });

    it('an admin whose pattern is logs.* creates only logs.* topics', async () => {
      const outside = uniqueTopic('not-logs');
      const refused = await call(USERS.logsAdmin, 'POST', topicsPath(), { topic_name: outside, partitions_count: 1 });
      expect(refused).toEqual({ status: 403, body: { error_code: 40301, message: `User 'logs-admin' may not administer topic '${outside}'.` } });
      expect((await call(USERS.admin, 'GET', `${topicsPath()}/${outside}`)).status).toBe(404);
    });
  });

  describe('v2 consumers and topic patterns', () => {
    const inside = uniqueTopic('logs.app');
    const outside = uniqueTopic('orders');
    const group = uniqueTopic('auth-group');
    let base: string;

    beforeAll(async () => {
      for (const topic of [inside, outside]) {
        expect((await call(USERS.admin, 'POST', topicsPath(), { topic_name: topic, partitions_count: 1 })).status).toBe(201);
      }
      const created = await call(USERS.logs, 'POST', `/consumers/${group}`, { name: 'c1', format: 'binary' }, V2);
      expect(created.status).toBe(200);
      base = `/consumers/${group}/instances/c1`;
    });
    afterAll(async () => {
      await call(USERS.logs, 'DELETE', base);
      for (const topic of [inside, outside]) await call(USERS.admin, 'DELETE', `${topicsPath()}/${topic}`);
    });

    it('cannot subscribe to a topic outside its pattern, and the subscription stays empty', async () => {
      const refused = await call(USERS.logs, 'POST', `${base}/subscription`, { topics: [inside, outside] }, V2);
      expect(refused).toEqual({ status: 403, body: { error_code: 40301, message: `User 'logs' may not consume from topic '${outside}'.` } });
      expect(await call(USERS.logs, 'GET', `${base}/subscription`)).toEqual({ status: 200, body: { topics: [] } });
    });

    it('cannot subscribe by topic_pattern unless its pattern is *', async () => {
      const refused = await call(USERS.logs, 'POST', `${base}/subscription`, { topic_pattern: 'logs\\..*' }, V2);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error_code: 40301, message: expect.stringContaining('not by topic_pattern') });
    });

    it('subscribes to a topic inside its pattern', async () => {
      expect((await call(USERS.logs, 'POST', `${base}/subscription`, { topics: [inside] }, V2)).status).toBe(204);
      expect(await call(USERS.logs, 'GET', `${base}/subscription`)).toEqual({ status: 200, body: { topics: [inside] } });
    });

    it('cannot assign, seek or read committed offsets of a partition outside its pattern', async () => {
      const partitions = [{ topic: outside, partition: 0 }];
      expect((await call(USERS.logs, 'POST', `${base}/assignments`, { partitions }, V2)).status).toBe(403);
      expect((await call(USERS.logs, 'POST', `${base}/positions/beginning`, { partitions }, V2)).status).toBe(403);
      expect((await call(USERS.logs, 'POST', `${base}/positions`, { offsets: [{ ...partitions[0], offset: 0 }] }, V2)).status).toBe(403);
      expect((await call(USERS.logs, 'POST', `${base}/offsets`, { offsets: [{ ...partitions[0], offset: 0 }] }, V2)).status).toBe(403);
    });

    it('a producer may not create a consumer instance', async () => {
      expect((await call(USERS.producer, 'POST', `/consumers/${group}`, { name: 'c2' }, V2)).status).toBe(403);
      expect((await call(USERS.logs, 'DELETE', `/consumers/${group}/instances/c2`)).status).toBe(404);
    });

    it('lists only the topics within the caller’s pattern, and refuses to describe others', async () => {
      const v2 = (await call(USERS.logs, 'GET', '/topics')).body as string[];
      expect(v2).toContain(inside);
      expect(v2.every((name) => name.startsWith('logs.'))).toBe(true);
      const v3 = (await call(USERS.logs, 'GET', topicsPath())).body as { data: { topic_name: string }[] };
      expect(v3.data.map((d) => d.topic_name)).toContain(inside);
      expect(v3.data.every((d) => d.topic_name.startsWith('logs.'))).toBe(true);
      expect((await call(USERS.admin, 'GET', '/topics')).body).toContain(outside);
      expect((await call(USERS.logs, 'GET', `/topics/${outside}`)).status).toBe(403);
    });
  });
});
