/**
 * Password hashes for the users file: scrypt (node:crypto) in the PHC string format that passlib and others write,
 *   $scrypt$ln=15,r=8,p=1$<salt>$<hash>      (base64 without padding; N = 2^ln)
 * so a hash says how it was made and can be produced by other tools too. `kafka-rest-ts hash-password` prints one.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

export interface ScryptHash {
  /** log2 of scrypt's cost N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s per hash on a small server. */
export const DEFAULT_PARAMETERS = { ln: 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// A hash in the file sets how much work and memory each check costs: refuse what would hurt the server.
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const PREFIX = '$scrypt$';

export class PasswordHashError extends Error {}

export function isPasswordHash(text: string): boolean {
  return text.startsWith(PREFIX);
}

const base64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

function fromBase64(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) throw new PasswordHashError(`its ${what} is not base64`);
  return Buffer.from(text, 'base64');
}

function memoryOf(ln: number, r: number): number {
  return 128 * 2 ** ln * r;
}

function options({ ln, r, p }: Pick<ScryptHash, 'ln' | 'r' | 'p'>): ScryptOptions {
  return { N: 2 ** ln, r, p, maxmem: memoryOf(ln, r) + 1024 * 1024 };
}

function derive(password: string, salt: Buffer, keyLength: number, parameters: Pick<ScryptHash, 'ln' | 'r' | 'p'>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options(parameters), (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function formatHash({ ln, r, p, salt, hash }: ScryptHash): string {
  return `${PREFIX}ln=${ln},r=${r},p=${p}$${base64(salt)}$${base64(hash)}`;
}

/** Reads a `$scrypt$…` string; the message of the error says what is wrong with it. */
export function parseHash(text: string): ScryptHash {
  const parts = text.split('$');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== 'scrypt') throw new PasswordHashError('expected $scrypt$ln=<n>,r=<n>,p=<n>$<salt>$<hash>');
  const parameters = /^ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})$/.exec(parts[2]!);
  if (!parameters) throw new PasswordHashError(`expected ln=<n>,r=<n>,p=<n>, got '${parts[2]}'`);
  const [ln, r, p] = parameters.slice(1).map(Number) as [number, number, number];
  if (ln < 1 || ln > 20 || r < 1 || r > 32 || p < 1 || p > 16) throw new PasswordHashError('parameters out of range (1 ≤ ln ≤ 20, 1 ≤ r ≤ 32, 1 ≤ p ≤ 16)');
  if (memoryOf(ln, r) > MAX_MEMORY_BYTES) throw new PasswordHashError(`ln=${ln},r=${r} needs more than ${MAX_MEMORY_BYTES / 1024 / 1024} MiB per check`);
  const salt = fromBase64(parts[3]!, 'salt');
  const hash = fromBase64(parts[4]!, 'hash');
  if (hash.length < 16) throw new PasswordHashError('its hash is shorter than 16 bytes');
  return { ln, r, p, salt, hash };
}

export async function hashPassword(password: string, parameters: Pick<ScryptHash, 'ln' | 'r' | 'p'> = DEFAULT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, HASH_BYTES, parameters);
  return formatHash({ ...parameters, salt, hash });
}

/** Whether the password is the one hashed; runs scrypt off the event loop, compares in constant time. */
export async function verifyPassword(hash: ScryptHash, password: string): Promise<boolean> {
  const derived = await derive(password, hash.salt, hash.hash.length, hash);
  return timingSafeEqual(derived, hash.hash);
}
