/**
 * Where each dialect is mounted. The spec names every path at its default mount point (`/upstash/...`,
 * `/v3/...`, the root for v2); a configured Upstash prefix is translated to the spec's before routing.
 */
import type { Dialect } from '../../generated/operations.js';

export const SPEC_UPSTASH_PREFIX = '/upstash';
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']);

export interface MountedPath {
  readonly dialect: Dialect;
  /** The path as the spec names it. */
  readonly specPath: string;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

export class Mounts {
  constructor(readonly upstashPrefix: string) {}

  resolve(path: string): MountedPath {
    if (under(path, this.upstashPrefix)) {
      // Upstash's clients may add a trailing slash (`/fetch/`): it is tolerated there.
      const rest = path.slice(this.upstashPrefix.length).replace(/(.)\/$/, '$1');
      return { dialect: 'upstash', specPath: SPEC_UPSTASH_PREFIX + rest };
    }
    if (under(path, SPEC_UPSTASH_PREFIX) && this.upstashPrefix !== SPEC_UPSTASH_PREFIX) {
      // The default prefix is not served when another one is configured.
      return { dialect: 'v2', specPath: '/\u0000unmounted' };
    }
    if (under(path, '/v3')) return { dialect: 'v3', specPath: path };
    if (OPS_PATHS.has(path)) return { dialect: 'ops', specPath: path };
    return { dialect: 'v2', specPath: path };
  }
}
