/**
 * The broker's JVM: formatting its storage, launching it in its own process group with a watchdog, and every way
 * of tearing it down.
 *
 * No broker outlives its Node process: shutdown() terminates it, a synchronous 'exit' hook SIGKILLs it, and a
 * detached `sh` watchdog (src/process/watchdog.ts) terminates it when Node dies without running any hook (SIGKILL, default SIGINT handling,
 * a crash).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../../process/run-command.js';
import { logTails } from './broker-config.js';
import type { BrokerFiles } from './broker-config.js';
import { signalQuietly, spawnWatchdog, stopWatchdog } from '../../process/watchdog.js';
import type { Log } from './system.js';

const STOP_GRACE_MS = 20_000;
const BROKER_JVM_OPTIONS = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];
// The storage tool lives for a second: a small heap and the C1 compiler only start it noticeably faster.
const TOOL_JVM_OPTIONS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

export function javaBinary(): string {
  return process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin', 'java') : 'java';
}

function classpathArgs(libsDir: string, files: BrokerFiles): string[] {
  // The JVM expands `dir/*` itself; no shell is involved.
  return ['-cp', join(libsDir, '*'), `-Dlog4j.configuration=file:${files.log4jProperties}`];
}

/** Runs kafka.tools.StorageTool to completion and returns its stdout. */
async function runStorageTool(libsDir: string, files: BrokerFiles, args: readonly string[]): Promise<string> {
  const toolArgs = [...TOOL_JVM_OPTIONS, ...classpathArgs(libsDir, files), 'kafka.tools.StorageTool', ...args];
  return (await runChecked(javaBinary(), toolArgs, { cwd: files.dir, timeoutMs: 120_000 })).stdout;
}

export async function formatStorage(libsDir: string, files: BrokerFiles): Promise<void> {
  const generatedId = (await runStorageTool(libsDir, files, ['random-uuid'])).trim();
  if (!/^[A-Za-z0-9_-]{22}$/.test(generatedId)) throw new Error(`unexpected output of random-uuid: ${generatedId}`);
  await runStorageTool(libsDir, files, ['format', '-t', generatedId, '-c', files.serverProperties]);
}

/** Raised when the JVM exits while starting; `portTaken` tells a lost port race from a real failure. */
export class BrokerExitedError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
    this.name = 'BrokerExitedError';
  }
}

/** The broker JVM, its watchdog and its directory, with every way of tearing them down. */
export class BrokerProcess {
  private readonly exited: Promise<void>;
  private hasExited = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly killOnNodeExit = (): void => this.killNow();

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly watchdog: ChildProcess,
    readonly files: BrokerFiles,
    exited: Promise<void>,
  ) {
    this.exited = exited.then(() => {
      this.hasExited = true;
    });
    process.on('exit', this.killOnNodeExit);
  }

  /**
   * The JVM runs in its own process group, so a Ctrl-C in the terminal reaches only Node, which decides when to
   * stop the broker; its output goes to a file rather than a pipe, so it never depends on Node reading it. It is
   * unref'd: a forgotten broker does not keep Node alive, and the 'exit' hook then kills it.
   */
  static async launch(libsDir: string, files: BrokerFiles): Promise<BrokerProcess> {
    const output = openSync(files.consoleLog, 'a');
    let child: ChildProcess;
    try {
      const args = [...BROKER_JVM_OPTIONS, ...classpathArgs(libsDir, files), 'kafka.Kafka', files.serverProperties];
      child = spawn(javaBinary(), args, { cwd: files.dir, detached: true, stdio: ['ignore', output, output] });
    } finally {
      closeSync(output);
    }
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot run java: ${error.message}`);
    }
    child.unref();
    return new BrokerProcess(child, child.pid, spawnWatchdog(child.pid, files.dir, 'local-kafka-watchdog'), files, exited);
  }

  get isRunning(): boolean {
    return !this.hasExited;
  }

  async exitedError(): Promise<BrokerExitedError> {
    const tails = await logTails(this.files);
    const reason = this.child.exitCode ?? this.child.signalCode;
    const portTaken = /BindException|Address already in use/.test(tails);
    return new BrokerExitedError(`Kafka exited while starting (${reason}):\n${tails}`, portTaken);
  }

  shutdown(log: Log): Promise<void> {
    this.shutdownPromise ??= this.terminate(log);
    return this.shutdownPromise;
  }

  private async terminate(log: Log): Promise<void> {
    if (!this.hasExited) {
      signalQuietly(this.pid, 'SIGTERM');
      if (!(await this.waitForExit(STOP_GRACE_MS))) {
        log(`Kafka (pid ${this.pid}) did not stop within ${STOP_GRACE_MS} ms of SIGTERM: killing it`);
        signalQuietly(this.pid, 'SIGKILL');
        await this.exited;
      }
    }
    this.stopWatchdog();
    process.off('exit', this.killOnNodeExit);
    await rm(this.files.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  private waitForExit(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** SIGKILL, leaving the directory in place (see LocalBroker.kill). */
  async kill(): Promise<void> {
    signalQuietly(this.pid, 'SIGKILL');
    await this.exited;
    this.stopWatchdog();
    process.off('exit', this.killOnNodeExit);
  }

  private stopWatchdog(): void {
    stopWatchdog(this.watchdog);
  }

  /**
   * Only synchronous calls: this runs in process.on('exit'). The watchdog is left alone: once Node is gone it
   * deletes the directory again, in case the dying JVM still wrote to it after rmSync.
   */
  private killNow(): void {
    if (!this.hasExited) signalQuietly(this.pid, 'SIGKILL');
    rmSync(this.files.dir, { recursive: true, force: true });
  }
}
