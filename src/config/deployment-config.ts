/**
 * The settings that make several nodes one deployment (docs/scaling.md): its name (the directory topic and the
 * node group are named after it), how soon a silent node counts as gone, the URL the other nodes reach this one at,
 * and the secret that signs requests between nodes.
 */
import { booleanFlag, ConfigError, positiveInteger } from './config-values.js';
import type { RawConfig } from './config-values.js';

export interface DeploymentConfig {
  /** False: this node works alone — no directory, no forwarding (`deployment.enable`). */
  readonly enabled: boolean;
  /** Nodes on one Kafka cluster with the same name form one deployment; two names stay apart. */
  readonly name: string;
  /** How soon the other nodes consider a node that stopped heartbeating gone (its node-group session). */
  readonly sessionTimeoutMs: number;
  /** The URL other nodes reach this one at; empty: derived from the first listener once it is bound. */
  readonly internalUrl: string;
  /** Signs requests between nodes; empty: derived from the users file (or, without one, the deployment's name). */
  readonly internalSecret: string;
}

export const DEPLOYMENT_DEFAULTS: Readonly<RawConfig> = {
  'deployment.enable': 'true',
  'deployment.name': 'kafka-rest',
  'deployment.session.timeout.ms': '10000',
  'internal.url': '',
  'internal.secret': '',
};

function internalUrl(raw: RawConfig): string {
  const text = (raw['internal.url'] ?? '').trim();
  if (text === '') return '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/') {
    throw new ConfigError(`internal.url must be an http:// or https:// URL without a path, like http://10.0.0.5:8082, got '${text}'`);
  }
  return url.origin;
}

export function deploymentConfig(raw: RawConfig): DeploymentConfig {
  const name = (raw['deployment.name'] ?? '').trim();
  // Part of a topic name (at most 249 of a-z A-Z 0-9 . _ -) and of a group id.
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) {
    throw new ConfigError(`deployment.name must be 1 to 200 of the characters a-z A-Z 0-9 . _ -, got '${raw['deployment.name']}'`);
  }
  const sessionTimeoutMs = positiveInteger(raw, 'deployment.session.timeout.ms');
  // The broker's group.min.session.timeout.ms is 6000 by default; below it the node could not join its group.
  if (sessionTimeoutMs < 6000) throw new ConfigError(`deployment.session.timeout.ms must be at least 6000 (Kafka's group.min.session.timeout.ms), got ${sessionTimeoutMs}`);
  return {
    enabled: booleanFlag(raw, 'deployment.enable'),
    name,
    sessionTimeoutMs,
    internalUrl: internalUrl(raw),
    internalSecret: raw['internal.secret'] ?? '',
  };
}
