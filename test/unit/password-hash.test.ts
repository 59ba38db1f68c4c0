/** scrypt password hashes in the users file, and what `hash-password` prints. */
import { describe, expect, it } from 'vitest';
import { Credentials, CredentialsError } from '../../src/auth/credentials.js';
import { hashPassword, parseHash, verifyPassword } from '../../src/auth/password-hash.js';

// Made by Python's hashlib.scrypt (an independent implementation) for this password, salt bytes 0..15, N=2^14:
//   hashlib.scrypt('pässwörd:with colon'.encode(), salt=bytes(range(16)), n=2**14, r=8, p=1, dklen=32)
const PYTHON_HASH = '$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$dY6ch7G/SnJlaOA/X8aUKu7ulE3sq0Itm/mH66N0YiA';
const PYTHON_PASSWORD = 'pässwörd:with colon';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('password hashes', () => {
  it('hashes with a fresh salt into a self-describing PHC string that verifies only the same password', async () => {
    const first = await hashPassword('s3cret');
    const second = await hashPassword('s3cret');
    expect(first).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword(parseHash(first), 's3cret')).toBe(true);
    expect(await verifyPassword(parseHash(first), 's3cret ')).toBe(false);
  });

  it('accepts a hash made by another scrypt implementation', async () => {
    expect(await verifyPassword(parseHash(PYTHON_HASH), PYTHON_PASSWORD)).toBe(true);
    expect(await verifyPassword(parseHash(PYTHON_HASH), 'passwörd:with colon')).toBe(false);
  });

  it('refuses malformed hashes and parameters that would cost the server too much', () => {
    expect(() => parseHash('$scrypt$ln=14,r=8$AAAA$BBBB')).toThrow(/expected ln=<n>,r=<n>,p=<n>/);
    expect(() => parseHash('$bcrypt$12$abc')).toThrow(/expected \$scrypt\$/);
    expect(() => parseHash('$scrypt$ln=14,r=8,p=1$not base64!$BBBB')).toThrow(/salt is not base64/);
    expect(() => parseHash('$scrypt$ln=30,r=8,p=1$AAAA$dY6ch7G/SnJlaOA/X8aUKu7ulE3sq0Itm/mH66N0YiA')).toThrow(/out of range/);
    expect(() => parseHash('$scrypt$ln=20,r=16,p=1$AAAA$dY6ch7G/SnJlaOA/X8aUKu7ulE3sq0Itm/mH66N0YiA')).toThrow(/needs more than 256 MiB/);
  });
});

describe('a users file with hashed and plain-text passwords', () => {
  const file = JSON.stringify({
    users: [
      { username: 'hashed', password: PYTHON_HASH, permission: 'produce', topics: 'logs.*' },
      { username: 'plain', password: 'p4ss' },
    ],
  });

  it('authenticates both, and says which users keep a plain-text password', async () => {
    const credentials = Credentials.fromJson(file);
    expect(await credentials.verifyBasic(basic('hashed', PYTHON_PASSWORD))).toEqual({ username: 'hashed', permission: 'produce', topics: 'logs.*' });
    // Again: the second check of the same credentials takes the verified-digest path, and must agree.
    expect(await credentials.verifyBasic(basic('hashed', PYTHON_PASSWORD))).toEqual({ username: 'hashed', permission: 'produce', topics: 'logs.*' });
    expect(await credentials.verifyBasic(basic('hashed', 'wrong'))).toBeUndefined();
    expect(await credentials.verifyBasic(basic('plain', 'p4ss'))).toEqual({ username: 'plain', permission: 'all', topics: '*' });
    expect(await credentials.verifyBasic(basic('nobody', PYTHON_PASSWORD))).toBeUndefined();
    expect(credentials.plainTextUsers()).toEqual(['plain']);
  });

  it('refuses a file whose hash is broken, naming the user entry', () => {
    const broken = JSON.stringify({ users: [{ username: 'a', password: '$scrypt$ln=14,r=8,p=1$AAAA' }] });
    expect(() => Credentials.fromJson(broken)).toThrow(CredentialsError);
    expect(() => Credentials.fromJson(broken)).toThrow(/users\[0\]\.password is not a valid scrypt hash/);
  });
});
