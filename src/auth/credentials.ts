/**
 * The users file named by `auth.file` (`KAFKA_REST_AUTH_FILE`):
 *   {"users": [{"username": "alice", "password": "...", "permission": "admin|all|produce|consume", "topics": "logs.*"}]}
 * and HTTP Basic authentication against it. Passwords are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Permission, Principal } from './principal.js';

interface UserEntry extends Principal {
  readonly passwordDigest: Buffer;
}

const PERMISSIONS: readonly Permission[] = ['admin', 'all', 'produce', 'consume'];

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class CredentialsError extends Error {}

function parseUser(raw: unknown, index: number): UserEntry {
  const u = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const { username, password, permission = 'all', topics = '*' } = u;
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw new CredentialsError(`users[${index}].username must be a non-empty string without ':'`);
  }
  if (typeof password !== 'string' || password === '') throw new CredentialsError(`users[${index}].password must be a non-empty string`);
  if (typeof permission !== 'string' || !PERMISSIONS.includes(permission as Permission)) {
    throw new CredentialsError(`users[${index}].permission must be one of ${PERMISSIONS.join(', ')}`);
  }
  if (typeof topics !== 'string' || topics === '') throw new CredentialsError(`users[${index}].topics must be a topic, a prefix* or *`);
  return { username, permission: permission as Permission, topics, passwordDigest: digest(password) };
}

export class Credentials {
  private constructor(private readonly users: ReadonlyMap<string, UserEntry>) {}

  static fromJson(text: string): Credentials {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CredentialsError(`not JSON: ${(error as Error).message}`);
    }
    const list = (parsed as { users?: unknown }).users;
    if (!Array.isArray(list)) throw new CredentialsError('expected {"users": [...]}');
    const users = new Map<string, UserEntry>();
    list.forEach((raw, i) => {
      const user = parseUser(raw, i);
      if (users.has(user.username)) throw new CredentialsError(`user '${user.username}' is listed twice`);
      users.set(user.username, user);
    });
    return new Credentials(users);
  }

  static fromFile(path: string): Credentials {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new CredentialsError(`cannot read ${path}: ${(error as Error).message}`);
    }
    try {
      return Credentials.fromJson(text);
    } catch (error) {
      throw new CredentialsError(`${path}: ${(error as Error).message}`);
    }
  }

  /** The principal for a user name and password, or undefined when they do not match. */
  verify(username: string, password: string): Principal | undefined {
    const user = this.users.get(username);
    const given = digest(password);
    // Compare against something even for unknown users, so timing does not reveal which names exist.
    const matches = timingSafeEqual(given, user?.passwordDigest ?? digest(`\u0000${password}`));
    if (!user || !matches) return undefined;
    return { username: user.username, permission: user.permission, topics: user.topics };
  }

  /** The principal of a user already authenticated by other means (a verified client certificate). */
  lookup(username: string): Principal | undefined {
    const user = this.users.get(username);
    return user && { username: user.username, permission: user.permission, topics: user.topics };
  }

  /** From an `Authorization: Basic ...` header. */
  verifyBasic(header: string | undefined): Principal | undefined {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return this.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
}
