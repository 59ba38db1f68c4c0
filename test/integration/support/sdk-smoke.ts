/**
 * Builds and runs the SDK smoke programs of test/sdk/<language>/, each with its own language's toolchain and only
 * the SDK `npm run sdk` generated for it. Build output and the Python venv go to the git-ignored .cache/.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeneratedSdk } from '../../../scripts/sdk/generate-sdks.js';
import { runChecked, runCommand } from '../../../src/process/run-command.js';
import type { CommandOptions, CommandResult } from '../../../src/process/run-command.js';
import { PROJECT_ROOT } from '../../../src/project-paths.js';

export interface SmokeTarget {
  readonly baseUrl: string;
  readonly topic: string;
}

export interface SmokeRecord {
  readonly offset: number;
  readonly value: string;
}

export interface SmokeResult {
  readonly language: string;
  readonly run: CommandResult;
  /** From the program's `produced offset=N value=V` line. */
  readonly produced: SmokeRecord | undefined;
  /** From the program's `read offset=N value=V` line. */
  readonly read: SmokeRecord | undefined;
}

interface SmokeProgram {
  /** Compiles or installs whatever the program needs; rejects with the tool's output when that fails. */
  build(sdk: GeneratedSdk): Promise<void>;
  run(sdk: GeneratedSdk, env: Readonly<Record<string, string>>): Promise<CommandResult>;
}

export const SMOKE_LANGUAGES = ['typescript', 'python', 'go', 'java'] as const;
export type SmokeLanguage = (typeof SMOKE_LANGUAGES)[number];

const SMOKE_DIR = join(PROJECT_ROOT, 'test', 'sdk');
const CACHE_DIR = join(PROJECT_ROOT, '.cache');
const BUILD_TIMEOUT_MS = 8 * 60_000;
const RUN_TIMEOUT_MS = 2 * 60_000;
const BUILD_OPTIONS = { cwd: PROJECT_ROOT, timeoutMs: BUILD_TIMEOUT_MS };

function smokeDir(language: SmokeLanguage): string {
  return join(SMOKE_DIR, language);
}

/**
 * Builds run at a lower CPU priority: on the machine's two cores they compete with the broker and proxy that this
 * and the other test files are using at the same time.
 */
function runBuildStep(command: string, args: readonly string[], options: CommandOptions = BUILD_OPTIONS): Promise<CommandResult> {
  return runChecked('nice', ['-n', '10', command, ...args], options);
}

// ------------------------------------------------------------------------------------------------------ TypeScript

const typescript: SmokeProgram = {
  async build() {
    // tsx does not type-check: tsc checks the program against the generated client first.
    await runBuildStep(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(smokeDir('typescript'), 'tsconfig.json')]);
  },
  run(_sdk, env) {
    return runCommand(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['smoke.ts'], { cwd: smokeDir('typescript'), env, timeoutMs: RUN_TIMEOUT_MS });
  },
};

// ---------------------------------------------------------------------------------------------------------- Python

const VENV_DIR = join(CACHE_DIR, 'sdk-venv');
/** Holds the inputs hash of the SDK last installed into the venv. */
const VENV_SDK_MARKER = join(VENV_DIR, '.installed-sdk.sha256');

async function installedSdkHash(): Promise<string | undefined> {
  try {
    return (await readFile(VENV_SDK_MARKER, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

const python: SmokeProgram = {
  async build(sdk) {
    if ((await installedSdkHash()) === sdk.inputsHash) return;
    await runBuildStep('python3', ['-m', 'venv', VENV_DIR]);
    await runBuildStep(join(VENV_DIR, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', sdk.outputDir]);
    await writeFile(VENV_SDK_MARKER, `${sdk.inputsHash}\n`);
  },
  run(_sdk, env) {
    return runCommand(join(VENV_DIR, 'bin', 'python'), ['smoke.py'], {
      cwd: smokeDir('python'),
      env: { ...env, PYTHONDONTWRITEBYTECODE: '1' },
      timeoutMs: RUN_TIMEOUT_MS,
    });
  },
};

// -------------------------------------------------------------------------------------------------------------- Go

const GO_BINARY = join(CACHE_DIR, 'sdk-smoke', 'go', 'smoke');

const go: SmokeProgram = {
  async build() {
    // -mod=mod: should the generated client ever need another module, go fetches it instead of failing.
    const goflags = [process.env['GOFLAGS'], '-mod=mod'].filter(Boolean).join(' ');
    await mkdir(join(CACHE_DIR, 'sdk-smoke', 'go'), { recursive: true });
    await runBuildStep('go', ['build', '-o', GO_BINARY, '.'], { cwd: smokeDir('go'), env: { GOFLAGS: goflags }, timeoutMs: BUILD_TIMEOUT_MS });
  },
  run(_sdk, env) {
    return runCommand(GO_BINARY, [], { cwd: smokeDir('go'), env, timeoutMs: RUN_TIMEOUT_MS });
  },
};

// ------------------------------------------------------------------------------------------------------------ Java

function mavenArgs(pom: string, version: string, goals: readonly string[]): string[] {
  return ['-B', '-q', '-Dstyle.color=never', '-f', pom, `-Dsdk.version=${version}`, ...goals];
}

const java: SmokeProgram = {
  async build(sdk) {
    // Incremental after the first time: the compiler plugin skips unchanged sources.
    const skip = ['-Dmaven.test.skip=true', '-Dmaven.javadoc.skip=true', '-Dmaven.source.skip=true'];
    await runBuildStep('mvn', mavenArgs(join(sdk.outputDir, 'pom.xml'), sdk.version, ['install', ...skip]));
    await runBuildStep('mvn', mavenArgs(join(smokeDir('java'), 'pom.xml'), sdk.version, ['compile']));
  },
  run(sdk, env) {
    return runCommand('mvn', mavenArgs(join(smokeDir('java'), 'pom.xml'), sdk.version, ['exec:java']), { cwd: PROJECT_ROOT, env, timeoutMs: RUN_TIMEOUT_MS });
  },
};

const PROGRAMS: Readonly<Record<SmokeLanguage, SmokeProgram>> = { typescript, python, go, java };

// --------------------------------------------------------------------------------------------------------- running

/** Maven prints colour resets even with colours off. */
export function withoutAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function recordLine(stdout: string, verb: 'produced' | 'read'): SmokeRecord | undefined {
  const match = new RegExp(`^${verb} offset=(\\d+) value=(.*)$`, 'm').exec(withoutAnsi(stdout));
  if (match === null) return undefined;
  return { offset: Number(match[1]), value: match[2] ?? '' };
}

/** Resolves with how long the build took; rejects with the tool's output when it failed. */
export async function buildSmokeProgram(language: SmokeLanguage, sdk: GeneratedSdk): Promise<number> {
  const started = Date.now();
  await PROGRAMS[language].build(sdk);
  return Date.now() - started;
}

/** Runs a program buildSmokeProgram built; its exit code and output are in the result. */
export async function runSmokeProgram(language: SmokeLanguage, sdk: GeneratedSdk, target: SmokeTarget): Promise<SmokeResult> {
  const run = await PROGRAMS[language].run(sdk, { KAFKA_REST_URL: target.baseUrl, KAFKA_REST_TOPIC: target.topic });
  return { language, run, produced: recordLine(run.stdout, 'produced'), read: recordLine(run.stdout, 'read') };
}
