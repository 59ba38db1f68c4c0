/** What every part of the configuration parses its raw string values with, and the error a bad one raises. */

/** A bad setting: `main` prints its message as one line (naming the setting), never a stack trace. */
export class ConfigError extends Error {}

export type RawConfig = Record<string, string>;

export function positiveInteger(raw: RawConfig, key: string): number {
  const value = Number(raw[key]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${key} must be a positive integer, got '${raw[key]}'`);
  return value;
}

export function booleanFlag(raw: RawConfig, key: string): boolean {
  const value = (raw[key] ?? '').trim().toLowerCase();
  if (value !== 'true' && value !== 'false') throw new ConfigError(`${key} must be true or false, got '${raw[key]}'`);
  return value === 'true';
}
