/** What the scenarios measure (figures), how they compare (ratios), and the targets. */
import type { ScenarioId } from './settings.js';
import type { SubjectKind } from './subjects.js';

export type MetricKey = 'a.rps' | 'a.p99half' | 'b.records' | 'c.records' | 'd.records' | 'e.rss' | 'f.startup' | 'g.p99' | 'h.rps' | 'h.records';

export interface MetricInfo {
  readonly scenario: ScenarioId;
  readonly title: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
}

export const METRICS: Readonly<Record<MetricKey, MetricInfo>> = {
  'a.rps': { scenario: 'a', title: 'produce, 1 record per request', unit: 'req/s', higherIsBetter: true },
  'a.p99half': { scenario: 'a', title: 'produce, 1 record per request, at half the max rate: p99', unit: 'ms', higherIsBetter: false },
  'b.records': { scenario: 'b', title: 'produce, 100 records per request', unit: 'records/s', higherIsBetter: true },
  'c.records': { scenario: 'c', title: 'v3 streaming produce, one connection', unit: 'records/s', higherIsBetter: true },
  'd.records': { scenario: 'd', title: 'consume through a consumer instance', unit: 'records/s', higherIsBetter: true },
  'e.rss': { scenario: 'e', title: 'RSS with the idle consumer instances', unit: 'MiB', higherIsBetter: false },
  'f.startup': { scenario: 'f', title: 'process start to first successful produce', unit: 'ms', higherIsBetter: false },
  'g.p99': { scenario: 'g', title: 'produce, 1 record per request, at the same fixed rate: p99', unit: 'ms', higherIsBetter: false },
  'h.rps': { scenario: 'h', title: 'produce, 1 record per request, 1 vs 2 proxy nodes', unit: 'req/s', higherIsBetter: true },
  'h.records': { scenario: 'h', title: 'produce, 100 records per request, 1 vs 2 proxy nodes', unit: 'records/s', higherIsBetter: true },
};

export interface Figure {
  readonly metric: MetricKey;
  /** `ours v2`, `bridge v2`, `kafkajs`, `ProducerPerformance` ... */
  readonly subject: string;
  readonly kind: SubjectKind;
  /** The median of `runs`; absent when the subject could not be measured. */
  readonly value?: number;
  readonly runs: readonly number[];
  /** Secondary figures and what went wrong under load: latencies, non-2xx answers, errors. */
  readonly details?: string;
  /** Why there is no value. */
  readonly unavailable?: string;
  /** Compared with this subject's figure of the same metric only (2 nodes ÷ 1 node), not with peer and native. */
  readonly ratioTo?: string;
}

export interface Ratio {
  readonly metric: MetricKey;
  readonly numerator: Figure;
  readonly denominator: Figure;
  readonly value: number;
}

/** Metrics whose ours/peer and ours/native ratios are reported (p99 at half rate has no counterpart). */
const COMPARED: readonly MetricKey[] = ['a.rps', 'b.records', 'c.records', 'd.records', 'e.rss', 'f.startup', 'g.p99'];

/** For each compared metric, every measured `ours` figure over every measured peer and native figure. */
export function ratios(figures: readonly Figure[]): Ratio[] {
  const measured = figures.filter((f) => f.value !== undefined && f.value > 0);
  const result: Ratio[] = [];
  for (const metric of COMPARED) {
    const ofMetric = measured.filter((f) => f.metric === metric);
    for (const ours of ofMetric.filter((f) => f.kind === 'ours')) {
      for (const other of ofMetric.filter((f) => f.kind !== 'ours')) {
        result.push({ metric, numerator: ours, denominator: other, value: ours.value! / other.value! });
      }
    }
  }
  for (const figure of measured.filter((f) => f.ratioTo !== undefined)) {
    const denominator = measured.find((f) => f.metric === figure.metric && f.subject === figure.ratioTo);
    if (denominator) result.push({ metric: figure.metric, numerator: figure, denominator, value: figure.value! / denominator.value! });
  }
  return result;
}

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetCheck {
  readonly scenario: ScenarioId;
  readonly label: string;
  readonly goal: string;
  readonly value?: number;
  readonly unit: string;
  readonly status: TargetStatus;
  readonly note?: string;
}

function statusOf(value: number | undefined, ok: (v: number) => boolean): TargetStatus {
  if (value === undefined || Number.isNaN(value)) return 'not measured';
  return ok(value) ? 'met' : 'not met';
}

function ratioTargets(figures: readonly Figure[], metric: MetricKey, other: (f: Figure) => boolean, otherName: string, minimum: number): TargetCheck[] {
  const info = METRICS[metric];
  const denominator = figures.find((f) => f.metric === metric && other(f));
  return figures
    .filter((f) => f.metric === metric && f.kind === 'ours')
    .map((ours) => {
      const value = ours.value !== undefined && denominator?.value ? ours.value / denominator.value : undefined;
      const missing = denominator === undefined ? `no ${otherName} figure` : (denominator.unavailable ?? ours.unavailable);
      return {
        scenario: info.scenario,
        label: `${ours.subject} / ${denominator?.subject ?? otherName} (${info.unit})`,
        goal: `≥ ${minimum}`,
        ...(value === undefined ? {} : { value }),
        unit: '×',
        status: statusOf(value, (v) => v >= minimum),
        ...(value === undefined && missing ? { note: missing } : {}),
      };
    });
}

function absoluteTargets(figures: readonly Figure[], metric: MetricKey, goal: string, ok: (v: number) => boolean): TargetCheck[] {
  const info = METRICS[metric];
  return figures
    .filter((f) => f.metric === metric && f.kind === 'ours')
    .map((ours) => ({
      scenario: info.scenario,
      label: `${ours.subject}: ${info.title}`,
      goal,
      ...(ours.value === undefined ? {} : { value: ours.value }),
      unit: info.unit,
      status: statusOf(ours.value, ok),
      ...(ours.unavailable ? { note: ours.unavailable } : {}),
    }));
}

const isBridge = (f: Figure): boolean => f.kind === 'peer';
const isKafkajs = (f: Figure): boolean => f.kind === 'native' && f.subject.startsWith('kafkajs');

/** The targets of issues 7 and 18, one check per dialect where several apply. */
export function targetChecks(figures: readonly Figure[]): TargetCheck[] {
  return [
    ...ratioTargets(figures, 'a.rps', isBridge, 'bridge', 2),
    ...absoluteTargets(figures, 'a.p99half', '≤ 10 ms', (v) => v <= 10),
    ...ratioTargets(figures, 'b.records', isBridge, 'bridge', 2),
    ...ratioTargets(figures, 'b.records', isKafkajs, 'kafkajs', 0.7),
    ...ratioTargets(figures, 'c.records', isKafkajs, 'kafkajs', 0.7),
    ...ratioTargets(figures, 'd.records', isBridge, 'bridge', 2),
    ...ratioTargets(figures, 'd.records', isKafkajs, 'kafkajs', 0.7),
    ...absoluteTargets(figures, 'e.rss', '≤ 1024 MiB', (v) => v <= 1024),
    ...absoluteTargets(figures, 'f.startup', '< 1000 ms', (v) => v < 1000),
  ];
}
