/**
 * `kafka-rest-ts hash-password`: reads a password on stdin and prints its scrypt hash, to put in the users file
 * as the user's "password". At a terminal it asks twice without echoing; piped, it takes the first line. A
 * password on the command line would be seen by every user of the machine (ps), so there is no such option.
 */
import { createInterface } from 'node:readline';
import { hashPassword } from '../auth/password-hash.js';

async function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}

/** Reads one line from the terminal, echoing nothing of it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = '';
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\u0003') process.exit(130); // Ctrl-C
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await firstLine(process.stdin);
    if (line === undefined) throw new Error('no password on stdin');
    return line;
  }
  const password = await askHidden('Password: ');
  if ((await askHidden('Again: ')) !== password) throw new Error('the two passwords differ');
  return password;
}

export async function hashPasswordCommand(): Promise<number> {
  try {
    const password = await readPassword();
    if (password === '') throw new Error('the password is empty');
    process.stdout.write(`${await hashPassword(password)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`hash-password: ${(error as Error).message}\n`);
    return 1;
  }
}
