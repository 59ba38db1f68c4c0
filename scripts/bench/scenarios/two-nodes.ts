/**
 * (h) One Node process is one core: what a second proxy node on the same machine and broker adds. The same v2
 * produce load — one record per request, then 100 — comes from two load generators of half the connections each,
 * both aimed at one node, then one at each of two nodes (a fresh second process, given a warm-up of its own).
 */
import { runLoad } from '../http-load.js';
import type { LoadOptions, LoadRun } from '../http-load.js';
import { errorMessage } from '../processes.js';
import type { Figure, MetricKey } from '../results.js';
import { median } from '../stats.js';
import { oursSubjects, produceRequest } from '../subjects.js';
import type { HttpSubject } from '../subjects.js';
import { unavailableFigure } from './context.js';
import type { BenchContext, Scenario } from './context.js';

const ONE_NODE = 'ours v2, 1 node';
const TWO_NODES = 'ours v2, 2 nodes';

/** Both halves of the load at once; requests/s summed. */
async function split(context: BenchContext, targets: readonly [HttpSubject, HttpSubject], count: number, topic: string, seconds: number): Promise<number> {
  const options: LoadOptions = { connections: Math.max(1, Math.floor(context.settings.connections / 2)), seconds };
  const runs: LoadRun[] = await Promise.all(targets.map((subject) => runLoad(produceRequest(subject, { topic, clusterId: context.clusterId }, context.value, count), options)));
  return runs.reduce((sum, run) => sum + run.requestsPerSecond, 0);
}

async function measure(context: BenchContext, targets: readonly [HttpSubject, HttpSubject], count: number): Promise<number[]> {
  const { settings } = context;
  const topic = await context.newTopic(`h-${count}`);
  await split(context, targets, count, topic, settings.warmupSeconds);
  const runs: number[] = [];
  for (let i = 0; i < settings.runs; i++) runs.push((await split(context, targets, count, topic, settings.loadSeconds)) * count);
  return runs;
}

function figure(metric: MetricKey, subject: string, runs: number[], details: string, ratioTo?: string): Figure {
  return { metric, subject, kind: 'ours', value: median(runs), runs, details, ...(ratioTo ? { ratioTo } : {}) };
}

export const twoNodes: Scenario = async (context) => {
  const first = context.ours.find((s) => s.dialect === 'v2');
  if (!first) throw new Error('no v2 subject');
  context.log('(h) starting a second proxy node');
  let second;
  try {
    second = await context.oursLauncher.start('h');
  } catch (error) {
    return [unavailableFigure('h.rps', TWO_NODES, 'ours', errorMessage(error))];
  }
  try {
    const other = oursSubjects(second.baseUrl, second.service.pid).find((s) => s.dialect === 'v2')!;
    const warmTopic = await context.newTopic('h-warmup');
    await split(context, [other, other], 1, warmTopic, 2 * context.settings.warmupSeconds);
    const figures: Figure[] = [];
    for (const [metric, count] of [['h.rps', 1], ['h.records', context.settings.batchRecords]] as const) {
      context.log(`(h) ${count} record(s) per request: 1 node, then 2 nodes`);
      const unit = count === 1 ? 'requests' : 'records';
      const one = await measure(context, [first, first], count);
      const two = await measure(context, [first, other], count);
      const half = Math.floor(context.settings.connections / 2);
      figures.push(figure(metric, ONE_NODE, one, `two load generators of ${half} connections, both at one node; ${unit}/s`));
      figures.push(figure(metric, TWO_NODES, two, `one load generator of ${half} connections at each node; ${unit}/s`, ONE_NODE));
    }
    return figures;
  } finally {
    await second.service.stop();
  }
};
