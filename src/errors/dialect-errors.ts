/**
 * The one table that maps domain error kinds to each dialect's status and error envelope:
 * Confluent (v2, v3 and the operational endpoints) `{error_code, message}`, Upstash `{error, status}`.
 */
import type { Dialect } from '../../generated/operations.js';
import type { ErrorKind } from './domain-error.js';

interface KindMapping {
  readonly status: number;
  /** Confluent's numeric code; its first three digits are the HTTP status. */
  readonly confluentCode: number;
}

const MAPPINGS: Readonly<Record<ErrorKind, KindMapping>> = {
  bad_request: { status: 400, confluentCode: 400 },
  invalid_payload: { status: 422, confluentCode: 42206 },
  key_schema_missing: { status: 422, confluentCode: 42201 },
  value_schema_missing: { status: 422, confluentCode: 42202 },
  invalid_batch: { status: 422, confluentCode: 42208 },
  route_not_found: { status: 404, confluentCode: 404 },
  method_not_allowed: { status: 405, confluentCode: 405 },
  unsupported_media_type: { status: 415, confluentCode: 415 },
  not_acceptable: { status: 406, confluentCode: 406 },
  not_acceptable_format: { status: 406, confluentCode: 40601 },
  payload_too_large: { status: 413, confluentCode: 413 },
  request_timeout: { status: 408, confluentCode: 408 },
  unauthorized: { status: 401, confluentCode: 40101 },
  forbidden: { status: 403, confluentCode: 40301 },
  cluster_not_found: { status: 404, confluentCode: 404 },
  topic_not_found: { status: 404, confluentCode: 40401 },
  partition_not_found: { status: 404, confluentCode: 40402 },
  consumer_instance_not_found: { status: 404, confluentCode: 40403 },
  conflict: { status: 409, confluentCode: 409 },
  consumer_already_exists: { status: 409, confluentCode: 40902 },
  illegal_state: { status: 409, confluentCode: 40903 },
  limit_exceeded: { status: 429, confluentCode: 42901 },
  kafka_rejected: { status: 400, confluentCode: 40002 },
  kafka_unavailable: { status: 503, confluentCode: 50302 },
  kafka_error: { status: 500, confluentCode: 50002 },
  invalid_schema: { status: 422, confluentCode: 42205 },
  serialization_failed: { status: 422, confluentCode: 42207 },
  // Confluent answers 42207 here too; the request is sound and worth retrying, so it is a 503 (a code of our own).
  schema_registry_unavailable: { status: 503, confluentCode: 50303 },
  internal: { status: 500, confluentCode: 500 },
};

/** Upstash's validation failures are plain 400s: it has no 422. */
const UPSTASH_STATUS_OVERRIDES: Partial<Record<ErrorKind, number>> = { invalid_payload: 400, invalid_batch: 400 };

export interface ErrorResponse {
  readonly status: number;
  readonly body: { error_code: number; message: string } | { error: string; status: number };
}

export function errorResponse(dialect: Dialect, kind: ErrorKind, message: string): ErrorResponse {
  const mapping = MAPPINGS[kind];
  if (dialect === 'upstash') {
    const status = UPSTASH_STATUS_OVERRIDES[kind] ?? mapping.status;
    return { status, body: { error: message, status } };
  }
  return { status: mapping.status, body: { error_code: mapping.confluentCode, message } };
}
