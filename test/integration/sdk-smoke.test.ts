/**
 * The generated SDKs against the real proxy: `npm run sdk`'s generation (skipped when the spec is unchanged), then
 * in TypeScript, Python, Go and Java — concurrently — a small program that uses only its SDK to produce one record
 * to a topic this file created and read it back (test/sdk/<language>/). The first run on a machine also fetches the
 * generator JAR, Maven and Go dependencies and PyPI packages, hence the long timeouts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ensureSdks } from '../../scripts/sdk/generate-sdks.js';
import type { GeneratedSdk } from '../../scripts/sdk/generate-sdks.js';
import { SMOKE_LANGUAGES, buildSmokeProgram, runSmokeProgram, withoutAnsi } from './support/sdk-smoke.js';
import type { SmokeLanguage, SmokeResult } from './support/sdk-smoke.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

const GENERATE_TIMEOUT_MS = 5 * 60_000;
const SMOKE_TIMEOUT_MS = 12 * 60_000;

let proxy: ProxyUnderTest;
let sdks: readonly GeneratedSdk[] = [];

beforeAll(async () => {
  proxy = await startProxyUnderTest();
  const started = Date.now();
  sdks = await ensureSdks({ log: (line) => console.log(`[sdk] ${line}`) });
  const regenerated = sdks.filter((sdk) => sdk.regenerated).map((sdk) => sdk.language);
  console.log(`[sdk] ${regenerated.length ? `generated ${regenerated.join(', ')}` : 'all SDKs up to date'} (${Date.now() - started} ms)`);
}, GENERATE_TIMEOUT_MS);

afterAll(async () => {
  await proxy?.proxy.stop();
});

function sdkFor(language: SmokeLanguage): GeneratedSdk {
  const sdk = sdks.find((candidate) => candidate.language === language);
  if (sdk === undefined) throw new Error(`openapi-generator.json has no "${language}" generator`);
  return sdk;
}

/** Creates a one-partition topic through the proxy (201 once its partition has a leader). */
async function createTopic(topic: string): Promise<string> {
  const started = Date.now();
  const created = await proxy.client.POST('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: proxy.clusterId } }, body: { topic_name: topic, partitions_count: 1 } });
  if (created.response.status !== 201) throw new Error(`creating topic ${topic} answered ${created.response.status} ${JSON.stringify(created.error)}`);
  return `topic ${topic} created in ${Date.now() - started} ms`;
}

/** Everything the program printed, each line prefixed, so the run log shows it. */
function report(result: SmokeResult, setup: readonly string[]): string {
  const output = withoutAnsi(`${result.run.stdout}${result.run.stderr}`).trimEnd();
  const lines = output === '' ? ['(no output)'] : output.split('\n');
  const outcome = `ran in ${result.run.durationMs} ms, exit code ${result.run.code}`;
  return [...setup, ...lines, outcome].map((line) => `[sdk-smoke ${result.language}] ${line}`).join('\n');
}

describe.concurrent('the generated SDKs produce a record and read it back', () => {
  for (const language of SMOKE_LANGUAGES) {
    it(
      language,
      async ({ expect }) => {
        const sdk = sdkFor(language);
        const topic = uniqueTopic(`sdk-smoke-${language}`);
        const [creation, buildMs] = await Promise.all([createTopic(topic), buildSmokeProgram(language, sdk)]);
        const result = await runSmokeProgram(language, sdk, { baseUrl: proxy.baseUrl, topic });
        console.log(report(result, [creation, `built in ${buildMs} ms`]));
        expect(result.run.code).toBe(0);
        expect(result.produced).toEqual({ offset: expect.any(Number), value: `hello-${language}` });
        expect(result.read).toEqual(result.produced);
      },
      SMOKE_TIMEOUT_MS,
    );
  }
});
