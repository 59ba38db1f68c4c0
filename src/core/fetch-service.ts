/** Stateless reads: records of partitions from given offsets, with no consumer group and nothing committed. */
import type { ConsumedRecord, PartitionReaderPort, PartitionReadRequest } from './model.js';

export class FetchService {
  constructor(
    private readonly reader: PartitionReaderPort,
    private readonly maxRecordsPerPartition: number,
  ) {}

  /** `maxRecords` (per partition) cannot exceed the configured cap. */
  async read(requests: readonly PartitionReadRequest[], timeoutMs: number, maxRecords = this.maxRecordsPerPartition): Promise<ConsumedRecord[]> {
    if (requests.length === 0) return [];
    const maxRecordsPerPartition = Math.min(maxRecords, this.maxRecordsPerPartition);
    const perPartition = await this.reader.read(requests, { timeoutMs, maxRecordsPerPartition });
    return perPartition.flat();
  }
}
