/** Human-readable text for Ajv validation errors, naming the field the client got wrong. */
import type { ErrorObject } from 'ajv';

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
