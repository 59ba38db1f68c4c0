/**
 * `npm test`: the checks (generated code up to date, spec lint, types), the quick contract run, then the vitest
 * suite — every step run even when one before it failed, so that a red run still says what else passed. CI's log is
 * read by a machine: the last line is `Tests: N passed, N failed`, the contract's operations and vitest's tests
 * together, a failed check counting as one failed test. Exits non-zero when anything failed.
 */
import { runCommand } from '../src/process/run-command.js';
import { PROJECT_ROOT } from '../src/project-paths.js';

/** The whole suite takes some 15 minutes; a hung step is ended well inside CI's limit. */
const STEP_TIMEOUT_MS = 40 * 60_000;

interface StepResult {
  readonly passed: number;
  readonly failed: number;
}

interface Step {
  readonly name: string;
  readonly command: readonly string[];
  /** Reads the step's counts from its closing line; a step without one counts as one check. */
  readonly counts?: RegExp;
}

const STEPS: readonly Step[] = [
  { name: 'generated code', command: ['npm', 'run', '--silent', 'check:generated'] },
  { name: 'spec lint', command: ['npm', 'run', '--silent', 'lint:spec'] },
  { name: 'types', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'contract', command: ['npx', 'tsx', 'scripts/contract.ts', '--quick'], counts: /^Contract: (\d+) passed, (\d+) failed/m },
  { name: 'vitest', command: ['npx', 'vitest', 'run'], counts: /^Tests: (\d+) passed, (\d+) failed/m },
];

/** Runs a step's command with its output passed through; its exit status and what it printed on stdout. */
async function run(command: readonly string[]): Promise<{ status: number; stdout: string }> {
  try {
    const result = await runCommand(command[0]!, command.slice(1), { cwd: PROJECT_ROOT, timeoutMs: STEP_TIMEOUT_MS, log: (line) => process.stdout.write(`${line}\n`) });
    if (result.timedOut) process.stdout.write(`${result.command}: ended after ${result.durationMs} ms\n`);
    return { status: result.code ?? 1, stdout: result.stdout };
  } catch (error) {
    process.stdout.write(`${(error as Error).message}\n`);
    return { status: 1, stdout: '' };
  }
}

async function runStep(step: Step): Promise<StepResult> {
  const { status, stdout } = await run(step.command);
  if (!step.counts) return status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  const found = [...stdout.matchAll(new RegExp(step.counts.source, 'gm'))].at(-1);
  if (!found) {
    process.stdout.write(`\n${step.name}: no closing count (exit ${status})\n`);
    return { passed: 0, failed: 1 };
  }
  const passed = Number(found[1]);
  const failed = Number(found[2]);
  // A step that failed without a failed test (a crash after its count) still fails the run.
  return { passed, failed: status !== 0 && failed === 0 ? 1 : failed };
}

async function main(): Promise<number> {
  let passed = 0;
  let failed = 0;
  const failedSteps: string[] = [];
  for (const step of STEPS) {
    const result = await runStep(step);
    passed += result.passed;
    failed += result.failed;
    if (result.failed > 0) failedSteps.push(step.name);
  }
  if (failedSteps.length > 0) process.stdout.write(`\nFailed: ${failedSteps.join(', ')}\n`);
  process.stdout.write(`\nTests: ${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

void main().then((code) => process.exit(code));
