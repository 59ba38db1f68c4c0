/** Turns a request's credentials into a Principal: against the users file, or anyone when there is none. */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Credentials } from './credentials.js';
import { ANONYMOUS } from './principal.js';
import type { Principal } from './principal.js';

export interface Authenticator {
  /** False when no credentials file is configured: every request is let in as ANONYMOUS. */
  readonly enabled: boolean;
  fromBasic(header: string | undefined): Promise<Principal | undefined>;
  fromQuery(user: unknown, pass: unknown): Promise<Principal | undefined>;
  /** The users-file user named by the CN of the connection's client certificate, when the listener verified it. */
  fromCertificate(socket: Socket): Principal | undefined;
}

/** The subject CN of a client certificate the TLS layer verified against the truststore; undefined otherwise. */
export function verifiedCertificateName(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' && cn !== '' ? cn : undefined;
}

export const OPEN_AUTHENTICATOR: Authenticator = {
  enabled: false,
  fromBasic: async () => ANONYMOUS,
  fromQuery: async () => ANONYMOUS,
  fromCertificate: () => ANONYMOUS,
};

/** Checks against `current()`: the users file as last (re)loaded, so rotated credentials apply to new requests. */
export function credentialsAuthenticator(current: () => Credentials): Authenticator {
  return {
    enabled: true,
    fromBasic: (header) => current().verifyBasic(header),
    fromQuery: async (user, pass) => (typeof user === 'string' && typeof pass === 'string' ? current().verify(user, pass) : undefined),
    fromCertificate: (socket) => {
      const name = verifiedCertificateName(socket);
      return name === undefined ? undefined : current().lookup(name);
    },
  };
}
