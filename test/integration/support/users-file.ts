/** A credentials file for tests, with one user per permission shape. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const USERS = {
  admin: { username: 'admin', password: 'admin-secret', permission: 'admin', topics: '*' },
  full: { username: 'full', password: 'full-secret', permission: 'all', topics: '*' },
  producer: { username: 'producer', password: 'producer-secret', permission: 'produce', topics: '*' },
  consumer: { username: 'consumer', password: 'consumer-secret', permission: 'consume', topics: '*' },
  logs: { username: 'logs', password: 'logs-secret', permission: 'all', topics: 'logs.*' },
  logsAdmin: { username: 'logs-admin', password: 'logs-admin-secret', permission: 'admin', topics: 'logs.*' },
} as const;

export function writeUsersFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kafka-rest-users-')), 'users.json');
  writeFileSync(path, JSON.stringify({ users: Object.values(USERS) }));
  return path;
}

export function basic(user: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}
