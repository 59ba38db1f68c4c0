/** Stateless reads: records of partitions from given offsets, with no consumer group and nothing committed. */
import type { ConsumedRecord, PartitionReaderPort, PartitionReadRequest } from './model.js';
import { NO_METER, payloadBytes } from './traffic-meter.js';
import type { TrafficMeter } from './traffic-meter.js';

export class FetchService {
  constructor(
    private readonly reader: PartitionReaderPort,
    private readonly maxRecordsPerPartition: number,
    private readonly maxWaitMs: number,
    /** Counts what this dialect's reads handed out. */
    private readonly meter: TrafficMeter = NO_METER,
  ) {}

  /** `maxRecords` (per partition) and `timeoutMs` cannot exceed the configured caps. */
  async read(requests: readonly PartitionReadRequest[], timeoutMs: number, maxRecords = this.maxRecordsPerPartition): Promise<ConsumedRecord[]> {
    if (requests.length === 0) return [];
    const maxRecordsPerPartition = Math.min(maxRecords, this.maxRecordsPerPartition);
    const perPartition = await this.reader.read(requests, { timeoutMs: Math.min(timeoutMs, this.maxWaitMs), maxRecordsPerPartition });
    const records = perPartition.flat();
    this.meter.consumed(records.length, payloadBytes(records));
    return records;
  }
}
