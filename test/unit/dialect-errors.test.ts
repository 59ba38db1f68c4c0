import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../src/errors/dialect-errors.js';

describe('error envelopes per dialect', () => {
  it('Confluent dialects use {error_code, message} whose first three digits are the status', () => {
    for (const [kind, status, code] of [
      ['topic_not_found', 404, 40401],
      ['partition_not_found', 404, 40402],
      ['consumer_instance_not_found', 404, 40403],
      ['kafka_rejected', 400, 40002],
      ['invalid_payload', 422, 42206],
      ['kafka_unavailable', 503, 50302],
      ['unsupported_media_type', 415, 415],
    ] as const) {
      for (const dialect of ['v2', 'v3', 'ops'] as const) {
        const response = errorResponse(dialect, kind, 'm');
        expect(response).toEqual({ status, body: { error_code: code, message: 'm' } });
        expect(String(code).slice(0, 3)).toBe(String(status));
      }
    }
  });

  it('Upstash uses {error, status} and has no 422', () => {
    expect(errorResponse('upstash', 'topic_not_found', 'gone')).toEqual({ status: 404, body: { error: 'gone', status: 404 } });
    expect(errorResponse('upstash', 'invalid_payload', 'bad')).toEqual({ status: 400, body: { error: 'bad', status: 400 } });
    expect(errorResponse('upstash', 'unauthorized', 'who?')).toEqual({ status: 401, body: { error: 'who?', status: 401 } });
  });
});
