/**
 * A prom-client Counter whose increments on the request path are added to a plain number per series and handed
 * to prom-client when it is scraped: an increment then costs an addition, where prom-client's own `inc` hashes
 * the labels and allocates on every call (measured ~0.25–0.6 µs each).
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

export interface CounterSeries {
  add(amount: number): void;
}

interface Pending {
  readonly labels: Readonly<Record<string, string>>;
  amount: number;
}

export class BufferedCounter<T extends string> {
  private readonly counter: Counter<T>;
  private readonly pending: Pending[] = [];

  constructor(options: { name: string; help: string; labelNames: readonly T[]; registers: Registry[] }) {
    const pending = this.pending;
    this.counter = new Counter({
      ...options,
      collect() {
        for (const series of pending) {
          if (series.amount === 0) continue;
          this.inc(series.labels as Partial<Record<T, string>>, series.amount);
          series.amount = 0;
        }
      },
    });
  }

  /** One label set's series, shown (at 0) from now on; keep it rather than asking again per increment. */
  series(labels: Readonly<Record<T, string>>): CounterSeries {
    this.counter.inc(labels as Partial<Record<T, string>>, 0);
    const series: Pending = { labels, amount: 0 };
    this.pending.push(series);
    return {
      add: (amount) => {
        series.amount += amount;
      },
    };
  }
}
