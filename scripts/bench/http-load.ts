/**
 * HTTP load over keep-alive connections — as fast as the connections go (autocannon), or at a fixed rate evenly
 * paced (vegeta, paced-load.ts): one run, or warm-up plus the median of several runs.
 */
import autocannon from 'autocannon';
import { runPacedLoad } from './paced-load.js';
import { cpuMs } from './processes.js';
import type { BenchSettings } from './settings.js';
import { median, medianOf } from './stats.js';
import type { HttpRequestSpec } from './subjects.js';

export interface LoadFigures {
  /** 2xx responses per second. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
}

export interface LoadRun extends LoadFigures {
  /** Responses per status code, e.g. `{ "200": 51234, "503": 3 }`. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** CPU time the server process spent per 2xx response, when its pid was given. */
  readonly serverCpuMicrosPerRequest?: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections, evenly paced by vegeta (this binary); unlimited when absent. */
  readonly paced?: { readonly rate: number; readonly vegeta: string };
  /** The server's process, to measure its CPU time. */
  readonly serverPid?: number;
}

export async function runLoad(request: HttpRequestSpec, options: LoadOptions): Promise<LoadRun> {
  if (options.paced) {
    const { rate, vegeta } = options.paced;
    return runPacedLoad(request, { vegeta, rate, seconds: options.seconds, connections: options.connections, ...(options.serverPid === undefined ? {} : { serverPid: options.serverPid }) });
  }
  const cpuBefore = options.serverPid === undefined ? undefined : cpuMs(options.serverPid);
  const result = await autocannon({
    url: request.url,
    method: request.method,
    headers: { ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const cpuAfter = options.serverPid === undefined ? undefined : cpuMs(options.serverPid);
  const cpu = cpuBefore === undefined || cpuAfter === undefined || result['2xx'] === 0 ? {} : { serverCpuMicrosPerRequest: ((cpuAfter - cpuBefore) * 1000) / result['2xx'] };
  return {
    ...cpu,
    requestsPerSecond: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
  };
}

export interface LoadMeasurement {
  readonly median: LoadFigures;
  readonly runs: readonly LoadRun[];
}

/** A warm-up run (discarded), then `settings.runs` runs; each figure is the median over the runs. */
export async function measureLoad(request: HttpRequestSpec, settings: BenchSettings, options: Partial<LoadOptions> = {}): Promise<LoadMeasurement> {
  const load: LoadOptions = { connections: settings.connections, seconds: settings.loadSeconds, ...options };
  await runLoad(request, { ...load, seconds: settings.warmupSeconds });
  const runs: LoadRun[] = [];
  for (let i = 0; i < settings.runs; i++) runs.push(await runLoad(request, load));
  const median = medianOf(
    runs.map(({ requestsPerSecond, p50Ms, p99Ms, non2xx, errors }): LoadFigures => ({ requestsPerSecond, p50Ms, p99Ms, non2xx, errors })),
  );
  return { median, runs };
}

/**
 * One continuous load (connections kept open throughout: a server that sets up per connection, like the bridge's
 * producer per connection, pays that once) sampled in slices: 2xx answers per second of each slice, until
 * `enough(slices)` or `maxSlices`.
 */
export async function runSlicedLoad(
  request: HttpRequestSpec,
  options: { connections: number; sliceSeconds: number; maxSlices: number },
  enough: (slices: readonly number[]) => boolean,
): Promise<number[]> {
  const slices: number[] = [];
  let answered = 0;
  let finished: (error: Error | null) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => (finished = (error) => (error ? reject(error) : resolve())));
  const instance = autocannon(
    {
      url: request.url,
      method: request.method,
      headers: { ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      connections: options.connections,
      duration: options.sliceSeconds * options.maxSlices + 1,
      timeout: 30,
    },
    (error) => finished(error ?? null),
  );
  instance.on('response', (_client: unknown, statusCode: number) => {
    if (statusCode >= 200 && statusCode < 300) answered++;
  });
  let stopped = false;
  const sampler = setInterval(() => {
    if (stopped) return;
    slices.push(answered / options.sliceSeconds);
    answered = 0;
    if (slices.length >= options.maxSlices || enough(slices)) {
      stopped = true;
      instance.stop();
    }
  }, options.sliceSeconds * 1000);
  try {
    await done;
  } finally {
    clearInterval(sampler);
  }
  return slices;
}

/** ` · server CPU 123 µs/request` (median over the runs), or '' when it was not measured. */
export function serverCpuDetail(runs: readonly LoadRun[], perRequest = 1, unit = 'request'): string {
  const known = runs.map((r) => r.serverCpuMicrosPerRequest).filter((v): v is number => v !== undefined);
  if (known.length === 0) return '';
  return ` · server CPU ${(median(known) / perRequest).toFixed(perRequest > 1 ? 2 : 0)} µs/${unit}`;
}

/** Status codes summed over runs, for reporting what a server answered besides 2xx. */
export function statusSummary(runs: readonly LoadRun[]): string {
  const total: Record<string, number> = {};
  for (const run of runs) for (const [code, count] of Object.entries(run.statusCodes)) total[code] = (total[code] ?? 0) + count;
  return Object.entries(total)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${count}×${code}`)
    .join(', ');
}
