/**
 * (e) 1,000 idle consumer instances: the RSS of a fresh server process (VmRSS) before and after creating them
 * through the v2 API (create + subscribe to an empty topic), each in a group of its own, 64 requests at a time.
 * Ours and, when it runs, the bridge; one run each (the figure is a level, not a rate).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { V2Consumer } from '../consumers.js';
import { errorMessage, rssMiB } from '../processes.js';
import type { Figure } from '../results.js';
import type { SubjectKind } from '../subjects.js';
import { peerLauncherMissing, unavailableFigure } from './context.js';
import type { BenchContext, Launcher, Scenario } from './context.js';

const CREATE_CONCURRENCY = 64;
const SETTLE_MS = 3_000;

async function createAll(baseUrl: string, topic: string, count: number): Promise<{ created: number; failures: Map<string, number> }> {
  let next = 0;
  let created = 0;
  const failures = new Map<string, number>();
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < count) {
        const index = next++;
        try {
          await V2Consumer.create(baseUrl, `bench-e-${index}`, 'idle', topic);
          created++;
        } catch (error) {
          const reason = errorMessage(error).replace(/bench-e-\d+/g, 'bench-e-N').slice(0, 160);
          failures.set(reason, (failures.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  return { created, failures };
}

async function measure(context: BenchContext, label: string, kind: Exclude<SubjectKind, 'native'>, launcher: Launcher, topic: string): Promise<Figure> {
  const count = context.settings.idleConsumers;
  context.log(`(e) ${label}: ${count} idle consumer instances`);
  const server = await launcher.start(`e-${kind}`);
  try {
    await sleep(SETTLE_MS);
    const before = rssMiB(server.service.pid);
    const started = performance.now();
    const { created, failures } = await createAll(server.baseUrl, topic, count);
    const seconds = (performance.now() - started) / 1000;
    await sleep(SETTLE_MS);
    const after = rssMiB(server.service.pid);
    const perInstanceKiB = created > 0 ? ((after - before) * 1024) / created : Number.NaN;
    const failed = [...failures].map(([reason, n]) => `${n}× ${reason}`).join('; ');
    return {
      metric: 'e.rss',
      subject: label,
      kind,
      value: after,
      runs: [after],
      details: `${before.toFixed(0)} MiB before · ${created} instances created in ${seconds.toFixed(1)} s · ${perInstanceKiB.toFixed(0)} KiB each${failed ? ` · failed: ${failed}` : ''}`,
    };
  } catch (error) {
    return unavailableFigure('e.rss', label, kind, errorMessage(error));
  } finally {
    await server.service.stop();
  }
}

export const idleConsumers: Scenario = async (context) => {
  const topic = await context.newTopic('e');
  const figures: Figure[] = [await measure(context, 'ours', 'ours', context.oursLauncher, topic)];
  if (context.peer.launcher) figures.push(await measure(context, 'bridge', 'peer', context.peer.launcher, topic));
  else figures.push(unavailableFigure('e.rss', 'bridge', 'peer', peerLauncherMissing(context)));
  return figures;
};
