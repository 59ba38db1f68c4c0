/** Who is calling and what they may do: a permission (admin, all, produce, consume) over a topic pattern. */
import type { OperationPermission } from '../../generated/operations.js';
import { DomainError } from '../errors/domain-error.js';

export type Permission = 'admin' | 'all' | 'produce' | 'consume';
export type Action = 'produce' | 'consume' | 'admin';

/** `all` is produce + consume (Upstash's full access); `admin` adds topic, config and ACL changes. */
const GRANTS: Readonly<Record<Permission, readonly Action[]>> = {
  admin: ['produce', 'consume', 'admin'],
  all: ['produce', 'consume'],
  produce: ['produce'],
  consume: ['consume'],
};

export interface Principal {
  readonly username: string;
  readonly permission: Permission;
  /** An exact topic name, a `prefix*`, or `*` for every topic. */
  readonly topics: string;
}

/** Everyone, when no credentials file is configured. */
export const ANONYMOUS: Principal = { username: 'anonymous', permission: 'admin', topics: '*' };

export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return topic.startsWith(pattern.slice(0, -1));
  return topic === pattern;
}

export function grants(principal: Principal, action: Action): boolean {
  return GRANTS[principal.permission].includes(action);
}

/** Whether the topic is within the principal's topic pattern (what lists show and metadata reads allow). */
export function sees(principal: Principal, topic: string): boolean {
  return topicMatches(principal.topics, topic);
}

export function may(principal: Principal, action: Action, topic: string): boolean {
  return grants(principal, action) && sees(principal, topic);
}

const VERB: Readonly<Record<Action, string>> = { produce: 'produce to', consume: 'consume from', admin: 'administer' };

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', message);
}

/** Throws 403 unless the principal may do `action` on every topic. */
export function requireAccess(principal: Principal, action: Action, topics: Iterable<string>): void {
  for (const topic of topics) {
    if (!may(principal, action, topic)) throw forbidden(`User '${principal.username}' may not ${VERB[action]} topic '${topic}'.`);
  }
  if (!grants(principal, action)) {
    throw forbidden(`User '${principal.username}' (permission ${principal.permission}) may not ${action === 'admin' ? 'make admin changes' : action}.`);
  }
}

/**
 * The central check of an operation's x-permission, made before its handler runs: `read` needs any user and only
 * that the named topics are within the user's pattern; `produce`, `consume` and `admin` need that permission too.
 */
export function requireOperationAccess(principal: Principal, permission: OperationPermission, topics: readonly string[]): void {
  if (permission === 'none') return;
  if (permission !== 'read') {
    requireAccess(principal, permission, topics);
    return;
  }
  const hidden = topics.find((topic) => !sees(principal, topic));
  if (hidden !== undefined) throw forbidden(`User '${principal.username}' may not see topic '${hidden}'.`);
}

/** A v2 subscription by regex could reach any topic, now or later: only users whose pattern is `*` may use one. */
export function requirePatternSubscription(principal: Principal): void {
  if (principal.topics !== '*') {
    throw forbidden(`User '${principal.username}' may only subscribe to topics matching '${principal.topics}' by name, not by topic_pattern.`);
  }
}
