/**
 * HTTP from this node to the other nodes of its deployment, over their internal URLs with keep-alive connections:
 * a client's request streamed to the node holding its consumer instance (and the answer streamed back), the list of
 * a node's instances, and "is anything there?". Every request is signed (forwarding-signature.ts).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { ANONYMOUS } from '../auth/principal.js';
import type { NodeAddress } from '../core/instance-directory.js';
import type { InstanceSummary, PeerPort } from '../core/placement-ports.js';
import { FORWARDED_HEADER } from './forwarding-signature.js';
import type { ForwardedIdentity, ForwardingSigner } from './forwarding-signature.js';

/** The path of a node's own instance list (answered only to signed requests; see node-endpoints.ts). */
export const INSTANCES_PATH = '/_kafka-rest/v1/instances';

/** Connection headers of one hop, and what the edge replaces. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'expect', 'authorization', FORWARDED_HEADER]);

export interface PeerClientOptions {
  /** The longest a connection to another node may take to open. */
  readonly connectTimeoutMs: number;
  /** The longest a forwarded request may wait for its answer to begin (a long poll included). */
  readonly responseTimeoutMs: number;
  /** For the instance list and probes. */
  readonly quickTimeoutMs: number;
}

export interface ForwardedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: IncomingMessage;
}

/** A forward that got no answer; `bodyUntouched`: nothing of the request's body was read, so it can go elsewhere. */
export class ForwardFailed extends Error {
  constructor(
    message: string,
    readonly bodyUntouched: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'ForwardFailed';
  }
}

export interface ForwardContext {
  readonly identity: Omit<ForwardedIdentity, 'from'>;
  readonly requestId: string;
  /** Aborts the forward (its holder is gone). */
  readonly signal?: AbortSignal;
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

export class PeerClient implements PeerPort {
  private readonly http = new HttpAgent({ keepAlive: true, maxFreeSockets: 16, timeout: 30_000 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxFreeSockets: 16, timeout: 30_000 });

  constructor(
    private readonly signer: ForwardingSigner,
    private readonly options: PeerClientOptions,
  ) {}

  /** Sends the client's request to `baseUrl`; resolves once the answer's status and headers are in. */
  forward(baseUrl: string, req: IncomingMessage, context: ForwardContext): Promise<ForwardedResponse> {
    const url = new URL(req.url ?? '/', baseUrl);
    const host = req.headers.host ?? url.host;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!NOT_FORWARDED.has(name) && value !== undefined) headers[name] = value;
    headers['x-request-id'] = context.requestId;
    headers[FORWARDED_HEADER] = this.signer.sign({ method: req.method ?? 'GET', url: req.url ?? '/', host }, context.identity);
    let bodyRead = false;
    return this.send(url, req.method ?? 'GET', headers, this.options.responseTimeoutMs, (outgoing) => {
      if (!hasBody(req)) return outgoing.end();
      bodyRead = true;
      req.pipe(outgoing);
    }, context.signal).catch((error: unknown) => {
      throw new ForwardFailed(`no answer from ${baseUrl}: ${(error as Error).message}`, !bodyRead || !hasBody(req), { cause: error });
    });
  }

  async instancesOn(node: NodeAddress): Promise<InstanceSummary[]> {
    const response = await this.signedGet(node.url, INSTANCES_PATH);
    const text = await readAll(response.body);
    if (response.status !== 200) throw new Error(`node ${node.id} (${node.url}) answered ${response.status} to its instance list: ${text.slice(0, 200)}`);
    return (JSON.parse(text) as { instances: InstanceSummary[] }).instances;
  }

  async reachable(node: NodeAddress): Promise<boolean> {
    try {
      const response = await this.signedGet(node.url, '/healthz');
      response.body.resume();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  private signedGet(baseUrl: string, path: string): Promise<ForwardedResponse> {
    const url = new URL(path, baseUrl);
    const signature = this.signer.sign({ method: 'GET', url: path, host: url.host }, { principal: ANONYMOUS, hops: 1, proto: 'http' });
    return this.send(url, 'GET', { host: url.host, [FORWARDED_HEADER]: signature }, this.options.quickTimeoutMs, (outgoing) => outgoing.end());
  }

  /** One request; `write` sends its body once the connection is open (so a refused connection has read nothing). */
  private send(
    url: URL,
    method: string,
    headers: OutgoingHttpHeaders,
    timeoutMs: number,
    write: (outgoing: ReturnType<typeof httpRequest>) => void,
    signal?: AbortSignal,
  ): Promise<ForwardedResponse> {
    const secure = url.protocol === 'https:';
    const options = { method, headers, agent: secure ? this.https : this.http, timeout: timeoutMs, ...(signal ? { signal } : {}) };
    return new Promise((resolve, reject) => {
      const outgoing = secure ? httpsRequest(url, options) : httpRequest(url, options);
      outgoing.once('response', (res) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res }));
      outgoing.once('error', reject);
      outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.once('socket', (socket: Socket) => {
        if (!socket.connecting) return write(outgoing);
        const timer = setTimeout(() => outgoing.destroy(new Error(`no connection within ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
        socket.once('connect', () => {
          clearTimeout(timer);
          write(outgoing);
        });
        socket.once('close', () => clearTimeout(timer));
      });
    });
  }
}

async function readAll(stream: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
