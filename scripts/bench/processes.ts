/** Child processes the harness starts (the proxy, the bridge, JVM tools), free ports, polling, and RSS. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { guardChild, signalQuietly } from '../../src/process/watchdog.js';

export type Log = (line: string) => void;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface ServiceOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** stdout and stderr go to this file, so the child never blocks on a pipe nobody reads. */
  readonly logFile: string;
}

/**
 * A long-running child process: its own process group (a terminal Ctrl-C reaches only us), output to a file; it
 * never outlives the harness (guardChild).
 */
export class ChildService {
  readonly exited: Promise<void>;
  private hasExited = false;
  private exitCode: number | null = null;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly logFile: string,
  ) {
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code) => {
        this.hasExited = true;
        this.exitCode = code;
        resolve();
      });
    });
  }

  static async start(name: string, command: string, args: readonly string[], options: ServiceOptions): Promise<ChildService> {
    const output = openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', output, output] });
    } finally {
      closeSync(output);
    }
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot run ${command}: ${error.message}`);
    }
    child.unref();
    // Killed with the harness, even when it dies without running its 'exit' hooks.
    guardChild(child, `bench-${name}-watchdog`);
    return new ChildService(name, child, child.pid, options.logFile);
  }

  get isRunning(): boolean {
    return !this.hasExited;
  }

  /** Why it is not running, with the end of its log. */
  async exitReport(): Promise<string> {
    const log = await readFile(this.logFile, 'utf8').catch(() => '');
    return `${this.name} exited (code ${this.exitCode ?? this.child.signalCode}); last lines of ${this.logFile}:\n${log.trimEnd().split('\n').slice(-20).join('\n')}`;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs = 15_000): Promise<void> {
    this.stopping ??= (async () => {
      if (this.hasExited) return;
      signalQuietly(this.pid, 'SIGTERM');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        signalQuietly(this.pid, 'SIGKILL');
        await this.exited;
      }
    })();
    return this.stopping;
  }
}

export { freePort } from '../lib/free-port.js';

/** Polls `check` until it returns true; fails after `timeoutMs`, or at once when `service` exits meanwhile. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; service?: ChildService },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'not yet';
  while (Date.now() < deadline) {
    if (options.service && !options.service.isRunning) throw new Error(`${what}: ${await options.service.exitReport()}`);
    try {
      if (await check()) return;
    } catch (error) {
      lastError = errorMessage(error);
    }
    await sleep(options.intervalMs ?? 100);
  }
  throw new Error(`${what}: not within ${options.timeoutMs} ms (last: ${lastError})`);
}

/** Resident set size of a process, from /proc/<pid>/status (VmRSS), in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on every Linux build that matters). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat; undefined where unreadable. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}
