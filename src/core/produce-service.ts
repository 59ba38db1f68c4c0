/** Producing records, for every dialect: answers only after Kafka acknowledged them (acks=all). */
import type { ProduceAck, ProduceRecord, RecordProducerPort } from './model.js';

export class ProduceService {
  constructor(private readonly producer: RecordProducerPort) {}

  produce(records: readonly ProduceRecord[]): Promise<ProduceAck[]> {
    return this.producer.produce(records);
  }
}
