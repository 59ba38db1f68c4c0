/** Turns a request's credentials into a Principal: against the users file, or anyone when there is none. */
import type { Credentials } from './credentials.js';
import { ANONYMOUS } from './principal.js';
import type { Principal } from './principal.js';

export interface Authenticator {
  /** False when no credentials file is configured: every request is let in as ANONYMOUS. */
  readonly enabled: boolean;
  fromBasic(header: string | undefined): Principal | undefined;
  fromQuery(user: unknown, pass: unknown): Principal | undefined;
}

export const OPEN_AUTHENTICATOR: Authenticator = {
  enabled: false,
  fromBasic: () => ANONYMOUS,
  fromQuery: () => ANONYMOUS,
};

export function credentialsAuthenticator(credentials: Credentials): Authenticator {
  return {
    enabled: true,
    fromBasic: (header) => credentials.verifyBasic(header),
    fromQuery: (user, pass) => (typeof user === 'string' && typeof pass === 'string' ? credentials.verify(user, pass) : undefined),
  };
}
