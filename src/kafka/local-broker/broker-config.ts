/**
 * A local broker's configuration: the ports it listens on, its server.properties (KRaft, broker and controller in
 * one node, with an authorizer) and log4j.properties, written into the broker's own directory.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { errnoCode, tailOf } from './system.js';

export interface ExtraListener {
  readonly name: string;
  readonly securityProtocol: 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
}

/**
 * Every local broker runs Kafka's StandardAuthorizer, so the v3 ACL operations work out of the box. PLAINTEXT
 * clients (the proxy, the broker itself) are User:ANONYMOUS, a super user; other principals (SASL users of the
 * security tests) are allowed whatever no ACL names.
 */
export const AUTHORIZER_PROPERTIES: Readonly<Record<string, string>> = {
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'super.users': 'User:ANONYMOUS',
  'allow.everyone.if.no.acl.found': 'true',
};

export interface BrokerFiles {
  readonly dir: string;
  readonly serverProperties: string;
  readonly log4jProperties: string;
  readonly serverLog: string;
  /** The JVM's stdout and stderr (WARN and above, plus anything printed before log4j is up). */
  readonly consoleLog: string;
}

export interface Ports {
  readonly broker: number;
  readonly controller: number;
  /** One per extra listener, in order. */
  readonly extra: readonly number[];
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

/** A port asked for that another process holds: the broker cannot have the address it was asked to keep. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

async function checkedListen(server: Server, port: number): Promise<number> {
  try {
    return await listen(server, port);
  } catch (error) {
    if (port !== 0 && errnoCode(error) === 'EADDRINUSE') throw new PortInUseError(`port ${port} on 127.0.0.1 is already in use: Kafka cannot listen there`);
    throw error;
  }
}

/**
 * Distinct ports the OS just considered free — the broker's own `brokerPort` when given — for the broker, its
 * controller and each extra listener; the broker may still lose a free one to a race (see the retry).
 */
export async function pickPorts(extraCount: number, brokerPort = 0): Promise<Ports> {
  const servers = Array.from({ length: 2 + extraCount }, () => createServer());
  try {
    const [broker, controller, ...extra] = await Promise.all(servers.map((server, i) => checkedListen(server, i === 0 ? brokerPort : 0)));
    if (broker === undefined || controller === undefined) throw new Error('no free ports');
    return { broker, controller, extra };
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}

function escapePropertiesValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^\s/, (space) => `\\${space}`);
}

function serverPropertiesText(files: BrokerFiles, ports: Ports, extra: Readonly<Record<string, string>>, extraListeners: readonly ExtraListener[]): string {
  const more = extraListeners.map((listener, i) => ({ ...listener, address: `${listener.name}://127.0.0.1:${ports.extra[i]}` }));
  const properties: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${ports.controller}`,
    listeners: [`PLAINTEXT://127.0.0.1:${ports.broker}`, `CONTROLLER://127.0.0.1:${ports.controller}`, ...more.map((l) => l.address)].join(','),
    'advertised.listeners': [`PLAINTEXT://127.0.0.1:${ports.broker}`, ...more.map((l) => l.address)].join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': ['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...more.map((l) => `${l.name}:${l.securityProtocol}`)].join(','),
    'log.dirs': join(files.dir, 'data'),
    'num.partitions': '1',
    'auto.create.topics.enable': 'true',
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    // Otherwise every new consumer group waits 3 s for its first assignment.
    'group.initial.rebalance.delay.ms': '0',
    ...AUTHORIZER_PROPERTIES,
    ...extra,
  };
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${escapePropertiesValue(value)}\n`)
    .join('');
}

function log4jPropertiesText(files: BrokerFiles): string {
  return [
    'log4j.rootLogger=INFO, file, console',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${escapePropertiesValue(files.serverLog)}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.appender.console=org.apache.log4j.ConsoleAppender',
    'log4j.appender.console.Target=System.err',
    'log4j.appender.console.Threshold=WARN',
    'log4j.appender.console.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.console.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}

export interface BrokerSettings {
  /** Merged over the generated server.properties. */
  readonly extraServerProperties?: Readonly<Record<string, string>>;
  readonly extraListeners?: readonly ExtraListener[];
}

export async function writeBrokerFiles(dir: string, ports: Ports, settings: BrokerSettings): Promise<BrokerFiles> {
  const files: BrokerFiles = {
    dir,
    serverProperties: join(dir, 'server.properties'),
    log4jProperties: join(dir, 'log4j.properties'),
    serverLog: join(dir, 'server.log'),
    consoleLog: join(dir, 'console.log'),
  };
  await writeFile(files.serverProperties, serverPropertiesText(files, ports, settings.extraServerProperties ?? {}, settings.extraListeners ?? []));
  await writeFile(files.log4jProperties, log4jPropertiesText(files));
  return files;
}

export async function logTails(files: BrokerFiles): Promise<string> {
  return `--- ${files.serverLog} (tail)\n${await tailOf(files.serverLog, 40)}\n--- ${files.consoleLog} (tail)\n${await tailOf(files.consoleLog, 15)}`;
}
