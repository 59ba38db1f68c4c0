/**
 * The users file named by `auth.file` (`KAFKA_REST_AUTH_FILE`):
 *   {"users": [{"username": "alice", "password": "$scrypt$…", "permission": "admin|all|produce|consume", "topics": "logs.*"}]}
 * and HTTP Basic authentication against it. A password is a scrypt hash (`kafka-rest-ts hash-password`) or, as
 * before, plain text. Comparisons take constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_PARAMETERS, isPasswordHash, parseHash, verifyPassword } from './password-hash.js';
import type { ScryptHash } from './password-hash.js';
import type { Permission, Principal } from './principal.js';

type Secret = { readonly kind: 'plain'; readonly digest: Buffer } | { readonly kind: 'scrypt'; readonly hash: ScryptHash };

interface UserEntry extends Principal {
  readonly secret: Secret;
}

const PERMISSIONS: readonly Permission[] = ['admin', 'all', 'produce', 'consume'];

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Checked for names that are not in the file, so that the time taken does not say which names exist. */
const DECOY: ScryptHash = { ...DEFAULT_PARAMETERS, salt: Buffer.alloc(16), hash: Buffer.alloc(32) };

export class CredentialsError extends Error {}

function secretOf(password: string, index: number): Secret {
  if (!isPasswordHash(password)) return { kind: 'plain', digest: digest(password) };
  try {
    return { kind: 'scrypt', hash: parseHash(password) };
  } catch (error) {
    throw new CredentialsError(`users[${index}].password is not a valid scrypt hash: ${(error as Error).message}`);
  }
}

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
  return { username, permission: permission as Permission, topics, secret: secretOf(password, index) };
}

export function readUsersFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CredentialsError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

const principalOf = (user: UserEntry): Principal => ({ username: user.username, permission: user.permission, topics: user.topics });

export class Credentials {
  /**
   * SHA-256 of the last password each hashed user was verified with: a client sends the same credentials with
   * every request, and scrypt's cost (on purpose ~0.1 s) is paid once per user, not per request.
   */
  private readonly verified = new Map<string, Buffer>();

  /** Whether any password is hashed: then a name not in the file costs a scrypt too. */
  private readonly anyHashed: boolean;

  private constructor(private readonly users: ReadonlyMap<string, UserEntry>) {
    this.anyHashed = [...users.values()].some((user) => user.secret.kind === 'scrypt');
  }

  static fromJson(text: string): Credentials {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CredentialsError(`not JSON: ${(error as Error).message}`);
    }
    const list = (parsed as { users?: unknown } | null)?.users;
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
    return Credentials.fromText(readUsersFile(path), path);
  }

  /** The file's text, parsed; errors name the file. */
  static fromText(text: string, path: string): Credentials {
    try {
      return Credentials.fromJson(text);
    } catch (error) {
      throw new CredentialsError(`${path}: ${(error as Error).message}`);
    }
  }

  get size(): number {
    return this.users.size;
  }

  /** The users whose password is in plain text in the file. */
  plainTextUsers(): string[] {
    return [...this.users.values()].filter((user) => user.secret.kind === 'plain').map((user) => user.username);
  }

  /** The principal for a user name and password, or undefined when they do not match. */
  async verify(username: string, password: string): Promise<Principal | undefined> {
    const user = this.users.get(username);
    const given = digest(password);
    if (!user) {
      // Compare against something, so timing does not reveal which names exist.
      if (this.anyHashed) await verifyPassword(DECOY, password);
      else timingSafeEqual(given, digest(`\u0000${password}`));
      return undefined;
    }
    return (await this.matches(user, password, given)) ? principalOf(user) : undefined;
  }

  private async matches(user: UserEntry, password: string, given: Buffer): Promise<boolean> {
    if (user.secret.kind === 'plain') return timingSafeEqual(given, user.secret.digest);
    const known = this.verified.get(user.username);
    if (known && timingSafeEqual(given, known)) return true;
    if (!(await verifyPassword(user.secret.hash, password))) return false;
    this.verified.set(user.username, given);
    return true;
  }

  /** The principal of a user already authenticated by other means (a verified client certificate). */
  lookup(username: string): Principal | undefined {
    const user = this.users.get(username);
    return user && principalOf(user);
  }

  /** From an `Authorization: Basic ...` header. */
  async verifyBasic(header: string | undefined): Promise<Principal | undefined> {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return this.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
}
