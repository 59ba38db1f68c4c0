/** What one `npm run bench` run measures and for how long: the full run, or `--quick` for a check under 3 minutes. */

export const SCENARIO_IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface BenchSettings {
  readonly quick: boolean;
  /** Measured runs per figure (the figure is their median); warm-up runs come on top. */
  readonly runs: number;
  readonly warmupSeconds: number;
  readonly loadSeconds: number;
  /** Concurrent keep-alive connections of the HTTP produce scenarios (a) and (b). */
  readonly connections: number;
  readonly recordBytes: number;
  /** Records per request in (b), and per send of the native producer there. */
  readonly batchRecords: number;
  /** Records in one v3 stream of (c). */
  readonly streamRecords: number;
  /** Records read by each consumer of (d). */
  readonly consumeRecords: number;
  /** Consumer instances created in (e). */
  readonly idleConsumers: number;
  /** The request rate at which (g) compares every server's one-record produce latency. */
  readonly fixedRate: number;
  /** Records each ProducerPerformance run sends. */
  readonly producerPerformanceRecords: number;
  readonly scenarios: ReadonlySet<ScenarioId>;
  /** Run the bridge (the peer); `--no-peer` skips it. */
  readonly peer: boolean;
  /** Run the proxy under `node --cpu-prof` and summarise where its time went. */
  readonly profile: boolean;
  /** Write docs/benchmarks.md and docs/benchmarks.svg (not for partial runs with --only). */
  readonly writeDocs: boolean;
}

export class UsageError extends Error {}

const USAGE = `usage: npm run bench -- [--quick] [--only=a,b,...] [--no-peer] [--profile] [--no-write]
  --quick      1 run per figure, shorter loads, fewer records (under 3 minutes)
  --only=LIST  only these scenarios (a..h); implies --no-write
  --no-peer    do not fetch or run the Strimzi Kafka Bridge
  --profile    run the proxy under node --cpu-prof and print its top self-time functions
  --no-write   print the tables only; leave docs/benchmarks.{md,svg} alone`;

function parseScenarios(list: string): Set<ScenarioId> {
  const chosen = new Set<ScenarioId>();
  for (const item of list.split(',').map((s) => s.trim().toLowerCase())) {
    const id = SCENARIO_IDS.find((s) => s === item);
    if (id === undefined) throw new UsageError(`unknown scenario '${item}'\n${USAGE}`);
    chosen.add(id);
  }
  return chosen;
}

export function parseSettings(argv: readonly string[]): BenchSettings {
  let quick = false;
  let peer = true;
  let profile = false;
  let write = true;
  let scenarios: Set<ScenarioId> | undefined;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--no-peer') peer = false;
    else if (arg === '--profile') profile = true;
    else if (arg === '--no-write') write = false;
    else if (arg.startsWith('--only=')) scenarios = parseScenarios(arg.slice('--only='.length));
    else if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown argument '${arg}'\n${USAGE}`);
  }
  return {
    quick,
    runs: quick ? 1 : 3,
    warmupSeconds: quick ? 1 : 3,
    loadSeconds: quick ? 3 : 10,
    connections: 32,
    recordBytes: 100,
    batchRecords: 100,
    streamRecords: quick ? 20_000 : 100_000,
    consumeRecords: quick ? 50_000 : 500_000,
    idleConsumers: 1_000,
    producerPerformanceRecords: quick ? 200_000 : 1_000_000,
    fixedRate: quick ? 500 : 1_000,
    scenarios: scenarios ?? new Set(SCENARIO_IDS),
    peer,
    profile,
    writeDocs: write && scenarios === undefined,
  };
}
