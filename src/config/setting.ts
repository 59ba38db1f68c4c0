/** One entry of the settings table (settings.ts); its own file so that groups of settings can live beside their code. */
import type { Parser } from './parsers.js';

export interface Setting<T = unknown, F extends string = string> {
  /** The ProxyConfig member that holds the parsed value; none when other settings' code combines it. */
  readonly field?: F;
  /** As text, parsed like any other value; '' is "not set". */
  readonly default: string;
  /** Shown instead of the default where it needs words (docs and --help). */
  readonly defaultText?: string;
  /** One line: what it does (--help and the docs). */
  readonly doc: string;
  /** More for the docs table (markdown), when one line is not enough. */
  readonly details?: string;
  readonly parser: Parser<T>;
}

export function setting<T, F extends string = never>(entry: Setting<T, F>): Setting<T, F> {
  return entry;
}

export const pathText: Parser<string> = { allowed: 'a file path', parse: (value) => value };
export const secretText: Parser<string> = { allowed: 'a password', parse: (value) => value };
