/**
 * Load at a fixed rate, evenly paced (open loop), from vegeta: one request every 1/rate s whatever the answers
 * take, over at most `connections` keep-alive connections, latency from when each request was due. autocannon's
 * `overallRate` is no such load: each connection sends as fast as it can until its share of the second is used,
 * then waits for the next second — at half the maximum rate that is full load for half of every second, and its
 * p99 is the full load's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked } from '../../src/process/run-command.js';
import type { LoadRun } from './http-load.js';
import { cpuMs } from './processes.js';
import type { HttpRequestSpec } from './subjects.js';

export interface PacedLoadOptions {
  readonly vegeta: string;
  readonly rate: number;
  readonly seconds: number;
  readonly connections: number;
  readonly serverPid?: number;
}

/** The parts of `vegeta report -type=json` used here (latencies in ns). */
interface VegetaReport {
  readonly latencies: { readonly '50th': number; readonly '99th': number };
  readonly duration: number;
  readonly wait: number;
  readonly status_codes: Readonly<Record<string, number>>;
}

const NS_PER_MS = 1e6;

/** vegeta's JSON target: the body base64-encoded, each header a list. */
function vegetaTarget(request: HttpRequestSpec): string {
  const header = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, [value]]));
  const body = request.body === undefined ? {} : { body: Buffer.from(request.body).toString('base64') };
  return `${JSON.stringify({ method: request.method, url: request.url, header, ...body })}\n`;
}

export async function runPacedLoad(request: HttpRequestSpec, options: PacedLoadOptions): Promise<LoadRun> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-paced-'));
  try {
    await writeFile(join(dir, 'targets.json'), vegetaTarget(request));
    const cpuBefore = options.serverPid === undefined ? undefined : cpuMs(options.serverPid);
    const attack = ['attack', '-format=json', '-targets=targets.json', `-rate=${Math.round(options.rate)}/1s`, `-duration=${options.seconds}s`];
    attack.push(`-max-connections=${options.connections}`, '-timeout=30s', '-output=results.bin');
    await runChecked(options.vegeta, attack, { cwd: dir, timeoutMs: (options.seconds + 60) * 1000 });
    const cpuAfter = options.serverPid === undefined ? undefined : cpuMs(options.serverPid);
    const { stdout } = await runChecked(options.vegeta, ['report', '-type=json', 'results.bin'], { cwd: dir });
    const report = JSON.parse(stdout) as VegetaReport;
    return figuresOf(report, cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function figuresOf(report: VegetaReport, serverCpuMs: number | undefined): LoadRun {
  const codes = report.status_codes;
  const count = (match: (code: string) => boolean): number => Object.entries(codes).reduce((sum, [code, n]) => sum + (match(code) ? n : 0), 0);
  const ok = count((code) => code.startsWith('2'));
  const errors = count((code) => code === '0'); // vegeta's code for a connection error or timeout
  const seconds = (report.duration + report.wait) / 1e9;
  return {
    requestsPerSecond: seconds > 0 ? ok / seconds : 0,
    p50Ms: report.latencies['50th'] / NS_PER_MS,
    p99Ms: report.latencies['99th'] / NS_PER_MS,
    non2xx: count((code) => !code.startsWith('2') && code !== '0'),
    errors,
    statusCodes: codes,
    ...(serverCpuMs === undefined || ok === 0 ? {} : { serverCpuMicrosPerRequest: (serverCpuMs * 1000) / ok }),
  };
}
