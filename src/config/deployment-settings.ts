/**
 * The settings that make several nodes one deployment (docs/scaling.md), rows of the settings table: its name (the
 * directory topic and the node group are named after it), how soon a silent node counts as gone, the URL the other
 * nodes reach this one at, and the secret that signs requests between nodes; and the one value they make together.
 */
import { InvalidValue, oneOf, positiveInteger } from './parsers.js';
import type { Parser } from './parsers.js';
import { secretText, setting } from './setting.js';
import type { SettingValues } from './settings.js';

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

/** Part of a topic name (at most 249 of a-z A-Z 0-9 . _ -) and of a group id. */
const deploymentName: Parser<string> = {
  allowed: '1 to 200 of a-z A-Z 0-9 . _ -',
  parse: (value) => {
    const name = value.trim();
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) throw new InvalidValue(`must be 1 to 200 of the characters a-z A-Z 0-9 . _ -, got '${value}'`);
    return name;
  },
};

/** The broker's group.min.session.timeout.ms is 6000 by default; below it the node could not join its group. */
const sessionTimeout: Parser<number> = {
  allowed: 'a number of milliseconds, at least 6000',
  parse: (value) => {
    const ms = positiveInteger.parse(value);
    if (ms < 6000) throw new InvalidValue(`must be at least 6000 (Kafka's group.min.session.timeout.ms), got ${ms}`);
    return ms;
  },
};

/** An origin (`http://10.0.0.5:8082`), or '' for "derive it from the first listener". */
const internalUrl: Parser<string> = {
  allowed: 'an http:// or https:// URL without a path',
  parse: (value) => {
    const text = value.trim();
    if (text === '') return '';
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/') {
      throw new InvalidValue(`must be an http:// or https:// URL without a path, like http://10.0.0.5:8082, got '${text}'`);
    }
    return url.origin;
  },
};

export const DEPLOYMENT_SETTINGS = {
  'deployment.name': setting({
    default: 'kafka-rest',
    doc: 'Nodes on one Kafka cluster with the same name form one deployment and share their consumer instances.',
    details:
      'See [running several nodes](scaling.md). It names the directory topic `_kafka-rest-ts.<name>.instances` and the node group `_kafka-rest-ts.<name>.nodes`, both used only once a node creates a consumer instance.',
    parser: deploymentName,
  }),
  'deployment.enable': setting({
    default: 'true',
    doc: 'false: the node works alone — no directory topic, no node group, nothing forwarded.',
    parser: oneOf(['true', 'false'] as const),
  }),
  'deployment.session.timeout.ms': setting({
    default: '10000',
    doc: 'How soon the other nodes count a silent node gone (its node-group session).',
    parser: sessionTimeout,
  }),
  'internal.url': setting({
    default: '',
    defaultText: 'the first listener',
    doc: 'Where the other nodes of the deployment reach this one (http://10.0.3.7:8082).',
    details: "Default: the first listener as bound, a wildcard host replaced by this machine's first non-loopback address.",
    parser: internalUrl,
  }),
  'internal.secret': setting({
    default: '',
    defaultText: 'derived',
    doc: 'Signs requests between nodes; the same on every node.',
    details: 'Default: derived from the users file, or without one from `deployment.name`.',
    parser: secretText,
  }),
};

export function deploymentConfig(values: SettingValues): DeploymentConfig {
  return {
    enabled: values['deployment.enable'] === 'true',
    name: values['deployment.name'],
    sessionTimeoutMs: values['deployment.session.timeout.ms'],
    internalUrl: values['internal.url'],
    internalSecret: values['internal.secret'],
  };
}
