/**
 * Runs an external tool (mvn, java, go, python, tsc) to completion, capturing what it prints — the one runner the
 * local broker, the benchmarks and the SDK scripts share.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CommandOptions {
  readonly cwd: string;
  /** Merged over this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The whole process group is killed after this long; default 10 minutes. */
  readonly timeoutMs?: number;
  /** Each line it prints (stdout and stderr, colour codes removed), as it prints it. */
  readonly log?: (line: string) => void;
}

// Maven's launcher emits colour resets even in batch mode with colours off.
const stripColours = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

export interface CommandResult {
  readonly command: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Resolves with the exit code and output, whatever the code; rejects only when the command cannot be started. */
export async function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  // Its own process group, so a timeout (or Node exiting) also ends what it started: mvn's and go's children.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const killOnExit = (): void => killGroup(child.pid);
  process.on('exit', killOnExit);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const log = options.log;
  if (log) {
    const forward = (raw: string): void => {
      const line = stripColours(raw).trimEnd();
      if (line.trim() !== '') log(line);
    };
    createInterface({ input: child.stdout }).on('line', forward);
    createInterface({ input: child.stderr }).on('line', forward);
  }
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
      child.once('close', resolve);
    });
    return { command: [command, ...args].join(' '), code, stdout, stderr, durationMs: Date.now() - started, timedOut };
  } finally {
    clearTimeout(timer);
    process.off('exit', killOnExit);
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Like runCommand, but rejects (with the end of its output) when the command does not exit with 0. */
export async function runChecked(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const output = stripColours(tail(`${result.stdout}\n${result.stderr}`, 60));
    const outcome = result.timedOut ? `was killed after ${result.durationMs} ms` : `exited with ${result.code}`;
    throw new Error(`${result.command} (in ${options.cwd}) ${outcome}:\n${output}`);
  }
  return result;
}
