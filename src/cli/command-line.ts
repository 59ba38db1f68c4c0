/** What `kafka-rest-ts …` was asked to do: serve (the default), print help or the version, or hash a password. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'hash-password' }
  /** The arguments left for the settings: a properties file and `--<setting>=<value>` flags. */
  | { readonly kind: 'serve'; readonly argv: readonly string[] };

export function parseCommand(argv: readonly string[]): Command {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { kind: 'help' };
  if (argv.some((arg) => arg === '--version' || arg === '-V')) return { kind: 'version' };
  if (argv[0] === 'hash-password') return { kind: 'hash-password' };
  return { kind: 'serve', argv };
}
