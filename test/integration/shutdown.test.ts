import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';

interface Reply {
  status: number;
  body: string;
}

describe('graceful shutdown', () => {
  it('finishes a request that is in flight when stop() is called, and refuses new connections', async () => {
    const t = await startProxyUnderTest();
    const topic = uniqueTopic('in-flight');
    const url = new URL(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics`);
    const body = JSON.stringify({ topic_name: topic });
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const reply = new Promise<Reply>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
    });
    // Half the body now: the request is in flight when the shutdown starts.
    req.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 100));
    const stopped = t.proxy.stop();
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${t.baseUrl}/healthz`)).rejects.toThrow();
    req.end(body.slice(5));
    const { status, body: text } = await reply;
    expect(status).toBe(201);
    expect(JSON.parse(text)).toMatchObject({ topic_name: topic });
    await stopped;
  });
});
