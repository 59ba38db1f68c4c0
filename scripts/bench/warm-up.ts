/**
 * The JIT warm-up every HTTP server under test gets before the scenarios: the bridge is a JVM whose C2 compiler needs
 * tens of seconds of load (single-record produce measured 316 req/s after 1 s and about 1,700 req/s warm), and the
 * same treatment for ours keeps the comparison fair. One-record produce at full load over the same connections
 * (the bridge makes a Kafka producer per connection), sampled in slices, runs for at least MIN_SLICES and until
 * three slices in a row agree within STABLE_WITHIN; then one slice of batch produce warms the multi-record path.
 * Ours is one process serving every dialect: after the full warm-up through v2, each other dialect gets
 * DIALECT_SLICES slices of its own request handling (warmUpDialect), so (a) in v3 and Upstash does not measure
 * their first compilation. Consume paths are warmed by (d) itself.
 */
import { runLoad, runSlicedLoad } from './http-load.js';
import type { BenchContext } from './scenarios/context.js';
import { slug } from './scenarios/context.js';
import { produceRequest } from './subjects.js';
import type { HttpSubject } from './subjects.js';

const SLICE_SECONDS = 3;
const STABLE_WITHIN = 0.05;
/** 24 s at least: a JVM under light load plateaus for a while before C2 has compiled the hot paths. */
const MIN_SLICES = 8;
const STABLE_SLICES = 3;
const MAX_SLICES = 30;
/** The warm-up of a further dialect of a server already warmed through another one. */
const DIALECT_SLICES = 2;

export interface WarmUp {
  readonly subject: string;
  readonly seconds: number;
  /** One-record produce rate of each slice, req/s. */
  readonly slices: readonly number[];
  /** How the slices ended: stable, not yet stable, or the short warm-up of a further dialect. */
  readonly verdict: string;
}

/** The last STABLE_SLICES slices agree within STABLE_WITHIN (a slow climb is not stable), after MIN_SLICES. */
function settled(slices: readonly number[]): boolean {
  if (slices.length < Math.max(MIN_SLICES, STABLE_SLICES)) return false;
  const last = slices.slice(-STABLE_SLICES);
  const [low, high] = [Math.min(...last), Math.max(...last)];
  return low > 0 && high - low <= STABLE_WITHIN * high;
}

/** Warms `subject` up; in --quick, one slice of each kind (its figures are then not comparable). */
export async function warmUp(context: BenchContext, subject: HttpSubject): Promise<WarmUp> {
  const warm = await warmUpFor(context, subject, context.settings.quick ? 1 : MAX_SLICES, settled);
  return { ...warm, verdict: settled(warm.slices) ? `stable within ${STABLE_WITHIN * 100}%` : 'not yet stable' };
}

/** Warms one more dialect of a server that `warmUp` warmed through another dialect. */
export async function warmUpDialect(context: BenchContext, subject: HttpSubject): Promise<WarmUp> {
  const slices = context.settings.quick ? 1 : DIALECT_SLICES;
  const warm = await warmUpFor(context, subject, slices, (done) => done.length >= slices);
  return { ...warm, verdict: 'after the full warm-up through another dialect' };
}

async function warmUpFor(
  context: BenchContext,
  subject: HttpSubject,
  maxSlices: number,
  enough: (slices: readonly number[]) => boolean,
): Promise<Omit<WarmUp, 'verdict'>> {
  const started = performance.now();
  const topic = await context.newTopic(`warmup-${slug(subject.label)}`);
  const target = { topic, clusterId: context.clusterId };
  const { connections } = context.settings;
  const slices = await runSlicedLoad(produceRequest(subject, target, context.value, 1), { connections, sliceSeconds: SLICE_SECONDS, maxSlices }, enough);
  if (subject.dialect !== 'v3') {
    await runLoad(produceRequest(subject, target, context.value, context.settings.batchRecords), { connections, seconds: SLICE_SECONDS });
  }
  const seconds = (performance.now() - started) / 1000;
  const shown = slices.map((r) => Math.round(r).toLocaleString('en-US')).join(' → ');
  context.log(`warm-up of ${subject.label}: ${seconds.toFixed(0)} s, one-record produce ${shown} req/s`);
  return { subject: subject.label, seconds, slices };
}

/** The report's line about a warm-up. */
export function describeWarmUp(warm: WarmUp): string {
  const shown = warm.slices.map((r) => Math.round(r).toLocaleString('en-US')).join(' → ');
  return `JIT warm-up of ${warm.subject}: ${warm.seconds.toFixed(0)} s; one-record produce in ${SLICE_SECONDS} s slices: ${shown} req/s (${warm.verdict}).`;
}
