/**
 * A lock file between processes that fetch the same download (Kafka's jars, the local Schema Registry): it holds
 * the owner's pid and is taken over once that owner died or the lock is older than half an hour.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode, isAlive } from './system.js';
import type { Log } from './system.js';

const LOCK_STALE_MS = 30 * 60_000;

export interface LockFile {
  readonly path: string;
  release(): Promise<void>;
}

async function isStaleLock(path: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number.parseInt(content, 10);
    return !Number.isInteger(pid) || !isAlive(pid) || Date.now() - info.mtimeMs > LOCK_STALE_MS;
  } catch {
    return false; // released meanwhile: just try again
  }
}

/**
 * An exclusive lock file holding our pid, taken over when its owner died. Taking over a stale lock can race with
 * another waiter; that only costs a duplicate download, because downloads are published by an atomic rename.
 */
export async function acquireLock(path: string, log: Log): Promise<LockFile> {
  let announced = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { path, release: () => rm(path, { force: true }) };
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    if (await isStaleLock(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (!announced) log(`waiting for another process that holds the lock ${path}`);
    announced = true;
    await sleep(500);
  }
}
