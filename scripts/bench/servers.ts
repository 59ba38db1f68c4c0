/**
 * The HTTP servers under test for one run: our proxy (and launchers for fresh processes of it), the bridge when its
 * runtime is there, and the JIT warm-up they get before the scenarios.
 */
import { join } from 'node:path';
import type { LocalBroker } from '../../src/kafka/local-broker.js';
import type { BridgeRuntime } from './bridge-build.js';
import type { Cleanup } from './cleanup.js';
import { spawnOurs, startOurs } from './ours.js';
import type { RunningServer } from './ours.js';
import { spawnBridge, startBridge } from './peer-bridge.js';
import { errorMessage } from './processes.js';
import type { Log } from './processes.js';
import type { BenchContext, Launcher, Peer } from './scenarios/context.js';
import type { BenchSettings } from './settings.js';
import { bridgeSubject } from './subjects.js';
import { describeWarmUp, warmUp, warmUpDialect } from './warm-up.js';

export interface Servers {
  readonly ours: RunningServer;
  readonly oursLauncher: Launcher;
  readonly peer: Peer;
  readonly bridge?: RunningServer;
}

export interface ServerSetup {
  readonly settings: BenchSettings;
  readonly cleanup: Cleanup;
  readonly log: Log;
  readonly broker: LocalBroker;
  readonly runDir: string;
  readonly mainJs: string;
  readonly bridgeRuntime: { value: BridgeRuntime } | { error: string };
}

/** Resolves with the value, or with the reason it could not be had. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

export async function startServers(setup: ServerSetup): Promise<Servers> {
  const { settings, cleanup, broker, runDir, mainJs, bridgeRuntime } = setup;
  let launched = 0;
  const track = <T extends RunningServer>(server: T): T => {
    cleanup.add(`${server.service.name} (pid ${server.service.pid})`, () => server.service.stop());
    return server;
  };
  const oursLaunch = (name: string) => ({ mainJs, bootstrapServers: broker.bootstrapServers, logFile: join(runDir, 'logs', `ours-${name}-${++launched}.log`) });
  const oursLauncher: Launcher = {
    spawn: async (name) => track(await spawnOurs(oursLaunch(name))),
    start: async (name) => track(await startOurs(oursLaunch(name))),
  };
  const bridgeLaunch = (runtime: BridgeRuntime, name: string) => ({
    runtime,
    bootstrapServers: broker.bootstrapServers,
    workDir: runDir,
    logFile: join(runDir, 'logs', `bridge-${name}-${++launched}.log`),
  });
  const bridgeLauncher: Launcher | undefined =
    'error' in bridgeRuntime
      ? undefined
      : {
          spawn: async (name) => track(await spawnBridge(bridgeLaunch(bridgeRuntime.value, name))),
          start: async (name) => track(await startBridge(bridgeLaunch(bridgeRuntime.value, name))),
        };
  setup.log(`starting the proxy${'value' in bridgeRuntime ? ` and the bridge (on ${bridgeRuntime.value.java})` : ''}`);
  const [ours, bridge] = await Promise.all([
    startOurs({
      mainJs,
      bootstrapServers: broker.bootstrapServers,
      logFile: join(runDir, 'logs', 'ours.log'),
      ...(settings.profile ? { cpuProfileDir: join(runDir, 'profile') } : {}),
    }).then(track),
    bridgeLauncher ? settle(bridgeLauncher.start('main')) : Promise.resolve({ error: 'error' in bridgeRuntime ? bridgeRuntime.error : 'not run' }),
  ]);
  if ('error' in bridge) {
    return { ours, oursLauncher, peer: { unavailable: bridgeLauncher ? `the bridge did not start: ${bridge.error}` : bridge.error } };
  }
  // In --quick, the bridge's fresh processes for (e) and (f) are left out: their targets concern ours only.
  const launcher = settings.quick || bridgeLauncher === undefined ? {} : { launcher: bridgeLauncher };
  return { ours, oursLauncher, bridge: bridge.value, peer: { subject: bridgeSubject(bridge.value.baseUrl, bridge.value.service.pid), ...launcher } };
}

/** Warms ours (through v2, then briefly each other dialect) and the bridge up; returns the report's notes about it. */
export async function warmUpServers(context: BenchContext): Promise<string[]> {
  const subjects = [context.ours.find((s) => s.dialect === 'v2'), context.peer.subject].filter((s) => s !== undefined);
  const notes: string[] = [];
  for (const subject of subjects) notes.push(describeWarmUp(await warmUp(context, subject)));
  for (const subject of context.ours.filter((s) => s.dialect !== 'v2')) notes.push(describeWarmUp(await warmUpDialect(context, subject)));
  if (context.settings.quick && context.peer.subject) {
    notes.push('A --quick run gives the bridge one warm-up slice: its JIT is not warm, so its figures are not comparable. Use a full run for ours ÷ bridge.');
  }
  return notes;
}
