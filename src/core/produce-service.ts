/** Producing records, for every dialect: answers only after Kafka acknowledged them (acks=all). */
import { DomainError } from '../errors/domain-error.js';
import type { ProduceAck, ProduceRecord, RecordProducerPort } from './model.js';

export class ProduceService {
  constructor(
    private readonly producer: RecordProducerPort,
    /** Most records one produce request (Upstash array, v2 `records`) may hold (produce.request.max.records). */
    private readonly maxRecordsPerRequest = Number.POSITIVE_INFINITY,
  ) {}

  /** 413 when one request holds more records than allowed. */
  requireRecordCount(count: number): void {
    if (count <= this.maxRecordsPerRequest) return;
    throw new DomainError('payload_too_large', `The request holds ${count} records; at most ${this.maxRecordsPerRequest} are allowed (produce.request.max.records).`);
  }

  /** All or nothing: the acks, or the first record's error. */
  async produce(records: readonly ProduceRecord[]): Promise<ProduceAck[]> {
    const results = await this.producer.produce(records, { allOrNothing: true });
    const failed = results.find((r): r is DomainError => r instanceof DomainError);
    if (failed) throw failed;
    return results as ProduceAck[];
  }

  /** 404 unless the topic exists (checked against the produce path's short-lived metadata cache). */
  async requireTopic(topic: string): Promise<void> {
    if (!(await this.producer.topicExists(topic))) throw new DomainError('topic_not_found', `Topic '${topic}' not found.`);
  }

  /** Each record on its own: its ack, or why it was not sent (the others still are). */
  produceEach(records: readonly ProduceRecord[]): Promise<(ProduceAck | DomainError)[]> {
    return this.producer.produce(records);
  }
}
