/** Turns kafkajs failures into domain errors, so nothing above the adapters sees a kafkajs error type. */
import { DomainError } from '../errors/domain-error.js';

interface KafkaJsErrorShape {
  name?: string;
  type?: string;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
}

/** Broker error types that mean "the request was understood and refused" (Confluent's 40002). */
const REJECTIONS = new Set([
  'TOPIC_ALREADY_EXISTS',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
  'INVALID_REQUEST',
  'UNSUPPORTED_VERSION',
]);

const UNAVAILABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSNumberOfRetriesExceeded',
]);

function isUnavailable(error: KafkaJsErrorShape | undefined, depth = 0): boolean {
  if (!error || depth > 4) return false;
  if (error.name && UNAVAILABLE_NAMES.has(error.name)) return true;
  return isUnavailable(error.cause as KafkaJsErrorShape | undefined, depth + 1);
}

function brokerErrorOf(error: KafkaJsErrorShape): KafkaJsErrorShape {
  // createTopics and friends wrap the broker's answer in KafkaJSAggregateError / errors[]; the first one says why.
  const nested = (error as { errors?: KafkaJsErrorShape[] }).errors?.[0];
  if (nested?.type) return nested;
  const cause = error.cause as KafkaJsErrorShape | undefined;
  if (cause?.type) return cause;
  return error;
}

export function toDomainError(error: unknown, context: string): DomainError {
  if (error instanceof DomainError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as KafkaJsErrorShape;
  const broker = brokerErrorOf(shape);
  const message = broker.message ?? shape.message ?? String(error);
  if (broker.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
    return new DomainError('topic_not_found', `${context}: ${message}`, { cause: error });
  }
  if (broker.type === 'TOPIC_AUTHORIZATION_FAILED' || broker.type === 'CLUSTER_AUTHORIZATION_FAILED') {
    return new DomainError('forbidden', `${context}: ${message}`, { cause: error });
  }
  if (broker.type && REJECTIONS.has(broker.type)) {
    return new DomainError('kafka_rejected', message, { cause: error });
  }
  if (!broker.type && isUnavailable(shape)) {
    return new DomainError('kafka_unavailable', `${context}: Kafka is not reachable (${message})`, { cause: error });
  }
  return new DomainError('kafka_error', `${context}: ${message}`, { cause: error });
}

/** Runs a Kafka call and converts whatever it throws. */
export async function kafkaCall<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDomainError(error, context);
  }
}
