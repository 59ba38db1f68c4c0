/**
 * Producing records, for every dialect: answers only after Kafka acknowledged them (acks=all). Each dialect's
 * handlers get their own instance, whose meter counts what they produced.
 */
import { DomainError } from '../errors/domain-error.js';
import { isDomainError } from '../errors/domain-error.js';
import type { ProduceAck, ProduceRecord, RecordProducerPort } from './model.js';
import { NO_METER, payloadBytes } from './traffic-meter.js';
import type { TrafficMeter } from './traffic-meter.js';

/** A surrogate code point outside a pair: JavaScript text that has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;

/** 400 for text that is not Unicode (a lone surrogate) rather than storing U+FFFD in its place. */
export function requireUnicodeText(text: string, what: string): void {
  if (LONE_SURROGATE.test(text)) throw new DomainError('bad_request', `The ${what} holds a lone surrogate (e.g. "\\ud800"), which is not Unicode text and has no UTF-8 form.`);
}

/** Why a record cannot be stored as given, if it cannot: its text fields must be Unicode. */
function unicodeError(record: ProduceRecord): DomainError | undefined {
  try {
    if (typeof record.key === 'string') requireUnicodeText(record.key, 'key');
    if (typeof record.value === 'string') requireUnicodeText(record.value, 'value');
    for (const header of record.headers) {
      requireUnicodeText(header.key, 'header name');
      if (typeof header.value === 'string') requireUnicodeText(header.value, `header '${header.key}'`);
    }
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

export class ProduceService {
  constructor(
    private readonly producer: RecordProducerPort,
    /** Most records one produce request (Upstash array, v2 `records`) may hold (produce.request.max.records). */
    private readonly maxRecordsPerRequest = Number.POSITIVE_INFINITY,
    private readonly meter: TrafficMeter = NO_METER,
  ) {}

  /** 413 when one request holds more records than allowed. */
  requireRecordCount(count: number): void {
    if (count <= this.maxRecordsPerRequest) return;
    throw new DomainError('payload_too_large', `The request holds ${count} records; at most ${this.maxRecordsPerRequest} are allowed (produce.request.max.records).`);
  }

  /** All or nothing: the acks, or the first record's error. */
  async produce(records: readonly ProduceRecord[]): Promise<ProduceAck[]> {
    try {
      const invalid = records.map(unicodeError).find((e) => e !== undefined);
      if (invalid) throw invalid;
      const results = await this.producer.produce(records, { allOrNothing: true });
      const failed = results.find((r): r is DomainError => r instanceof DomainError);
      if (failed) throw failed;
      this.meter.produced(records.length, payloadBytes(records));
      return results as ProduceAck[];
    } catch (error) {
      this.meter.produceFailed(isDomainError(error) ? error.kind : 'internal');
      throw error;
    }
  }

  /** 404 unless the topic exists (checked against the produce path's short-lived metadata cache). */
  async requireTopic(topic: string): Promise<void> {
    if (!(await this.producer.topicExists(topic))) throw new DomainError('topic_not_found', `Topic '${topic}' not found.`);
  }

  /** Each record on its own: its ack, or why it was not sent (the others still are). */
  async produceEach(records: readonly ProduceRecord[]): Promise<(ProduceAck | DomainError)[]> {
    let results: (ProduceAck | DomainError)[];
    try {
      results = await this.produceValid(records);
    } catch (error) {
      this.meter.produceFailed(isDomainError(error) ? error.kind : 'internal');
      throw error;
    }
    this.count(records, results);
    return results;
  }

  private async produceValid(records: readonly ProduceRecord[]): Promise<(ProduceAck | DomainError)[]> {
    const invalid = records.map(unicodeError);
    if (invalid.every((e) => e === undefined)) return this.producer.produce(records);
    const sent = await this.producer.produce(records.filter((_, i) => invalid[i] === undefined));
    let next = 0;
    return invalid.map((error) => error ?? sent[next++]!);
  }

  /** Meters each record's outcome; the common case (all acknowledged) without building another array. */
  private count(records: readonly ProduceRecord[], results: readonly (ProduceAck | DomainError)[]): void {
    let failed = 0;
    for (const result of results) {
      if (result instanceof DomainError) {
        failed++;
        this.meter.produceFailed(result.kind);
      }
    }
    const produced = failed === 0 ? records : records.filter((_, i) => !(results[i] instanceof DomainError));
    if (produced.length > 0) this.meter.produced(produced.length, payloadBytes(produced));
  }
}
