/**
 * Joins this node to its deployment (docs/scaling.md): the directory log and node membership in Kafka, placement
 * over them, the client for the other nodes, the routing step the dispatcher runs before instance operations, and
 * the middleware that takes requests from other nodes. With `deployment.enable=false` the node works alone.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { ProxyConfig } from './config/config.js';
import { DirectoryPlacement } from './core/directory-placement.js';
import { StandalonePlacement } from './core/instance-placement.js';
import type { InstancePlacement } from './core/instance-placement.js';
import { KafkaDirectoryLog } from './kafka/directory-log.js';
import type { KafkaClient } from './kafka/kafka-client.js';
import { KafkaNodeMembership, SILENCE_LIMIT } from './kafka/node-membership.js';
import { deploymentSecret, ForwardingSigner } from './server/forwarding-signature.js';
import { InstanceRouting } from './server/instance-routing.js';
import { internalUrl } from './server/internal-url.js';
import { nodeEndpoints } from './server/node-endpoints.js';
import { PeerClient } from './server/peer-client.js';

export interface Deployment {
  readonly nodeId: string;
  readonly placement: InstancePlacement;
  /** Absent when the node works alone. */
  readonly routing?: InstanceRouting;
  readonly middleware: readonly Koa.Middleware[];
  /** Reads the directory and joins the node group, once the listeners are bound (the internal URL has their port). */
  start(boundUrls: readonly string[]): Promise<void>;
  /** After the local instances are closed: leaves the node group. */
  stop(): Promise<void>;
}

/** The directory topic and node group of a deployment. */
export function deploymentNames(name: string): { topic: string; group: string } {
  return { topic: `_kafka-rest-ts.${name}.instances`, group: `_kafka-rest-ts.${name}.nodes` };
}

function nodeIdOf(config: ProxyConfig): string {
  return config.id !== '' ? config.id : `${hostname()}-${randomBytes(3).toString('hex')}`;
}

function standalone(nodeId: string): Deployment {
  return { nodeId, placement: new StandalonePlacement(), middleware: [], start: async () => undefined, stop: async () => undefined };
}

export function createDeployment(config: ProxyConfig, kafka: KafkaClient, logger: Logger): Deployment {
  const nodeId = nodeIdOf(config);
  const settings = config.deployment;
  if (!settings.enabled) return standalone(nodeId);
  const log = logger.child({ component: 'deployment', deployment: settings.name, node: nodeId });
  const onError = (error: unknown): void => log.warn({ err: error }, 'deployment background error');
  const names = deploymentNames(settings.name);
  const usersFile = config.authFile ? readFileSync(config.authFile) : undefined;
  const signer = new ForwardingSigner(deploymentSecret(settings.internalSecret, usersFile, settings.name), nodeId);
  const peers = new PeerClient(signer, {
    connectTimeoutMs: 3000,
    // A forwarded long poll may wait as long as the node lets any consume wait, then some.
    responseTimeoutMs: config.consumerRequestMaxWaitMs + 30_000,
    quickTimeoutMs: 3000,
  });
  const directory = new KafkaDirectoryLog(kafka.kafka, kafka.admin, {
    topic: names.topic,
    timeoutMs: 15_000,
    onError,
    forgetDeletedTopics: () => kafka.forgetDeletedTopics(),
  });
  const membership = new KafkaNodeMembership(kafka.kafka, kafka.admin, {
    groupId: names.group,
    topic: names.topic,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    onError,
  });
  const placement = new DirectoryPlacement(directory, membership, peers, {
    nodeId,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    silenceLimitMs: SILENCE_LIMIT * settings.sessionTimeoutMs,
    joinWaitMs: 30_000,
    lingerMs: settings.sessionTimeoutMs,
    onBackgroundError: onError,
    onNotice: (message, details) => log.info(details, message),
  });
  return {
    nodeId,
    placement,
    routing: new InstanceRouting(placement, peers),
    middleware: [nodeEndpoints({ signer, upstashPrefix: config.upstashPrefix, instances: () => placement.hostedHere() })],
    start: async (boundUrls) => {
      const url = internalUrl(settings.internalUrl, boundUrls);
      try {
        await placement.start(url);
        log.info({ internalUrl: url, topic: names.topic, group: names.group }, 'part of the deployment (it joins the node group when it hosts a consumer instance)');
      } catch (error) {
        log.warn({ err: error, topic: names.topic, group: names.group }, 'cannot use the deployment directory in Kafka: this node works alone');
      }
    },
    stop: async () => {
      await placement.stop();
      peers.close();
    },
  };
}
