/**
 * Requests between the nodes of a deployment carry one header, `X-Kafka-Rest-Forwarded`, signed with the
 * deployment's secret (HMAC-SHA256 over the method, URL, Host, a timestamp and what the header says): who the edge
 * node authenticated (the principal the owner then acts for), how many hops the request has made, and the scheme
 * the client used (for links). Without a valid signature a node refuses the header, so nobody reaches another
 * user's instance, or acts as another user, through the forwarding path.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Permission, Principal } from '../auth/principal.js';

export const FORWARDED_HEADER = 'x-kafka-rest-forwarded';
/** How far a signature's timestamp may be from this node's clock. */
const MAX_SKEW_MS = 60_000;
const PERMISSIONS: readonly Permission[] = ['admin', 'all', 'produce', 'consume'];

export interface ForwardedIdentity {
  readonly principal: Principal;
  /** Nodes the request has passed through. */
  readonly hops: number;
  /** The scheme the client used at the edge. */
  readonly proto: 'http' | 'https';
  /** The `id` of the node that sent it. */
  readonly from: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly host: string;
}

const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const decode = (text: string): string => Buffer.from(text, 'base64url').toString('utf8');

function principalOf(text: string): Principal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decode(text));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { username, permission, topics } = value as Record<string, unknown>;
  if (typeof username !== 'string' || typeof topics !== 'string' || !PERMISSIONS.includes(permission as Permission)) return undefined;
  return { username, permission: permission as Permission, topics };
}

/**
 * The deployment's signing key: `internal.secret` when set; else derived from the users file, which every node of a
 * deployment with authentication shares; else from the deployment's name (without a users file every caller is the
 * anonymous admin already, so the signature only keeps requests from being taken for forwarded ones by mistake).
 */
export function deploymentSecret(internalSecret: string, usersFile: Buffer | undefined, deploymentName: string): Buffer {
  const hash = createHash('sha256').update('kafka-rest-ts internal secret v1\u0000');
  if (internalSecret !== '') return hash.update('secret\u0000').update(internalSecret).digest();
  if (usersFile) return hash.update('users-file\u0000').update(usersFile).digest();
  return hash.update('deployment\u0000').update(deploymentName).digest();
}

export class ForwardingSigner {
  constructor(
    private readonly key: Buffer,
    private readonly nodeId: string,
  ) {}

  /** The header value for a request this node sends to another. */
  sign(request: SignedRequest, identity: Omit<ForwardedIdentity, 'from'>, now = Date.now()): string {
    const fields = [
      `t=${now}`,
      `n=${identity.hops}`,
      `f=${encode(this.nodeId)}`,
      `p=${encode(JSON.stringify({ username: identity.principal.username, permission: identity.principal.permission, topics: identity.principal.topics }))}`,
      `s=${identity.proto}`,
    ];
    return `v1;${fields.join(';')};sig=${this.mac(request, fields)}`;
  }

  /** The identity a valid header carries; undefined when it is malformed, stale or not signed with our key. */
  verify(request: SignedRequest, header: string, now = Date.now()): ForwardedIdentity | undefined {
    const parts = header.split(';');
    if (parts[0] !== 'v1' || parts.length !== 7 || !parts[6]!.startsWith('sig=')) return undefined;
    const fields = parts.slice(1, 6);
    const given = Buffer.from(parts[6]!.slice('sig='.length), 'base64url');
    const expected = Buffer.from(this.mac(request, fields), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const values = new Map(fields.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
    const at = Number(values.get('t'));
    const hops = Number(values.get('n'));
    const proto = values.get('s');
    const principal = principalOf(values.get('p') ?? '');
    if (!Number.isSafeInteger(at) || Math.abs(now - at) > MAX_SKEW_MS) return undefined;
    if (!Number.isSafeInteger(hops) || hops < 1 || (proto !== 'http' && proto !== 'https') || !principal) return undefined;
    return { principal, hops, proto, from: decode(values.get('f') ?? '') };
  }

  private mac(request: SignedRequest, fields: readonly string[]): string {
    const text = ['kafka-rest-forward-v1', request.method.toUpperCase(), request.url, request.host, ...fields].join('\n');
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}
