/** What the proxy said while under load (its warn/error log lines), and where its CPU time went (--profile). */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface LogSummary {
  readonly warnings: number;
  readonly errors: number;
  /** The most frequent messages, most frequent first. */
  readonly top: readonly { readonly message: string; readonly count: number }[];
}

/** Counts pino's JSON lines at warn (40) and above in a log file. */
export async function summarizeProxyLog(path: string): Promise<LogSummary> {
  const text = await readFile(path, 'utf8').catch(() => '');
  let warnings = 0;
  let errors = 0;
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 40) continue;
    if ((entry.level ?? 0) >= 50) errors++;
    else warnings++;
    const message = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.slice(0, 160);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  const top = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([message, count]) => ({ message, count }));
  return { warnings, errors, top };
}

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly location: string;
  readonly selfMs: number;
  /** Share of the non-idle samples. */
  readonly share: number;
}

function shortLocation(url: string, line: number): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  const short = inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : path.replace(/^.*\/(src|generated)\//, '$1/');
  return `${short}:${line + 1}`;
}

/** The functions with the most self time in one .cpuprofile file, and the busy (non-idle) time in all. */
export async function summarizeCpuProfile(file: string, limit = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const selfMicros = new Map<string, { name: string; location: string; micros: number }>();
  let busyMicros = 0;
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const microsPerHit = totalHits === 0 ? 0 : (profile.endTime - profile.startTime) / totalHits;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const name = node.callFrame.functionName || '(anonymous)';
    if (hits === 0 || name === '(idle)') continue;
    const location = shortLocation(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${name}@${location}`;
    const entry = selfMicros.get(key) ?? { name, location, micros: 0 };
    entry.micros += hits * microsPerHit;
    selfMicros.set(key, entry);
    busyMicros += hits * microsPerHit;
  }
  const top = [...selfMicros.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit)
    .map((e) => ({ name: e.name, location: e.location, selfMs: e.micros / 1000, share: busyMicros > 0 ? e.micros / busyMicros : 0 }));
  return { busyMs: busyMicros / 1000, wallMs: (profile.endTime - profile.startTime) / 1000, top };
}

export interface ProfileSummary {
  /** Sampled time the process was not idle. */
  readonly busyMs: number;
  readonly wallMs: number;
  readonly top: readonly ProfileEntry[];
}

export interface ScenarioProfile extends ProfileSummary {
  readonly scenario: string;
}

/**
 * CPU profiles of the proxy one scenario at a time, through profile-preload.mjs in its process: SIGUSR2 starts a
 * profile, the next one writes it as <n>.cpuprofile, which is renamed after the scenario.
 */
export class ScenarioProfiler {
  private written = 0;

  constructor(
    private readonly pid: number,
    private readonly dir: string,
  ) {}

  start(): void {
    process.kill(this.pid, 'SIGUSR2');
  }

  async stop(scenario: string): Promise<ScenarioProfile> {
    process.kill(this.pid, 'SIGUSR2');
    this.written += 1;
    const file = join(this.dir, `${this.written}.cpuprofile`);
    const deadline = Date.now() + 30_000;
    while (!(await readFile(file).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error(`no CPU profile ${file} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const named = join(this.dir, `${scenario}.cpuprofile`);
    await rename(file, named);
    return { scenario, ...(await summarizeCpuProfile(named)) };
  }
}
