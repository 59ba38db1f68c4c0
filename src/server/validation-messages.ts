/** Human-readable text for Ajv validation errors, naming the field the client got wrong. */
import type { ErrorObject } from 'ajv';
import type { Dialect } from '../../generated/operations.js';
import type { ErrorKind } from '../errors/domain-error.js';

export const HTTP_METHODS_UPPER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .replace(/^\/requestBody/, 'body')
    .replace(/^\/(query|path|header)\//, '$1 parameter ')
    .replace(/\//g, '.');
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  if (missing) return `${path || 'body'}.${missing}`.replace(/^(query|path|header) parameter \./, '$1 parameter ');
  if (extra) return `${path || 'body'}.${extra}`;
  return path || 'request';
}

export function validationMessage(errors: readonly ErrorObject[]): string {
  if (errors.length === 0) return 'Request is invalid.';
  const parts = errors.slice(0, 5).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return extra ? `${fieldOf(e)} is not a known field` : `${fieldOf(e)} ${e.message ?? 'is invalid'}`;
  });
  return `Invalid request: ${parts.join('; ')}.`;
}

/**
 * Body errors are Confluent's 422/42206 "payload error", except text that is not valid base64 (400, as Confluent
 * answers a binary record it cannot decode) and, in v2, a value of the wrong JSON type (400: Confluent's JSON
 * mapping error); in v2 a path parameter that does not parse names no resource (404, as in Confluent); other
 * parameter errors and all Upstash errors are 400.
 */
export function validationKind(errors: readonly ErrorObject[], dialect: Dialect): ErrorKind {
  if (dialect === 'upstash') return 'bad_request';
  if (dialect === 'v2' && errors.length > 0 && errors.every((e) => e.instancePath.startsWith('/path/'))) return 'route_not_found';
  const inBody = errors.some((e) => e.instancePath.startsWith('/requestBody'));
  const badBase64 = errors.some((e) => e.keyword === 'format' && (e.params as { format?: string }).format === 'byte');
  const wrongType = dialect === 'v2' && errors.some((e) => e.keyword === 'type');
  return inBody && !badBase64 && !wrongType ? 'invalid_payload' : 'bad_request';
}
