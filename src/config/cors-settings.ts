/**
 * Cross-origin requests from browsers: Confluent's `access.control.allow.*` settings (rows of the settings table)
 * and the one value they make together.
 */
import { InvalidValue, listOf } from './parsers.js';
import type { Parser } from './parsers.js';
import { setting } from './setting.js';
import type { SettingValues } from './settings.js';

/** Absent: CORS is off. */
export interface CorsConfig {
  /** `*`, or origins such as `https://app.example.com`, where `*` matches any characters (`https://*.example.com`). */
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
}

/** Every method the dialects use, when `access.control.allow.methods` is empty. */
export const CORS_DEFAULT_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
/**
 * When `access.control.allow.headers` is empty: Jetty's defaults (Confluent's), plus what browser clients of these
 * APIs send — Basic auth, a request id, and the Upstash consumer headers.
 */
export const CORS_DEFAULT_HEADERS: readonly string[] = [
  'X-Requested-With', 'Content-Type', 'Accept', 'Origin', 'Authorization', 'X-Request-Id',
  'Kafka-Enable-Auto-Commit', 'Kafka-Auto-Commit-Interval', 'Kafka-Auto-Offset-Reset', 'Kafka-Session-Timeout-Ms',
];

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const origin: Parser<string> = {
  allowed: 'an origin like https://app.example.com, or *',
  parse: (value) => {
    if (value === '*' || /^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i.test(value)) return value;
    throw new InvalidValue(`'${value}' is not an origin like https://app.example.com (or *)`);
  },
};

const token: Parser<string> = {
  allowed: 'a method or header name',
  parse: (value) => {
    if (HTTP_TOKEN.test(value)) return value;
    throw new InvalidValue(`'${value}' is not a method or header name`);
  },
};

export const CORS_SETTINGS = {
  'access.control.allow.origin': setting({
    default: '',
    doc: 'CORS for browser pages: `*`, or a comma list of origins such as https://app.example.com (`*` matches any characters). Empty: CORS is off.',
    details: 'See [CORS](#cors). Preflights are answered on every mount point; a request from an origin that is not allowed gets 403 in its dialect\'s envelope.',
    parser: listOf(origin, 'comma-separated origins, or *'),
  }),
  'access.control.allow.methods': setting({
    default: '',
    doc: `Methods a preflight allows. Empty: ${CORS_DEFAULT_METHODS.join(',')}.`,
    parser: listOf(token, 'comma-separated method names'),
  }),
  'access.control.allow.headers': setting({
    default: '',
    doc: 'Request headers a preflight allows. Empty: X-Requested-With, Content-Type, Accept, Origin, Authorization, X-Request-Id and the Upstash Kafka-* consumer headers.',
    parser: listOf(token, 'comma-separated header names'),
  }),
};

export function corsConfig(values: SettingValues): CorsConfig | undefined {
  const allowOrigins = values['access.control.allow.origin'];
  if (allowOrigins.length === 0) return undefined;
  const methods = values['access.control.allow.methods'];
  const headers = values['access.control.allow.headers'];
  return {
    allowOrigins,
    allowMethods: methods.length > 0 ? methods.map((m) => m.toUpperCase()) : [...CORS_DEFAULT_METHODS],
    allowHeaders: headers.length > 0 ? headers : [...CORS_DEFAULT_HEADERS],
  };
}
