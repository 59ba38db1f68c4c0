/**
 * Finds a Java runtime of at least a given version: `$JAVA_HOME`, then `java` on the PATH, then the JDKs installed
 * under /usr/lib/jvm (Debian's default java may be older than what Apicurio Registry needs, while a newer JDK sits
 * beside it).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../process/run-command.js';

const JVM_DIR = '/usr/lib/jvm';

export interface JavaRuntime {
  readonly binary: string;
  readonly major: number;
}

/** `openjdk version "17.0.15"`, `version "25.0.3"`, `version "1.8.0_392"` → 17, 25, 8. */
export function javaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

async function probe(binary: string): Promise<JavaRuntime | undefined> {
  try {
    const result = await runCommand(binary, ['-version'], { cwd: '/', timeoutMs: 30_000 });
    const major = result.code === 0 ? javaMajor(`${result.stderr}\n${result.stdout}`) : undefined;
    return major === undefined ? undefined : { binary, major };
  } catch {
    return undefined; // not there, or not runnable
  }
}

async function candidates(): Promise<string[]> {
  const home = process.env['JAVA_HOME'];
  let installed: string[] = [];
  try {
    installed = (await readdir(JVM_DIR)).sort().reverse().map((name) => join(JVM_DIR, name, 'bin', 'java'));
  } catch {
    // no /usr/lib/jvm on this system
  }
  return [...(home ? [join(home, 'bin', 'java')] : []), 'java', ...installed];
}

/** The first runtime found of version `minimum` or newer. */
export async function findJava(minimum: number): Promise<JavaRuntime | undefined> {
  for (const binary of await candidates()) {
    const runtime = await probe(binary);
    if (runtime && runtime.major >= minimum) return runtime;
  }
  return undefined;
}
