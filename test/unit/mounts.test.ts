import { describe, expect, it } from 'vitest';
import { Mounts } from '../../src/server/mounts.js';

describe('dialect mount points', () => {
  it('routes by prefix: Upstash, v3, operational endpoints, then v2 at the root', () => {
    const mounts = new Mounts('/upstash');
    expect(mounts.resolve('/upstash/topics')).toEqual({ dialect: 'upstash', specPath: '/upstash/topics' });
    expect(mounts.resolve('/upstash/fetch/')).toEqual({ dialect: 'upstash', specPath: '/upstash/fetch' });
    expect(mounts.resolve('/v3/clusters')).toEqual({ dialect: 'v3', specPath: '/v3/clusters' });
    expect(mounts.resolve('/healthz')).toEqual({ dialect: 'ops', specPath: '/healthz' });
    expect(mounts.resolve('/topics')).toEqual({ dialect: 'v2', specPath: '/topics' });
    expect(mounts.resolve('/upstashy')).toEqual({ dialect: 'v2', specPath: '/upstashy' });
  });

  it('translates a configured Upstash prefix to the spec path and stops serving the default one', () => {
    const mounts = new Mounts('/kafka/rest');
    expect(mounts.resolve('/kafka/rest/topics')).toEqual({ dialect: 'upstash', specPath: '/upstash/topics' });
    expect(mounts.resolve('/upstash/topics').specPath).not.toBe('/upstash/topics');
  });
});
