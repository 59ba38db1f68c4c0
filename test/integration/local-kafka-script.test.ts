/**
 * `npm run kafka -- --port N` (scripts/kafka.ts): the local broker on an address that stays the same across runs,
 * checked with kcat as an independent client; a port that is taken is refused in one line, before any JVM starts.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';

const run = promisify(execFile);

function startScript(args: readonly string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/kafka.ts', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm run kafka -- --port N', { timeout: 150_000 }, () => {
  it('runs the broker at 127.0.0.1:N, which kcat reaches, and stops on SIGINT', async () => {
    const port = await freePort();
    const script = startScript(['--port', String(port)]);
    try {
      await expect.poll(() => script.output(), { timeout: 120_000, interval: 250 }).toContain('Ctrl-C stops it.');
      expect(script.output()).toContain(`bootstrap servers: 127.0.0.1:${port}`);
      const { stdout } = await run('kcat', ['-L', '-b', `127.0.0.1:${port}`, '-m', '10'], { timeout: 30_000 });
      expect(stdout).toContain(`broker 1 at 127.0.0.1:${port}`);
      const exited = exitOf(script.child);
      script.child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      script.child.kill('SIGKILL');
    }
  });

  it('refuses a port another process holds, in one line and with exit 1', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    try {
      const script = startScript([`--port=${port}`]);
      expect(await exitOf(script.child)).toBe(1);
      expect(script.output().trim()).toBe(`[local-kafka] port ${port} on 127.0.0.1 is already in use: Kafka cannot listen there`);
    } finally {
      holder.close();
    }
  });

  it('refuses a port that is not a number (exit 2, with the usage)', async () => {
    const script = startScript(['--port', 'ninety']);
    expect(await exitOf(script.child)).toBe(2);
    expect(script.output()).toContain("--port needs a port number from 1 to 65535, got 'ninety'");
    expect(script.output()).toContain('usage: npm run kafka [-- --port N]');
  });
});
