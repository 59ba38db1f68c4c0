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
  'SECURITY_DISABLED',
]);

/** Records the broker refused to append: too large for the topic, or invalid (e.g. a timestamp out of bounds). */
const RECORD_TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const RECORD_REJECTIONS = new Set(['INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP', 'INVALID_PRODUCE_ACKS']);

/** The member's view of its group is out of date (a rebalance happened or is under way): e.g. a commit is refused. */
const GROUP_CHANGED = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID']);

const UNAVAILABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSNumberOfRetriesExceeded',
]);

/** The group coordinator is moving or loading (e.g. the offsets topic of a new cluster is being created). */
// kafkajs's names for Kafka's NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS.
const COORDINATOR_NOT_READY = new Set(['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'GROUP_LOAD_IN_PROGRESS']);

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
  if (broker.type && GROUP_CHANGED.has(broker.type)) {
    const hint = 'the consumer group is rebalancing, so nothing was committed: read again, then commit';
    return new DomainError('illegal_state', `${context}: ${message} (${hint}).`, { cause: error });
  }
  // A broker error kafkajs may retry (leader moving, request timed out, ...) that outlasted its retries.
  if (broker.type && (COORDINATOR_NOT_READY.has(broker.type) || broker.retriable === true)) {
    return new DomainError('kafka_unavailable', `${context}: ${message}`, { cause: error });
  }
  if (broker.type && RECORD_TOO_LARGE.has(broker.type)) {
    return new DomainError('payload_too_large', `${context}: ${message} (the topic's max.message.bytes)`, { cause: error });
  }
  if (broker.type && (REJECTIONS.has(broker.type) || RECORD_REJECTIONS.has(broker.type))) {
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

/**
 * Like kafkaCall, but retries while Kafka says "not yet": the group coordinator is loading or moving (kafkajs's admin
 * gives up on that at once, which on a fresh cluster would fail the first group operation), or a partition's
 * leader is moving (a topic just created or grown). Only for calls that are safe to repeat.
 */
export async function kafkaRetryingCall<T>(context: string, call: () => Promise<T>, deadlineMs = 15_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    try {
      return await call();
    } catch (error) {
      const broker = brokerErrorOf((typeof error === 'object' && error !== null ? error : {}) as KafkaJsErrorShape);
      const transient = broker.type !== undefined && (COORDINATOR_NOT_READY.has(broker.type) || broker.retriable === true);
      if (!transient || Date.now() + wait > deadline) throw toDomainError(error, context);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
