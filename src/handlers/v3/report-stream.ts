/**
 * A v3 produce stream's answer: groups of records handled as they arrive, their reports written in input order,
 * each group's as soon as it and all before it are done — so a client streaming records over one connection sees
 * each report promptly, and one arriving chunk of records costs one produce call and one write, not one per record.
 */
import { errorReport } from './produce-records.js';

interface Pending {
  readonly reports: Promise<string>;
  readonly records: number;
}

/**
 * Runs `handle` on each group of documents as it arrives (at most `maxInFlight` records waiting at once; reading
 * pauses beyond) and yields each group's reports in order. A failure reading the input ends the stream with its
 * error report.
 */
export async function* reportsInOrder(
  groups: AsyncIterable<readonly string[]>,
  handle: (documents: readonly string[]) => Promise<string>,
  maxInFlight: number,
): AsyncGenerator<string> {
  const queue: Pending[] = [];
  let inFlight = 0;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const reader = (async () => {
    try {
      for await (const documents of groups) {
        queue.push({ reports: handle(documents), records: documents.length });
        inFlight += documents.length;
        notify();
        while (inFlight >= maxInFlight && queue.length > 0) {
          await queue[0]!.reports.then(() => new Promise((resolve) => setImmediate(resolve)));
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      notify();
    }
  })();
  for (;;) {
    if (queue.length > 0) {
      const next = await queue[0]!.reports;
      inFlight -= queue.shift()!.records;
      yield next;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  await reader;
  if (failure !== undefined) yield JSON.stringify(errorReport(failure)) + '\n';
}

/** `first`, then the rest of `rest`. */
export async function* startingWith<T>(first: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* rest;
}
