/** What every scenario gets: the settings, the broker, the servers under test, and the native client. */
import type { Admin, Kafka } from 'kafkajs';
import type { Cleanup } from '../cleanup.js';
import type { RunningServer } from '../ours.js';
import type { Log } from '../processes.js';
import type { Figure } from '../results.js';
import type { BenchSettings } from '../settings.js';
import type { HttpSubject } from '../subjects.js';

/** Starts fresh server processes, for the scenarios that measure a process of their own: (e) and (f). */
export interface Launcher {
  /** Spawns the process and returns before it listens. */
  spawn(name: string): Promise<RunningServer>;
  /** Spawns the process and waits until it is ready. */
  start(name: string): Promise<RunningServer>;
}

export interface Peer {
  readonly subject?: HttpSubject;
  readonly launcher?: Launcher;
  /** Why the bridge is not measured. */
  readonly unavailable?: string;
}

export interface BenchContext {
  readonly settings: BenchSettings;
  readonly log: Log;
  readonly cleanup: Cleanup;
  readonly bootstrapServers: string;
  readonly clusterId: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** The value of every record. */
  readonly value: Buffer;
  /** The proxy process serving (a)-(d), one subject per dialect. */
  readonly ours: readonly HttpSubject[];
  readonly oursLauncher: Launcher;
  readonly peer: Peer;
  /** The vegeta binary for the evenly paced fixed-rate loads ((a) at half rate, (g)), or why there is none. */
  readonly vegeta: { readonly binary?: string; readonly unavailable?: string };
  /** The kafka-tools classpath for ProducerPerformance, or why there is none. */
  readonly kafkaTools: { readonly libsDir?: string; readonly unavailable?: string };
  /** A new single-partition topic whose name starts with `bench-<prefix>-`. */
  newTopic(prefix: string): Promise<string>;
}

export type Scenario = (context: BenchContext) => Promise<Figure[]>;

/** A label as a topic-name fragment. */
export function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** The figure of a subject that could not be measured. */
export function unavailableFigure(metric: Figure['metric'], subject: string, kind: Figure['kind'], reason: string): Figure {
  return { metric, subject, kind, runs: [], unavailable: reason };
}

export function formatMs(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

/** The reason shown on the bridge's figures when it does not run; the notes say why. */
export const PEER_NOT_RUN = 'bridge not run (see notes)';

/** Why (e) and (f) have no fresh bridge process to measure. */
export function peerLauncherMissing(context: BenchContext): string {
  return context.peer.subject ? 'not run in --quick (fresh bridge JVMs)' : PEER_NOT_RUN;
}
