import { describe, expect, it } from 'vitest';
import { deploymentSecret, ForwardingSigner } from '../../src/server/forwarding-signature.js';

const request = { method: 'GET', url: '/consumers/g/instances/i/records?timeout=100', host: 'balancer:8080' };
const identity = { principal: { username: 'alice', permission: 'consume' as const, topics: 'logs.*' }, hops: 1, proto: 'https' as const };
const key = deploymentSecret('s3cret', undefined, 'prod');

describe('signed forwarding between nodes', () => {
  it('a header signed with the deployment key carries the principal, hops, scheme and sender', () => {
    const header = new ForwardingSigner(key, 'node-a').sign(request, identity);
    expect(new ForwardingSigner(key, 'node-b').verify(request, header)).toEqual({ ...identity, from: 'node-a' });
  });

  it('refuses another key, another request, a changed field, a stale or future timestamp, and garbage', () => {
    const signer = new ForwardingSigner(key, 'node-a');
    const header = signer.sign(request, identity, 1_000_000);
    expect(signer.verify(request, header, 1_000_000 + 1000)).toBeDefined();
    expect(new ForwardingSigner(deploymentSecret('other', undefined, 'prod'), 'x').verify(request, header, 1_000_000)).toBeUndefined();
    expect(signer.verify({ ...request, url: '/consumers/g/instances/other/records' }, header, 1_000_000)).toBeUndefined();
    expect(signer.verify({ ...request, method: 'DELETE' }, header, 1_000_000)).toBeUndefined();
    expect(signer.verify({ ...request, host: 'elsewhere' }, header, 1_000_000)).toBeUndefined();
    const admin = Buffer.from(JSON.stringify({ username: 'alice', permission: 'admin', topics: '*' })).toString('base64url');
    expect(signer.verify(request, header.replace(/;p=[^;]+;/, `;p=${admin};`), 1_000_000)).toBeUndefined();
    expect(signer.verify(request, header, 1_000_000 + 61_000)).toBeUndefined();
    expect(signer.verify(request, header, 1_000_000 - 61_000)).toBeUndefined();
    expect(signer.verify(request, 'v1;sig=AAAA', 1_000_000)).toBeUndefined();
    expect(signer.verify(request, '', 1_000_000)).toBeUndefined();
  });

  it('the key: internal.secret when set, else the users file, else the deployment name', () => {
    const users = Buffer.from('{"users":[]}');
    expect(deploymentSecret('s', users, 'd')).toEqual(deploymentSecret('s', undefined, 'other'));
    expect(deploymentSecret('', users, 'd')).toEqual(deploymentSecret('', users, 'other'));
    expect(deploymentSecret('', users, 'd')).not.toEqual(deploymentSecret('', Buffer.from('{"users":[1]}'), 'd'));
    expect(deploymentSecret('', undefined, 'd')).not.toEqual(deploymentSecret('', undefined, 'e'));
    expect(deploymentSecret('', undefined, 'd')).not.toEqual(deploymentSecret('', users, 'd'));
  });
});
