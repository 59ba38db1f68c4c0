/** Confluent v3 produce: one record or a stream of them (reports streamed back in order), and batches. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { ProduceAck } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import { jsonDocumentBatches } from '../../server/json-documents.js';
import type { RequestContext } from '../../server/request-context.js';
import { delivery, errorReport, prepareRecord, successReport } from './produce-records.js';
import type { PreparedRecord, V3Record } from './produce-records.js';
import { reportsInOrder, startingWith } from './report-stream.js';

type BatchSuccess = components['schemas']['BatchSuccess'];

type ProduceHandlers = Pick<OperationHandlers<RequestContext>, 'v3ProduceRecords' | 'v3ProduceRecordsBatch'>;

export interface V3ProduceSettings {
  readonly maxRecordBytes: number;
  readonly maxBatchEntries: number;
  /** Records of one stream waiting for Kafka at once; reading the request pauses beyond it. */
  readonly maxInFlight: number;
}

type Prepared = { ok: true; record: PreparedRecord } | { ok: false; error: unknown };

/**
 * Each body's record, its key and value encoded, or why not. Records that name a schema are prepared
 * asynchronously (it may have to be fetched or registered first); the others without a promise each.
 */
function prepareEach<T>(services: Services, topic: string, bodies: readonly T[], toRecord: (body: T) => V3Record): Prepared[] | Promise<Prepared[]> {
  const prepared: (Prepared | Promise<Prepared>)[] = [];
  let waiting = false;
  for (const body of bodies) {
    try {
      const record = prepareRecord(topic, toRecord(body), services.schemas);
      if (record instanceof Promise) {
        waiting = true;
        prepared.push(record.then((r): Prepared => ({ ok: true, record: r }), (error: unknown): Prepared => ({ ok: false, error })));
      } else prepared.push({ ok: true, record });
    } catch (error) {
      prepared.push({ ok: false, error });
    }
  }
  return waiting ? Promise.all(prepared) : (prepared as Prepared[]);
}

/**
 * Produces the prepared records together (in order) and gives each its ack, or why it was not produced; throws
 * when the request as a whole fails (Kafka unreachable). `handedOver` is called once the records are with the
 * producer (their order among other calls' records is fixed then).
 */
async function produceEach(services: Services, prepared: readonly Prepared[], handedOver: () => void = () => undefined): Promise<(ProduceAck | unknown)[]> {
  const sendable = prepared.flatMap((p) => (p.ok ? [p.record.record] : []));
  const sending = sendable.length > 0 ? services.produce.produceEach(sendable) : Promise.resolve([]);
  handedOver();
  const results = await sending;
  let next = 0;
  return prepared.map((p) => (p.ok ? results[next++] : p.error));
}

/**
 * Hands a stream's groups of records to the producer in stream order, however long each group took to prepare (a
 * schema may have to be fetched or registered first): each group waits for its turn, which the one before it gives
 * up once it was handed over (or failed).
 */
class SendOrder {
  private last: Promise<void> = Promise.resolve();

  /** Taken in stream order; `turn` resolves once every earlier group is handed over; call `done` after this one's. */
  take(): { turn: Promise<void>; done: () => void } {
    const turn = this.last;
    let done!: () => void;
    this.last = new Promise((resolve) => (done = resolve));
    return { turn, done };
  }
}

const isAck = (result: unknown): result is ProduceAck => typeof result === 'object' && result !== null && !(result instanceof Error);

export function createV3ProduceHandlers(services: Services, settings: V3ProduceSettings): ProduceHandlers {
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
      const reportLines = (prepared: readonly Prepared[], results: readonly unknown[]): string => {
        let reports = '';
        results.forEach((result, i) => {
          const p = prepared[i]!;
          reports += `${JSON.stringify(p.ok && isAck(result) ? successReport(clusterId, p.record, result) : errorReport(result))}\n`;
        });
        return reports;
      };
      // A failure of the whole request (Kafka unreachable) is every record's report; the stream goes on.
      const everyRecordFailed = (prepared: readonly Prepared[]) => (error: unknown) => prepared.map(() => error);
      /** One report line per document, in order; never throws. */
      const handle = async (texts: readonly string[]): Promise<string> => {
        const ticket = order.take();
        const prepared = await prepareEach(services, topic, texts, parse);
        await ticket.turn;
        const results = await produceEach(services, prepared, ticket.done).catch(everyRecordFailed(prepared)).finally(ticket.done);
        return reportLines(prepared, results);
      };
      // The first record decides the request: unreadable, it is refused as a whole (400/422) before the 200.
      const groups = jsonDocumentBatches(ctx.bodyStream, settings.maxRecordBytes);
      const first = await groups.next();
      if (first.done) throw new DomainError('invalid_payload', 'The request body holds no record.');
      const firstRecord = parse(first.value[0]!);
      // A body of declared length (not chunked) is sent whole, not record by record as the client learns of its
      // reports: reading on to its end waits for nothing the client holds back, so a request holding one record
      // (the common single produce) gets its report as a plain answer, without the machinery of a stream.
      if (first.value.length === 1 && ctx.requestHeaders['content-length'] !== undefined && ctx.requestHeaders['transfer-encoding'] === undefined) {
        const second = await groups.next();
        if (second.done) {
          const prepared = await prepareEach(services, topic, [firstRecord], (record) => record);
          const results = await produceEach(services, prepared).catch(everyRecordFailed(prepared));
          return { status: 200, body: { serializedJson: reportLines(prepared, results) } };
        }
        return { status: 200, stream: reportsInOrder(startingWith(first.value, startingWith(second.value, groups)), handle, settings.maxInFlight) };
      }
      return { status: 200, stream: reportsInOrder(startingWith(first.value, groups), handle, settings.maxInFlight) };
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
      const prepared = await prepareEach(services, topic, entries, (entry) => entry);
      const results = await produceEach(services, prepared);
      const successes: BatchSuccess[] = [];
      const failures: { id: string; error_code: number; message: string }[] = [];
      entries.forEach((entry, i) => {
        const p = prepared[i]!;
        const result = results[i];
        if (p.ok && isAck(result)) successes.push({ id: entry.id, ...delivery(clusterId, p.record, result) });
        else failures.push({ id: entry.id, ...errorReport(result) });
      });
      return { status: 207, body: { successes, failures } };
    },
  };
}
