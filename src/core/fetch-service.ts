/** Stateless reads: records of partitions from given offsets, with no consumer group and nothing committed. */
import type { ConsumedRecord, PartitionReaderPort, PartitionReadRequest } from './model.js';

export class FetchService {
  constructor(
    private readonly reader: PartitionReaderPort,
    private readonly maxRecordsPerPartition: number,
  ) {}

  async read(requests: readonly PartitionReadRequest[], timeoutMs: number): Promise<ConsumedRecord[]> {
    if (requests.length === 0) return [];
    const perPartition = await this.reader.read(requests, { timeoutMs, maxRecordsPerPartition: this.maxRecordsPerPartition });
    return perPartition.flat();
  }
}
