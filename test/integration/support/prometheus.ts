/** Reads a proxy's `/metrics` with a Prometheus text-format parser and looks samples up by name and labels. */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { PrometheusFamily, PrometheusSample } from 'parse-prometheus-text-format';

/**
 * parse-prometheus-text-format 1.1 folds the series of a histogram with labels into one unlabelled sample; read
 * without their `# TYPE` lines, each histogram's `_bucket`, `_sum` and `_count` series are parsed as untyped
 * samples with all their labels, which is how `count()` reads them. Such untyped series interleave (a histogram
 * writes each series' buckets, sum and count in turn), so one name may come as several families.
 */
function histogramsAsUntyped(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^# TYPE \S+ histogram$/.test(line))
    .join('\n');
}

export class Scrape {
  readonly families: readonly PrometheusFamily[];
  private readonly histogramSeries: readonly PrometheusFamily[];

  constructor(readonly text: string) {
    this.families = parsePrometheusTextFormat(text);
    this.histogramSeries = parsePrometheusTextFormat(histogramsAsUntyped(text));
  }

  static async of(baseUrl: string): Promise<Scrape> {
    const response = await fetch(`${baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
    return new Scrape(await response.text());
  }

  family(name: string): PrometheusFamily | undefined {
    return this.families.find((f) => f.name === name);
  }

  /** The sample of `name` whose labels are exactly `labels`. */
  sample(name: string, labels: Readonly<Record<string, string>> = {}, families = this.families): PrometheusSample | undefined {
    const wanted = Object.entries(labels);
    // Untyped series of one name come as several families when other series sit between them (see above).
    const samples = families.filter((f) => f.name === name).flatMap((f) => f.metrics);
    return samples.find((m) => {
      const have = Object.entries(m.labels ?? {});
      return have.length === wanted.length && wanted.every(([k, v]) => m.labels?.[k] === v);
    });
  }

  /** A counter's or gauge's value; 0 for a series that has not appeared yet (prom-client shows it on first use). */
  value(name: string, labels: Readonly<Record<string, string>> = {}): number {
    const value = this.sample(name, labels)?.value;
    return value === undefined ? 0 : Number(value);
  }

  /** A histogram series' observation count (its `_count`); 0 when absent. */
  count(name: string, labels: Readonly<Record<string, string>>): number {
    const count = this.sample(`${name}_count`, labels, this.histogramSeries)?.value;
    return count === undefined ? 0 : Number(count);
  }
}
