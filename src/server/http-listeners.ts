/**
 * Binds the Koa app to the configured listeners (http:// and https://) and shuts them down gracefully: stop
 * accepting, let in-flight requests finish (up to a grace period), then close what is left.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type Koa from 'koa';
import type { Listener, ListenerTlsConfig, ProxyConfig } from '../config/config.js';
import { listenerUrl } from '../config/listeners.js';
import { KeyStoreError, loadKeyStore, loadTrustStore } from '../config/key-stores.js';

export interface BoundListener {
  readonly server: Server;
  /** e.g. http://127.0.0.1:8082 (the real port when 0 was asked for). */
  readonly url: string;
}

export class InFlightTracker {
  private count = 0;
  private waiters: (() => void)[] = [];
  draining = false;

  /**
   * Koa middleware counting a request until its response is fully written. Koa writes the body after the
   * middleware chain resolves, so the count drops on the response's 'close', not when `next()` returns.
   */
  middleware(): Koa.Middleware {
    return async (ctx, next) => {
      this.count++;
      ctx.res.once('close', () => this.done());
      if (this.draining) ctx.set('Connection', 'close');
      await next();
    };
  }

  private done(): void {
    this.count--;
    if (this.count === 0) this.waiters.splice(0).forEach((resolve) => resolve());
  }

  get active(): number {
    return this.count;
  }

  /** Resolves true when nothing is in flight, false when the timeout came first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

export interface ListenerTimeouts {
  /** The longest a client may take to send a request's headers. */
  readonly headersTimeoutMs: number;
}

const CLIENT_ERRORS: Readonly<Record<string, { status: number; reason: string; message: string }>> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'HTTP 408 Request Timeout: the request headers did not arrive in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: 'HTTP 431 Request Header Fields Too Large.' },
};

/**
 * Node's own answer to a request it cannot parse or whose headers come too slowly is a bare status line. Ours
 * carries a JSON error; the dialect is not known before the request line is parsed (Node does not expose a
 * partial one), so the body holds both envelopes: Confluent's `error_code`/`message` and Upstash's `error`/`status`.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''];
  const { status, reason, message } = known ?? { status: 400, reason: 'Bad Request', message: 'HTTP 400 Bad Request: the request is not valid HTTP.' };
  const body = JSON.stringify({ error_code: status, message, error: message, status });
  const head = `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  socket.end(head + body, () => socket.destroy());
}

function urlOf(server: Server, protocol: Listener['protocol']): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${protocol}://${host}:${address.port}`;
}

/**
 * The HTTPS listeners' TLS settings, read and checked (keystore password included) before anything starts;
 * undefined when no listener is https://. With client authentication, certificates are checked against the
 * truststore: REQUIRED refuses the handshake without a valid one; REQUESTED lets it through, and only a verified
 * certificate identifies a user (see `Authenticator.fromCertificate`).
 */
export function httpsOptions(listeners: readonly Listener[], tls: ListenerTlsConfig | undefined): HttpsServerOptions | undefined {
  if (!listeners.some((l) => l.protocol === 'https')) return undefined;
  if (!tls) throw new KeyStoreError('an https:// listener needs ssl.keystore.location');
  const options: HttpsServerOptions = {
    ...loadKeyStore(tls.keystore, 'ssl.keystore'),
    ...(tls.truststore ? { ca: loadTrustStore(tls.truststore, 'ssl.truststore') } : {}),
    requestCert: tls.clientAuthentication !== 'NONE',
    rejectUnauthorized: tls.clientAuthentication === 'REQUIRED',
  };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new KeyStoreError(`cannot use ssl.keystore ${tls.keystore.location} (${tls.keystore.type}): ${(error as Error).message} (wrong password?)`);
  }
  return options;
}

/** A listener that cannot be bound: which one, and why, in one line. */
export class ListenerError extends Error {}

function bindProblem(listener: Listener, error: NodeJS.ErrnoException): ListenerError {
  const reasons: Readonly<Record<string, string>> = {
    EADDRINUSE: `port ${listener.port} is already in use`,
    EACCES: `not allowed to bind port ${listener.port} (ports below 1024 need privileges)`,
    EADDRNOTAVAIL: `${listener.host} is not an address of this machine`,
    ENOTFOUND: `cannot resolve ${listener.host}`,
  };
  const reason = reasons[error.code ?? ''] ?? error.message;
  return new ListenerError(`listener ${listenerUrl(listener)} (listeners): ${reason}${error.code && reasons[error.code] ? ` (${error.code})` : ''}`);
}

const STARTING = 'HTTP 503 Service Unavailable: kafka-rest is starting; retry in a moment.';

/** The answer while the app is not attached yet (Kafka connecting, a local broker starting); both envelopes. */
function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({ error_code: 503, message: STARTING, error: STARTING, status: 503 });
  res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Retry-After': '1' });
  res.end(body);
}

/** Listeners bound before the app exists, so that a busy port is found before anything else starts. */
export interface OpenListeners {
  readonly bound: readonly BoundListener[];
  /** From now on every request goes to `app`; before, each gets a 503 "starting". */
  serve(app: Koa): void;
  /** Closes them at once (a start that failed). */
  close(): Promise<void>;
}

function listen(server: Server, listener: Listener): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => reject(bindProblem(listener, error));
    server.once('error', failed);
    server.listen(listener.port, listener.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

export async function openListeners(listeners: readonly Listener[], timeouts: ListenerTimeouts, secure?: HttpsServerOptions): Promise<OpenListeners> {
  let handler: RequestListener = answerStarting;
  const dispatch: RequestListener = (req, res) => handler(req, res);
  const bound: BoundListener[] = [];
  const close = (): Promise<void> => closeNow(bound);
  try {
    for (const listener of listeners) {
      if (listener.protocol === 'https' && !secure) throw new KeyStoreError('an https:// listener needs its TLS settings (httpsOptions)');
      const serverOptions = {
        headersTimeout: timeouts.headersTimeoutMs,
        // Bodies are timed by the app (request-body.ts), in the dialect's envelope; a total here would cut v3 streams.
        requestTimeout: 0,
        // How often Node looks for expired headers: the timeout's precision.
        connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
      };
      const server = listener.protocol === 'https' ? createHttpsServer({ ...secure!, ...serverOptions }, dispatch) : createServer(serverOptions, dispatch);
      server.keepAliveTimeout = 65_000;
      server.on('clientError', answerClientError);
      await listen(server, listener);
      bound.push({ server, url: urlOf(server, listener.protocol) });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    bound,
    serve: (app) => {
      handler = app.callback();
    },
    close,
  };
}

/** The configured listeners, bound (the HTTPS keystore read first): a busy port is found before anything starts. */
export function openConfiguredListeners(config: Pick<ProxyConfig, 'listeners' | 'tls' | 'requestHeadersTimeoutMs'>): Promise<OpenListeners> {
  return openListeners(config.listeners, { headersTimeoutMs: config.requestHeadersTimeoutMs }, httpsOptions(config.listeners, config.tls));
}

async function closeNow(bound: readonly BoundListener[]): Promise<void> {
  await Promise.all(
    bound.map(({ server }) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    }),
  );
}

export async function closeListeners(bound: readonly BoundListener[], tracker: InFlightTracker, graceMs: number): Promise<boolean> {
  tracker.draining = true;
  const closed = bound.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve())));
  bound.forEach(({ server }) => server.closeIdleConnections());
  const finished = await tracker.idle(graceMs);
  bound.forEach(({ server }) => server.closeAllConnections());
  await Promise.all(closed);
  return finished;
}
