import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { toDomainError } from '../../src/kafka/kafka-errors.js';

const { KafkaJSProtocolError } = kafkajs;

/** What kafkajs throws for a broker error code (its typings say the constructor takes an Error; it reads these). */
function brokerError(type: string, code: number, retriable: boolean): Error {
  const fromBroker = { type, code, retriable, message: `broker says ${type}` };
  return new KafkaJSProtocolError(fromBroker as unknown as Error);
}

describe('kafkajs errors as domain errors', () => {
  it('a commit refused because the group rebalanced is 409 illegal_state with what to do, not a 500', () => {
    for (const [type, code] of [['ILLEGAL_GENERATION', 22], ['UNKNOWN_MEMBER_ID', 25], ['REBALANCE_IN_PROGRESS', 27]] as const) {
      const error = toDomainError(brokerError(type, code, false), "commit offsets of group 'g'");
      expect(error.kind).toBe('illegal_state');
      expect(error.message).toMatch(/^commit offsets of group 'g': .*rebalancing, so nothing was committed: read again, then commit\)\.$/);
    }
  });

  it('keeps the other mappings: unknown topic 404, retriable 503, anything else kafka_error', () => {
    expect(toDomainError(brokerError('UNKNOWN_TOPIC_OR_PARTITION', 3, true), 'x').kind).toBe('topic_not_found');
    expect(toDomainError(brokerError('LEADER_NOT_AVAILABLE', 5, true), 'x').kind).toBe('kafka_unavailable');
    expect(toDomainError(brokerError('TOPIC_ALREADY_EXISTS', 36, false), 'x').kind).toBe('kafka_rejected');
    expect(toDomainError(new Error('boom'), 'x').kind).toBe('kafka_error');
  });
});
