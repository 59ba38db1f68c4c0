/** A setting the proxy cannot start with: one line naming the setting, where its value came from, and the problem. */
export class ConfigError extends Error {
  constructor(
    readonly problem: string,
    readonly setting?: string,
    readonly origin?: string,
  ) {
    super(setting === undefined ? problem : `${setting}${origin ? ` (${origin})` : ''}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Throws a ConfigError about `setting`, naming where its value came from. */
export type Fail = (setting: string, problem: string) => never;
