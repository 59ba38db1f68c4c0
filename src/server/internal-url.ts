/**
 * The URL the other nodes of a deployment reach this one at: `internal.url` when set, else the first listener as
 * bound (its real port), with a wildcard host (0.0.0.0, ::) replaced by this machine's first non-loopback address
 * — a wildcard is where to listen, not where to connect.
 */
import { networkInterfaces } from 'node:os';

function firstAddress(family: 'IPv4' | 'IPv6'): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = (addresses ?? []).find((a) => a.family === family && !a.internal);
    if (found) return family === 'IPv6' ? `[${found.address}]` : found.address;
  }
  return undefined;
}

export function internalUrl(configured: string, boundUrls: readonly string[]): string {
  if (configured !== '') return configured;
  const first = boundUrls[0];
  if (!first) throw new Error('no listener is bound: internal.url cannot be derived');
  const url = new URL(first);
  if (url.hostname === '0.0.0.0') url.hostname = firstAddress('IPv4') ?? '127.0.0.1';
  else if (url.hostname === '[::]') url.hostname = firstAddress('IPv4') ?? firstAddress('IPv6') ?? '[::1]';
  return url.origin;
}
