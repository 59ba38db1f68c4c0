/**
 * Children that never outlive the Node process that started them: a detached `sh` watchdog per child terminates
 * it when Node dies without running any hook (SIGKILL, default SIGINT handling, a crash), and `guardChild` adds the
 * synchronous 'exit' hook for the ordinary ends. Used by the local broker, the local Schema Registry, and the
 * processes the tests and benchmarks start (proxy nodes, HAProxy).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Polls every second while every watched pid and the child are alive; once a watched pid is gone but the child is
 * not, terminates the child (SIGCONT first: a stopped process acts on nothing else; SIGKILL after 20 s) and deletes
 * its directory, if it has one. $0 is a label for `ps`; $1 the watched pids (space-separated), $2 the child's pid,
 * $3 the directory ('' for none), passed as arguments so nothing needs quoting.
 */
const WATCHDOG_SCRIPT = `
watched=$1; child=$2; dir=$3
alive() { for p in $watched; do kill -0 "$p" 2>/dev/null || return 1; done; }
while alive && kill -0 "$child" 2>/dev/null; do sleep 1; done
alive && exit 0
kill -CONT "$child" 2>/dev/null
kill -TERM "$child" 2>/dev/null
i=0
while kill -0 "$child" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 1; i=$((i+1)); done
kill -KILL "$child" 2>/dev/null
[ -n "$dir" ] && rm -rf "$dir"
exit 0
`;

/**
 * `watched`: the processes whose end ends the child; by default this one. A test worker also names its parent (the
 * test runner), which may be killed while the worker lives on.
 */
export function spawnWatchdog(childPid: number, dir: string, label: string, watched: readonly number[] = [process.pid]): ChildProcess {
  const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, label, watched.join(' '), String(childPid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

/** Ends the watchdog; its process group includes the `sleep` it may be waiting on. */
export function stopWatchdog(watchdog: ChildProcess): void {
  if (watchdog.pid !== undefined) signalQuietly(-watchdog.pid, 'SIGKILL');
}

/**
 * Makes `child` die with this process: SIGKILLed by an 'exit' hook, terminated by a watchdog when this process (or
 * another of `watched`) dies without hooks. Both are removed once the child exits.
 */
export function guardChild(child: ChildProcess, label: string, watched?: readonly number[]): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const watchdog = spawnWatchdog(pid, '', label, watched);
  const killOnNodeExit = (): void => {
    signalQuietly(pid, 'SIGCONT');
    signalQuietly(pid, 'SIGKILL');
  };
  process.on('exit', killOnNodeExit);
  child.once('exit', () => {
    process.off('exit', killOnNodeExit);
    stopWatchdog(watchdog);
  });
}
