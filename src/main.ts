#!/usr/bin/env node
/**
 * The `kafka-rest-ts` command (and `npm start`): serves by default; `--help`, `--version` and `hash-password`
 * do not load the server.
 */
import { parseCommand } from './cli/command-line.js';

const command = parseCommand(process.argv.slice(2));
if (command.kind === 'help') {
  const { renderHelp } = await import('./cli/help.js');
  process.stdout.write(renderHelp());
} else if (command.kind === 'version') {
  const { packageVersion } = await import('./cli/help.js');
  process.stdout.write(`${packageVersion()}\n`);
} else if (command.kind === 'hash-password') {
  const { hashPasswordCommand } = await import('./cli/hash-password.js');
  process.exitCode = await hashPasswordCommand();
} else {
  const { serve } = await import('./cli/serve.js');
  await serve(command.argv);
}
