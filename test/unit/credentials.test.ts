import { describe, expect, it } from 'vitest';
import { Credentials, CredentialsError } from '../../src/auth/credentials.js';
import { ANONYMOUS, may, requireAccess, requireOperationAccess, requirePatternSubscription, topicMatches } from '../../src/auth/principal.js';

const file = JSON.stringify({
  users: [
    { username: 'alice', password: 'pw:with:colons', permission: 'all', topics: '*' },
    { username: 'bob', password: 'b', permission: 'consume', topics: 'logs.*' },
  ],
});

describe('credentials and permissions', () => {
  it('verifies HTTP Basic credentials, passwords with colons included', async () => {
    const credentials = Credentials.fromJson(file);
    const header = `Basic ${Buffer.from('alice:pw:with:colons').toString('base64')}`;
    expect(await credentials.verifyBasic(header)).toEqual({ username: 'alice', permission: 'all', topics: '*' });
    expect(await credentials.verifyBasic(`Basic ${Buffer.from('alice:wrong').toString('base64')}`)).toBeUndefined();
    expect(await credentials.verifyBasic(`Basic ${Buffer.from('nobody:x').toString('base64')}`)).toBeUndefined();
    expect(await credentials.verifyBasic('Bearer token')).toBeUndefined();
    expect(await credentials.verifyBasic(undefined)).toBeUndefined();
  });

  it('matches exact names, prefixes and *', () => {
    expect(topicMatches('*', 'anything')).toBe(true);
    expect(topicMatches('logs.*', 'logs.app')).toBe(true);
    expect(topicMatches('logs.*', 'logsapp')).toBe(false);
    expect(topicMatches('orders', 'orders')).toBe(true);
    expect(topicMatches('orders', 'orders2')).toBe(false);
  });

  it('checks the permission and the pattern together', () => {
    const bob = { username: 'bob', permission: 'consume', topics: 'logs.*' } as const;
    expect(may(bob, 'consume', 'logs.a')).toBe(true);
    expect(may(bob, 'produce', 'logs.a')).toBe(false);
    expect(may(bob, 'consume', 'orders')).toBe(false);
    expect(() => requireAccess(bob, 'consume', ['logs.a', 'orders'])).toThrow("User 'bob' may not consume from topic 'orders'.");
    expect(() => requireAccess(ANONYMOUS, 'produce', ['x'])).not.toThrow();
  });

  it('grants admin everything, all produce and consume, and reads only within the topic pattern', () => {
    const root = { username: 'root', permission: 'admin', topics: '*' } as const;
    const carol = { username: 'carol', permission: 'all', topics: 'logs.*' } as const;
    expect(may(root, 'admin', 'x')).toBe(true);
    expect(may(carol, 'admin', 'logs.a')).toBe(false);
    expect(() => requireOperationAccess(carol, 'admin', [])).toThrow("User 'carol' (permission all) may not make admin changes.");
    expect(() => requireOperationAccess(carol, 'produce', ['logs.a'])).not.toThrow();
    expect(() => requireOperationAccess(carol, 'read', ['orders'])).toThrow("User 'carol' may not see topic 'orders'.");
    expect(() => requireOperationAccess(carol, 'none', ['orders'])).not.toThrow();
    expect(() => requirePatternSubscription(carol)).toThrow(/by name, not by topic_pattern/);
    expect(() => requirePatternSubscription(root)).not.toThrow();
    expect(ANONYMOUS.permission).toBe('admin');
  });

  it('rejects malformed files with a message naming the problem', () => {
    expect(() => Credentials.fromJson('not json')).toThrow(CredentialsError);
    expect(() => Credentials.fromJson('{"users": [{"username": "a"}]}')).toThrow(/password/);
    expect(() => Credentials.fromJson('{"users": [{"username": "a", "password": "p", "permission": "root"}]}')).toThrow(/permission/);
    expect(() => Credentials.fromJson('{"users": [{"username": "a", "password": "p"}, {"username": "a", "password": "q"}]}')).toThrow(/twice/);
  });
});
