/**
 * The Python witness (test/witness/schema_witness.py: Confluent's confluent-kafka client with its own Schema
 * Registry serdes), in a virtualenv under the git-ignored .cache/ that is reinstalled only when
 * test/witness/requirements.txt changes. It is a plain script, not a test runner: it prints one JSON document.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../../../src/process/run-command.js';
import { PROJECT_ROOT } from '../../../src/project-paths.js';

const WITNESS_DIR = join(PROJECT_ROOT, 'test', 'witness');
const REQUIREMENTS = join(WITNESS_DIR, 'requirements.txt');
const VENV = join(PROJECT_ROOT, '.cache', 'witness-venv');
const PYTHON = join(VENV, 'bin', 'python');

/** The venv with the pinned requirements, installed on first use. */
export async function ensureWitness(): Promise<void> {
  const stamp = join(VENV, '.requirements-sha256');
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  await runChecked('python3', ['-m', 'venv', VENV], { cwd: PROJECT_ROOT, timeoutMs: 120_000 });
  await runChecked(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], { cwd: PROJECT_ROOT, timeoutMs: 10 * 60_000 });
  writeFileSync(stamp, wanted);
}

export interface WitnessArgs {
  readonly bootstrap: string;
  readonly registry: string;
  readonly topic: string;
  readonly format: 'avro' | 'json' | 'protobuf';
  readonly schema?: string;
  readonly count?: number;
}

/** Runs the witness and returns what it printed, parsed. */
export async function witness(command: 'read' | 'write', args: WitnessArgs): Promise<unknown> {
  const result = await runChecked(PYTHON, [join(WITNESS_DIR, 'schema_witness.py'), command, JSON.stringify(args)], { cwd: WITNESS_DIR, timeoutMs: 120_000 });
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}
