/**
 * How a setting's text becomes its value. Each parser says in a few words what it accepts (`allowed`, shown by
 * `--help` and in errors) and throws `InvalidValue` with the problem otherwise; the caller adds which setting and
 * where it came from. A parser never quotes a value it refuses when the value may hold a secret.
 */

export interface Parser<T> {
  readonly allowed: string;
  parse(text: string): T;
}

/** A value a parser refuses: the problem, without the setting's name or source. */
export class InvalidValue extends Error {}

export const text: Parser<string> = { allowed: 'any text', parse: (value) => value };

export const positiveInteger: Parser<number> = {
  allowed: 'a positive integer',
  parse: (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n <= 0) throw new InvalidValue(`must be a positive integer, got '${value}'`);
    return n;
  },
};

/** A positive integer, or no cap at all (Infinity) when empty. */
export const optionalCap: Parser<number> = {
  allowed: 'a positive integer, or empty for no cap',
  parse: (value) => (value.trim() === '' ? Number.POSITIVE_INFINITY : positiveInteger.parse(value)),
};

/** One of `values`, matched case-insensitively and returned as spelled in `values`. */
export function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  const shown = values.map((v) => (v === '' ? '(empty)' : v)).join(', ');
  return {
    allowed: `one of ${shown}`,
    parse: (value) => {
      const found = values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
      if (found === undefined) throw new InvalidValue(`must be one of ${shown}, got '${value}'`);
      return found;
    },
  };
}

/** Comma-separated items, blanks dropped. */
export function listOf<T>(item: Parser<T>, allowed: string): Parser<T[]> {
  return {
    allowed,
    parse: (value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map((s) => item.parse(s)),
  };
}

export const urlPathPrefix: Parser<string> = {
  allowed: 'a path such as /upstash',
  parse: (value) => {
    const prefix = value.replace(/\/+$/, '');
    if (!/^\/[A-Za-z0-9._~\-/]+$/.test(prefix)) throw new InvalidValue(`must be a path like /upstash, got '${value}'`);
    return prefix;
  },
};

/** An absolute URL without its trailing slashes. */
export const absoluteUrl: Parser<string> = {
  allowed: 'a URL',
  parse: (value) => {
    try {
      return new URL(value).toString().replace(/\/+$/, '');
    } catch {
      throw new InvalidValue(`'${value}' is not a URL`);
    }
  },
};
