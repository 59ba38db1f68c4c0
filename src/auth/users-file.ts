/**
 * The users file, kept current: read at start (a broken file stops the start), then re-read when it changes
 * (its directory is watched, so editors that replace the file and Kubernetes' symlink swaps are seen too) and on
 * reload() (SIGHUP). New requests use the new users; a file that no longer parses keeps the users loaded before,
 * and the log says why.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { Credentials, readUsersFile } from './credentials.js';

const DEBOUNCE_MS = 200;

export class UsersFile {
  private current: Credentials;
  private lastText: string;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {
    this.lastText = readUsersFile(path);
    this.current = Credentials.fromText(this.lastText, path);
    this.warnAboutPlainText();
  }

  /** Throws CredentialsError when the file cannot be read or parsed. */
  static open(path: string, logger: Logger): UsersFile {
    const file = new UsersFile(path, logger.child({ component: 'auth.file' }));
    file.watch();
    return file;
  }

  get credentials(): Credentials {
    return this.current;
  }

  /** Re-reads the file now (SIGHUP); a change seen by the watcher does the same after a short debounce. */
  reload(trigger: 'SIGHUP' | 'change' = 'SIGHUP'): void {
    let text: string;
    let next: Credentials;
    try {
      text = readUsersFile(this.path);
      if (trigger === 'change' && text === this.lastText) return;
      next = Credentials.fromText(text, this.path);
    } catch (error) {
      this.logger.error(`auth.file ${this.path} not reloaded (${trigger}), keeping the ${this.current.size} users loaded before: ${(error as Error).message}`);
      return;
    }
    this.lastText = text;
    this.current = next;
    this.logger.info({ users: next.size }, `auth.file ${this.path} reloaded (${trigger}): ${next.size} users`);
    this.warnAboutPlainText();
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private warnAboutPlainText(): void {
    const plain = this.current.plainTextUsers();
    if (plain.length === 0) return;
    this.logger.warn(`auth.file ${this.path}: ${plain.length} user(s) with a plain-text password (${plain.join(', ')}): store a hash instead, printed by 'kafka-rest-ts hash-password'`);
  }

  private watch(): void {
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
        // Kubernetes swaps a `..data` symlink; other names in the directory are none of our business.
        if (changed === null || changed === name || changed.startsWith('..')) this.schedule();
      });
      this.watcher.on('error', (error) => this.cannotWatch(error));
    } catch (error) {
      this.cannotWatch(error as Error);
    }
  }

  private cannotWatch(error: Error): void {
    this.logger.warn(`auth.file ${this.path}: changes are not watched (${error.message}); send SIGHUP to re-read it`);
    this.close();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload('change'), DEBOUNCE_MS);
    this.timer.unref();
  }
}
