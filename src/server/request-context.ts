/** What every handler gets besides its typed input: who is asking, how to log, how to build links. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Dialect } from '../../generated/operations.js';
import type { LinkBuilder } from './links.js';

export interface RequestContext {
  readonly requestId: string;
  readonly dialect: Dialect;
  readonly log: Logger;
  readonly links: LinkBuilder;
  /** The request's headers as received (lower-cased names), for handlers that pass them on. */
  readonly requestHeaders: IncomingHttpHeaders;
  /** Who is calling; ANONYMOUS when auth is off or the operation declares no security. */
  readonly principal: Principal;
  /** For streaming operations: the request body as it arrives. */
  readonly bodyStream: AsyncIterable<Buffer>;
  /** For streaming operations: checks one document against the operation's body schema; the error, if any. */
  readonly validateDocument: (document: unknown) => string | undefined;
}
