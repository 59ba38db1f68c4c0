/** Who is calling and what they may do: a permission (all, produce, consume) over a topic pattern. */
import { DomainError } from '../errors/domain-error.js';

export type Permission = 'all' | 'produce' | 'consume';
export type Action = 'produce' | 'consume';

export interface Principal {
  readonly username: string;
  readonly permission: Permission;
  /** An exact topic name, a `prefix*`, or `*` for every topic. */
  readonly topics: string;
}

/** Everyone, when no credentials file is configured. */
export const ANONYMOUS: Principal = { username: 'anonymous', permission: 'all', topics: '*' };

export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return topic.startsWith(pattern.slice(0, -1));
  return topic === pattern;
}

export function may(principal: Principal, action: Action, topic: string): boolean {
  const allowed = principal.permission === 'all' || principal.permission === action;
  return allowed && topicMatches(principal.topics, topic);
}

/** Throws 403 unless the principal may do `action` on every topic. */
export function requireAccess(principal: Principal, action: Action, topics: Iterable<string>): void {
  for (const topic of topics) {
    if (!may(principal, action, topic)) {
      throw new DomainError('forbidden', `User '${principal.username}' may not ${action} ${action === 'produce' ? 'to' : 'from'} topic '${topic}'.`);
    }
  }
}
