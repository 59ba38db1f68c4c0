/**
 * The users file while the proxy runs: a rotated password takes effect for the next request without a restart
 * (the file is watched, and re-read on reloadCredentials(), which SIGHUP calls), and a file broken by an edit keeps
 * the users loaded before, with an error line saying why.
 */
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { hashPassword } from '../../src/auth/password-hash.js';
import { DEFAULTS, toProxyConfig } from '../../src/config/config.js';
import { startProxy } from '../../src/proxy.js';
import type { RunningProxy } from '../../src/proxy.js';
import { createLogger } from '../../src/server/logger.js';

interface User {
  readonly username: string;
  readonly password: string;
}

const basic = (user: User): string => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

describe('a users file changed while the proxy runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'users-reload-'));
  const path = join(dir, 'users.json');
  const lines: string[] = [];
  let proxy: RunningProxy;
  let baseUrl: string;

  /** As editors and config tools do: a new file renamed over the old one. */
  function replaceFile(text: string): void {
    const next = join(dir, `.users.json.${Date.now()}`);
    writeFileSync(next, text);
    renameSync(next, path);
  }

  async function statusFor(user: User): Promise<number> {
    return (await fetch(`${baseUrl}/upstash/topics`, { headers: { authorization: basic(user) } })).status;
  }

  beforeAll(async () => {
    writeFileSync(path, JSON.stringify({ users: [{ username: 'app', password: await hashPassword('first-secret') }, { username: 'legacy', password: 'plain-secret' }] }));
    const config = toProxyConfig({ ...DEFAULTS, 'bootstrap.servers': inject('bootstrapServers'), listeners: 'http://127.0.0.1:0', 'auth.file': path });
    proxy = await startProxy(config, createLogger('info', { write: (line: string) => void lines.push(line) }));
    baseUrl = proxy.urls[0]!;
  });
  afterAll(() => proxy?.stop());

  it('warns at start about users with a plain-text password, naming them', () => {
    expect(lines.join('')).toMatch(/auth\.file .*users\.json: 1 user\(s\) with a plain-text password \(legacy\)/);
  });

  it('uses a rotated password for the next requests, without a restart', async () => {
    expect(await statusFor({ username: 'app', password: 'first-secret' })).toBe(200);
    replaceFile(JSON.stringify({ users: [{ username: 'app', password: await hashPassword('second-secret') }] }));
    await vi.waitFor(async () => expect(await statusFor({ username: 'app', password: 'second-secret' })).toBe(200), { timeout: 15_000, interval: 100 });
    expect(await statusFor({ username: 'app', password: 'first-secret' })).toBe(401);
    expect(await statusFor({ username: 'legacy', password: 'plain-secret' })).toBe(401);
    expect(lines.join('')).toMatch(/auth\.file .*users\.json reloaded \(change\): 1 users/);
  });

  it('keeps the users it has when the file no longer parses, and says why', async () => {
    replaceFile('{"users": [{"username": "app", "password": ');
    await vi.waitFor(() => expect(lines.join('')).toMatch(/users\.json not reloaded \(change\), keeping the 1 users loaded before: .*not JSON/), { timeout: 15_000, interval: 100 });
    expect(await statusFor({ username: 'app', password: 'second-secret' })).toBe(200);
  });

  it('re-reads the file on reloadCredentials() (SIGHUP), however it was changed', async () => {
    replaceFile(JSON.stringify({ users: [{ username: 'ops', password: 'third-secret', permission: 'admin' }] }));
    proxy.reloadCredentials();
    expect(await statusFor({ username: 'ops', password: 'third-secret' })).toBe(200);
    expect(await statusFor({ username: 'app', password: 'second-secret' })).toBe(401);
    expect(lines.join('')).toMatch(/users\.json reloaded \(SIGHUP\): 1 users/);
  });
});
