/**
 * (f) Time from spawning a server process (the broker already running) to its first successful produce: a v2
 * produce of one record is tried every 5 ms until it answers 2xx.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../processes.js';
import type { Figure } from '../results.js';
import { median } from '../stats.js';
import { produceRequest } from '../subjects.js';
import type { HttpSubject } from '../subjects.js';
import { peerLauncherMissing, unavailableFigure } from './context.js';
import type { BenchContext, Launcher, Scenario } from './context.js';

const PROBE_INTERVAL_MS = 5;
const GIVE_UP_MS = 60_000;

interface StartupRun {
  /** Until the first HTTP answer, whatever its status: the process listens. */
  readonly listeningMs: number;
  /** Until the first 2xx answer to a produce. */
  readonly producedMs: number;
  /** Statuses answered before the first 2xx, e.g. `3×503`. */
  readonly before: string;
}

async function timeToFirstProduce(context: BenchContext, launcher: Launcher, subject: (baseUrl: string) => HttpSubject, topic: string): Promise<StartupRun> {
  const server = await launcher.spawn('f');
  try {
    const request = produceRequest(subject(server.baseUrl), { topic, clusterId: context.clusterId }, context.value, 1);
    let listeningMs: number | undefined;
    const statuses = new Map<number, number>();
    for (;;) {
      const elapsed = performance.now() - server.spawnedAt;
      if (elapsed > GIVE_UP_MS) throw new Error(`no successful produce within ${GIVE_UP_MS} ms`);
      if (!server.service.isRunning) throw new Error(await server.service.exitReport());
      try {
        const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body ?? null });
        await response.arrayBuffer();
        const now = performance.now() - server.spawnedAt;
        listeningMs ??= now;
        if (response.ok) {
          const before = [...statuses].map(([status, count]) => `${count}×${status}`).join(', ');
          return { listeningMs, producedMs: now, before };
        }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      } catch {
        // not listening yet
      }
      await sleep(PROBE_INTERVAL_MS);
    }
  } finally {
    await server.service.stop();
  }
}

async function measure(context: BenchContext, label: string, kind: 'ours' | 'peer', launcher: Launcher, topic: string): Promise<Figure> {
  context.log(`(f) ${label}: start to first produce`);
  const subject = (baseUrl: string): HttpSubject => ({ label, kind, dialect: 'v2', baseUrl });
  try {
    const runs: StartupRun[] = [];
    for (let i = 0; i < context.settings.runs; i++) runs.push(await timeToFirstProduce(context, launcher, subject, topic));
    const produced = runs.map((r) => r.producedMs);
    const before = runs.map((r) => r.before).filter((b) => b !== '');
    return {
      metric: 'f.startup',
      subject: label,
      kind,
      value: median(produced),
      runs: produced,
      details: `listening after ${median(runs.map((r) => r.listeningMs)).toFixed(0)} ms${before.length > 0 ? ` · answered ${before.join('; ')} before the first 2xx` : ''}`,
    };
  } catch (error) {
    return unavailableFigure('f.startup', label, kind, errorMessage(error));
  }
}

export const startup: Scenario = async (context) => {
  const topic = await context.newTopic('f');
  const figures = [await measure(context, 'ours', 'ours', context.oursLauncher, topic)];
  if (context.peer.launcher) figures.push(await measure(context, 'bridge', 'peer', context.peer.launcher, topic));
  else figures.push(unavailableFigure('f.startup', 'bridge', 'peer', peerLauncherMissing(context)));
  return figures;
};
