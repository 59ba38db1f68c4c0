/**
 * The one error type the core and the adapters raise. Each dialect turns a kind into its own status and
 * envelope (see dialect-errors.ts); nothing here knows about HTTP bodies.
 */
export type ErrorKind =
  | 'bad_request'
  | 'invalid_payload'
  | 'key_schema_missing'
  | 'value_schema_missing'
  | 'invalid_batch'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'not_acceptable'
  | 'not_acceptable_format'
  | 'payload_too_large'
  | 'request_timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'cluster_not_found'
  | 'topic_not_found'
  | 'partition_not_found'
  | 'consumer_instance_not_found'
  | 'conflict'
  | 'consumer_already_exists'
  | 'illegal_state'
  | 'limit_exceeded'
  | 'kafka_rejected'
  | 'kafka_unavailable'
  | 'kafka_error'
  | 'invalid_schema'
  | 'serialization_failed'
  | 'schema_registry_unavailable'
  | 'internal';

export class DomainError extends Error {
  readonly kind: ErrorKind;
  /** Extra response headers the error needs (e.g. `Allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(kind: ErrorKind, message: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.kind = kind;
    this.headers = options.headers ?? {};
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
