/** Reads and checks `openapi-generator.json`, the one file that says which SDKs are generated and how. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';

export const SDK_CONFIG_PATH = join(PROJECT_ROOT, 'openapi-generator.json');

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

/** One openapi-generator batch configuration (generatorName, outputDir, additionalProperties, mappings, ...). */
export type GeneratorOptions = Readonly<Record<string, unknown>>;

export interface SdkTarget {
  /** The key in `generators`, e.g. `python`. */
  readonly language: string;
  readonly generatorName: string;
  /** Absolute. */
  readonly outputDir: string;
  /** What is handed to openapi-generator, without `notes`, `outputDir` and `inputSpec`. */
  readonly options: GeneratorOptions;
}

export interface SdkConfig {
  readonly generatorCli: MavenArtifact;
  /** Absolute path of the bundled spec. */
  readonly inputSpec: string;
  readonly targets: readonly SdkTarget[];
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(object: JsonObject, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${where}: "${key}" must be a non-empty string`);
  return value;
}

function objectField(object: JsonObject, key: string, where: string): JsonObject {
  const value = object[key];
  if (!isObject(value)) throw new Error(`${where}: "${key}" must be an object`);
  return value;
}

function projectPath(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}

function mavenArtifact(object: JsonObject, where: string): MavenArtifact {
  const artifact = {
    groupId: stringField(object, 'groupId', where),
    artifactId: stringField(object, 'artifactId', where),
    version: stringField(object, 'version', where),
  };
  // They become part of a path and of mvn's arguments.
  for (const [key, value] of Object.entries(artifact)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) throw new Error(`${where}: unexpected ${key} ${JSON.stringify(value)}`);
  }
  return artifact;
}

function sdkTarget(language: string, entry: JsonObject, source: string): SdkTarget {
  const where = `${source} generators.${language}`;
  if (!/^[a-z][a-z0-9-]*$/.test(language)) throw new Error(`${where}: a language key is lower-case letters, digits and '-'`);
  const { notes: _notes, outputDir: _outputDir, inputSpec: _inputSpec, ...options } = entry;
  return {
    language,
    generatorName: stringField(entry, 'generatorName', where),
    outputDir: projectPath(stringField(entry, 'outputDir', where)),
    options,
  };
}

/** `source` names the file in error messages. */
export function parseSdkConfig(text: string, source: string): SdkConfig {
  const document: unknown = JSON.parse(text);
  if (!isObject(document)) throw new Error(`${source}: not a JSON object`);
  const generators = objectField(document, 'generators', source);
  const targets = Object.entries(generators).map(([language, entry]) => {
    if (!isObject(entry)) throw new Error(`${source} generators.${language}: must be an object`);
    return sdkTarget(language, entry, source);
  });
  if (targets.length === 0) throw new Error(`${source}: "generators" lists no generator`);
  return {
    generatorCli: mavenArtifact(objectField(document, 'generatorCli', source), `${source} generatorCli`),
    inputSpec: projectPath(stringField(document, 'inputSpec', source)),
    targets,
  };
}

export async function loadSdkConfig(path: string = SDK_CONFIG_PATH): Promise<SdkConfig> {
  return parseSdkConfig(await readFile(path, 'utf8'), path);
}
