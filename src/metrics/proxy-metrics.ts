/**
 * The proxy's Prometheus metrics (prom-client), served at `/metrics`: requests by dialect, operation and status and
 * their durations (recorded by the app around dispatch), records and bytes produced and consumed by dialect and
 * produce errors by kind (recorded by the core services through their TrafficMeter), consumer instances, Kafka
 * connection state and requests in flight (read at each scrape), and prom-client's process and Node.js metrics.
 *
 * The request path stays lean: each (dialect, operation, status) gets its series once, counters are summed in
 * plain numbers until a scrape (BufferedCounter), so a request costs two map look-ups, a few additions and one
 * prom-client histogram observation.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { BufferedCounter } from './buffered-counter.js';
import type { CounterSeries } from './buffered-counter.js';
import type { Dialect } from '../../generated/operations.js';
import type { TrafficMeter } from '../core/traffic-meter.js';
import type { ErrorKind } from '../errors/domain-error.js';

/** What the metrics read at each scrape from the running proxy. */
export interface MetricsSources {
  consumerInstances(): number;
  kafkaConnected(): boolean;
  requestsInFlight(): number;
}

/** The operation label of a request no operation of the spec matched (404, 405). */
export const NO_OPERATION = 'none';

/** Seconds; long polls (consume, records) may wait up to consumer.request.max.wait.ms. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

let processRegistry: Registry | undefined;

/** Process and Node.js metrics, collected once per process however many proxies it runs (tests run several). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

interface OperationMeters {
  readonly duration: Histogram.Internal<string>;
  readonly byStatus: Map<number, CounterSeries>;
  readonly dialect: string;
  readonly operation: string;
}

export class ProxyMetrics {
  readonly contentType = processMetrics().contentType;
  private readonly registry = new Registry();
  private readonly requests: BufferedCounter<'dialect' | 'operation' | 'status'>;
  private readonly duration: Histogram<'dialect' | 'operation'>;
  private readonly producedRecords: BufferedCounter<'dialect'>;
  private readonly producedBytes: BufferedCounter<'dialect'>;
  private readonly consumedRecords: BufferedCounter<'dialect'>;
  private readonly consumedBytes: BufferedCounter<'dialect'>;
  private readonly produceErrors: BufferedCounter<'dialect' | 'kind'>;
  private readonly operations = new Map<string, Map<string, OperationMeters>>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new BufferedCounter({ name: 'kafka_rest_requests_total', help: 'HTTP requests answered, by dialect, operationId and status.', labelNames: ['dialect', 'operation', 'status'], registers });
    this.duration = new Histogram({
      name: 'kafka_rest_request_duration_seconds',
      help: 'Time from a request\'s arrival until its answer is handed to the HTTP layer (for streamed answers: until the stream starts), by dialect and operationId.',
      labelNames: ['dialect', 'operation'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.producedRecords = new BufferedCounter({ name: 'kafka_rest_produced_records_total', help: 'Records Kafka acknowledged, by dialect.', labelNames: ['dialect'], registers });
    this.producedBytes = new BufferedCounter({ name: 'kafka_rest_produced_bytes_total', help: 'Key and value bytes of the records Kafka acknowledged, by dialect.', labelNames: ['dialect'], registers });
    this.consumedRecords = new BufferedCounter({ name: 'kafka_rest_consumed_records_total', help: 'Records handed to clients by consumer instances and stateless reads, by dialect.', labelNames: ['dialect'], registers });
    this.consumedBytes = new BufferedCounter({ name: 'kafka_rest_consumed_bytes_total', help: 'Key and value bytes of the records handed to clients, by dialect.', labelNames: ['dialect'], registers });
    this.produceErrors = new BufferedCounter({
      name: 'kafka_rest_produce_errors_total',
      help: 'Failed produces by dialect and error kind: one per failed request where a request succeeds or fails whole (Upstash), one per failed record where each record is answered on its own (v2, v3).',
      labelNames: ['dialect', 'kind'],
      registers,
    });
    this.sourceGauges(sources, registers);
  }

  private sourceGauges(sources: MetricsSources, registers: Registry[]): void {
    new Gauge({ name: 'kafka_rest_consumer_instances', help: 'Consumer instances this process hosts (Upstash and v2).', registers, collect() { this.set(sources.consumerInstances()); } });
    new Gauge({
      name: 'kafka_rest_kafka_connected',
      help: '1 while the proxy\'s producer has an open connection to at least one Kafka broker, else 0.',
      registers,
      collect() {
        this.set(sources.kafkaConnected() ? 1 : 0);
      },
    });
    new Gauge({ name: 'kafka_rest_requests_in_flight', help: 'HTTP requests being served right now.', registers, collect() { this.set(sources.requestsInFlight()); } });
  }

  /** The meter the core services of one dialect count their records with. */
  traffic(dialect: Dialect): TrafficMeter {
    const producedRecords = this.producedRecords.series({ dialect });
    const producedBytes = this.producedBytes.series({ dialect });
    const consumedRecords = this.consumedRecords.series({ dialect });
    const consumedBytes = this.consumedBytes.series({ dialect });
    const errors = new Map<ErrorKind, CounterSeries>();
    return {
      produced: (records, bytes) => {
        producedRecords.add(records);
        producedBytes.add(bytes);
      },
      produceFailed: (kind) => {
        let counter = errors.get(kind);
        if (!counter) errors.set(kind, (counter = this.produceErrors.series({ dialect, kind })));
        counter.add(1);
      },
      consumed: (records, bytes) => {
        consumedRecords.add(records);
        consumedBytes.add(bytes);
      },
    };
  }

  /** One answered request; `operation` is its operationId, or NO_OPERATION. */
  observeRequest(dialect: Dialect, operation: string, status: number, seconds: number): void {
    const meters = this.operationMeters(dialect, operation);
    let counter = meters.byStatus.get(status);
    if (!counter) meters.byStatus.set(status, (counter = this.requests.series({ dialect: meters.dialect, operation: meters.operation, status: String(status) })));
    counter.add(1);
    meters.duration.observe(seconds);
  }

  private operationMeters(dialect: Dialect, operation: string): OperationMeters {
    let ofDialect = this.operations.get(dialect);
    if (!ofDialect) this.operations.set(dialect, (ofDialect = new Map()));
    let meters = ofDialect.get(operation);
    if (!meters) ofDialect.set(operation, (meters = { duration: this.duration.labels(dialect, operation), byStatus: new Map(), dialect, operation }));
    return meters;
  }

  /** The exposition text of the proxy's metrics and the process's. */
  async text(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }
}
