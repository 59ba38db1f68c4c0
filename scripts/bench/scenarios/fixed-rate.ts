/**
 * (g) One 100-byte record per request at the same fixed rate for every server (evenly paced by vegeta over at most
 * the usual connections, latency from when each request was due: paced-load.ts): each dialect of ours and the
 * bridge, p99 and p50. Below every server's maximum, so it shows the latency a steady client sees, not the throughput.
 */
import { measureLoad, serverCpuDetail, statusSummary } from '../http-load.js';
import type { Figure } from '../results.js';
import { produceRequest } from '../subjects.js';
import type { HttpSubject } from '../subjects.js';
import { formatMs, PEER_NOT_RUN, slug, unavailableFigure } from './context.js';
import type { BenchContext, Scenario } from './context.js';

async function measureSubject(context: BenchContext, subject: HttpSubject): Promise<Figure> {
  const rate = context.settings.fixedRate;
  const vegeta = context.vegeta.binary;
  if (vegeta === undefined) return unavailableFigure('g.p99', subject.label, subject.kind, `no vegeta: ${context.vegeta.unavailable ?? ''}`);
  const topic = await context.newTopic(`g-${slug(subject.label)}`);
  const request = produceRequest(subject, { topic, clusterId: context.clusterId }, context.value, 1);
  context.log(`(g) ${subject.label}: ${rate} req/s`);
  const load = await measureLoad(request, context.settings, { paced: { rate, vegeta }, ...(subject.pid === undefined ? {} : { serverPid: subject.pid }) });
  const { p50Ms, p99Ms, requestsPerSecond } = load.median;
  const problems = statusSummary(load.runs);
  return {
    metric: 'g.p99',
    subject: subject.label,
    kind: subject.kind,
    value: p99Ms,
    runs: load.runs.map((r) => r.p99Ms),
    details: `at ${rate} req/s (answered ${Math.round(requestsPerSecond)}/s): p50 ${formatMs(p50Ms)} · p99 ${formatMs(p99Ms)}${serverCpuDetail(load.runs)}${problems ? ` · non-2xx: ${problems}` : ''}`,
  };
}

export const fixedRate: Scenario = async (context) => {
  const figures: Figure[] = [];
  for (const subject of context.ours) figures.push(await measureSubject(context, subject));
  if (context.peer.subject) figures.push(await measureSubject(context, context.peer.subject));
  else figures.push(unavailableFigure('g.p99', 'bridge v2', 'peer', PEER_NOT_RUN));
  return figures;
};
