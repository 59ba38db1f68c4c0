/** What every handler gets besides its typed input: who is asking, how to log, how to build links. */
import type { Logger } from 'pino';
import type { Dialect } from '../../generated/operations.js';
import type { LinkBuilder } from './links.js';

export interface RequestContext {
  readonly requestId: string;
  readonly dialect: Dialect;
  readonly log: Logger;
  readonly links: LinkBuilder;
}
