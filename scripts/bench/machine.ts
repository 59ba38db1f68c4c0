/** The machine and software versions a run measured on, for the report. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KAFKA_VERSION, javaBinary } from '../../src/kafka/local-broker.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly java: string;
  readonly kafka: string;
  readonly kafkajs: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  readonly loadAtStart: number;
}

function javaVersion(): string {
  const result = spawnSync(javaBinary(), ['-version'], { encoding: 'utf8' });
  return (result.stderr || result.stdout || 'unknown').split('\n')[0]!.trim();
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

export function describeMachine(): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    kernel: release(),
    node: process.version,
    java: javaVersion(),
    kafka: DEFAULT_KAFKA_VERSION,
    kafkajs: packageVersion('kafkajs'),
    loadAtStart: loadavg()[0] ?? Number.NaN,
  };
}
