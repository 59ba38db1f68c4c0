/** Confluent v3 produce: one record or a stream of them (reports streamed back in order), and batches. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import { jsonDocuments } from '../../server/json-documents.js';
import type { RequestContext } from '../../server/request-context.js';
import { delivery, errorReport, prepareRecord, successReport } from './produce-records.js';
import type { PreparedRecord, V3Record, V3Report } from './produce-records.js';

type BatchSuccess = components['schemas']['BatchSuccess'];

type ProduceHandlers = Pick<OperationHandlers<RequestContext>, 'v3ProduceRecords' | 'v3ProduceRecordsBatch'>;

export interface V3ProduceSettings {
  readonly maxRecordBytes: number;
  readonly maxBatchEntries: number;
  /** Records of one stream waiting for Kafka at once; reading the request pauses beyond it. */
  readonly maxInFlight: number;
}

/**
 * Runs `handle` on each document as it arrives and yields the results in input order, each as soon as it and
 * all before it are done — so a client streaming records over one connection sees each report promptly.
 */
async function* inOrder(documents: AsyncIterable<string>, handle: (document: string) => Promise<string>, maxInFlight: number): AsyncGenerator<string> {
  const queue: Promise<string>[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const reader = (async () => {
    try {
      for await (const document of documents) {
        queue.push(handle(document));
        notify();
        while (queue.length >= maxInFlight) await queue[0]!.then(() => undefined, () => undefined).then(() => new Promise((r) => setImmediate(r)));
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
      const next = await queue[0]!;
      queue.shift();
      yield next;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  await reader;
  if (failure !== undefined) yield JSON.stringify(errorReport(failure)) + '\n';
}

/**
 * Hands a stream's records to the producer in stream order, however long each one took to prepare (a schema may
 * have to be fetched or registered first): each record waits for its turn, which the one before it gives up once
 * it was handed over (or failed).
 */
class SendOrder {
  private last: Promise<void> = Promise.resolve();

  /** Taken in stream order; `turn` resolves once every earlier record is handed over; call `done` after this one's. */
  take(): { turn: Promise<void>; done: () => void } {
    const turn = this.last;
    let done!: () => void;
    this.last = new Promise((resolve) => (done = resolve));
    return { turn, done };
  }
}

async function* startingWith(first: string, rest: AsyncIterable<string>): AsyncGenerator<string> {
  yield first;
  yield* rest;
}

export function createV3ProduceHandlers(services: Services, settings: V3ProduceSettings): ProduceHandlers {
  const produceOne = async (clusterId: string, topic: string, body: V3Record, order: SendOrder): Promise<string> => {
    const ticket = order.take();
    try {
      const prepared = await prepareRecord(topic, body, services.schemas);
      await ticket.turn;
      const sending = services.produce.produceEach([prepared.record]);
      ticket.done();
      const [result] = await sending;
      if (result instanceof DomainError) throw result;
      return JSON.stringify(successReport(clusterId, prepared, result!)) + '\n';
    } catch (error) {
      return JSON.stringify(errorReport(error)) + '\n';
    } finally {
      ticket.done();
    }
  };
  return {
    v3ProduceRecords: async ({ params }, ctx) => {
      const clusterId = await services.cluster.requireId(params.cluster_id);
      const topic = params.topic_name;
      await services.produce.requireTopic(topic);
      const parse = (text: string): V3Record => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw new DomainError('bad_request', `Malformed JSON record: ${(error as Error).message}`);
        }
        const invalid = ctx.validateDocument(body);
        if (invalid) throw new DomainError('invalid_payload', invalid);
        return body as V3Record;
      };
      const order = new SendOrder();
      const handle = async (text: string): Promise<string> => {
        try {
          return await produceOne(clusterId, topic, parse(text), order);
        } catch (error) {
          return JSON.stringify(errorReport(error)) + '\n';
        }
      };
      // The first record decides the request: unreadable, it is refused as a whole (400/422) before the 200.
      const documents = jsonDocuments(ctx.bodyStream, settings.maxRecordBytes);
      const first = await documents.next();
      if (first.done) throw new DomainError('invalid_payload', 'The request body holds no record.');
      parse(first.value);
      return { status: 200, stream: inOrder(startingWith(first.value, documents), handle, settings.maxInFlight) };
    },
    v3ProduceRecordsBatch: async ({ params, body }) => {
      const clusterId = await services.cluster.requireId(params.cluster_id);
      const topic = params.topic_name;
      await services.produce.requireTopic(topic);
      const entries = body.entries;
      if (entries.length === 0) throw new DomainError('invalid_batch', 'The batch has no entries.');
      if (entries.length > settings.maxBatchEntries) {
        throw new DomainError('invalid_batch', `The batch has ${entries.length} entries; at most ${settings.maxBatchEntries} are allowed.`);
      }
      const ids = new Set(entries.map((e) => e.id));
      if (ids.size !== entries.length) throw new DomainError('invalid_batch', 'The ids of the batch entries are not unique.');
      const prepared = await Promise.all(
        entries.map(async (entry): Promise<{ ok: true; record: PreparedRecord } | { ok: false; error: unknown }> => {
          try {
            return { ok: true, record: await prepareRecord(topic, entry, services.schemas) };
          } catch (error) {
            return { ok: false, error };
          }
        }),
      );
      const sendable = prepared.flatMap((p) => (p.ok ? [p.record] : []));
      const results = await services.produce.produceEach(sendable.map((p) => p.record));
      const successes: BatchSuccess[] = [];
      const failures: { id: string; error_code: number; message: string }[] = [];
      let next = 0;
      entries.forEach((entry, i) => {
        const p = prepared[i]!;
        if (!p.ok) {
          failures.push({ id: entry.id, ...errorReport(p.error) });
          return;
        }
        const result = results[next++]!;
        if (result instanceof DomainError) failures.push({ id: entry.id, ...errorReport(result) });
        else successes.push({ id: entry.id, ...delivery(clusterId, p.record, result) });
      });
      return { status: 207, body: { successes, failures } };
    },
  };
}
