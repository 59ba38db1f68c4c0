/**
 * Everything the harness starts registers how to stop it here; the tasks run in reverse order at the end of the
 * run, on failure, and on Ctrl-C. Each child process also has a synchronous 'exit' hook (see processes.ts) in case
 * Node goes down without running these.
 */

type Log = (line: string) => void;

interface Task {
  readonly name: string;
  readonly run: () => Promise<void>;
}

const TASK_TIMEOUT_MS = 30_000;

export class Cleanup {
  private tasks: Task[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: Log) {}

  /** Registers a task; the returned function runs it now (once) and unregisters it. */
  add(name: string, run: () => Promise<void>): () => Promise<void> {
    const task: Task = { name, run };
    this.tasks.push(task);
    return async () => {
      if (!this.tasks.includes(task)) return;
      this.tasks = this.tasks.filter((t) => t !== task);
      await run();
    };
  }

  /** Runs every registered task, newest first; a task that fails or hangs does not stop the others. Idempotent. */
  runAll(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.tasks.length > 0) {
      const task = this.tasks.pop()!;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TASK_TIMEOUT_MS} ms`)), TASK_TIMEOUT_MS);
      });
      try {
        await Promise.race([task.run(), timeout]);
      } catch (error) {
        this.log(`cleanup of ${task.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
