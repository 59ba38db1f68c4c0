// Loaded into the proxy process by `npm run bench -- --profile` (node --import): each SIGUSR2 starts a CPU profile,
// the next one writes it to BENCH_PROFILE_DIR as <n>.cpuprofile (n = 1, 2, ...), so the harness profiles one
// scenario at a time instead of the process's whole life. Plain JavaScript: it runs beside the compiled proxy.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
const session = new Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

let running = false;
let written = 0;
let queue = Promise.resolve();

async function toggle() {
  if (!running) {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
    running = true;
    return;
  }
  const { profile } = await post('Profiler.stop');
  running = false;
  written += 1;
  const file = join(dir, `${written}.cpuprofile`);
  await mkdir(dir, { recursive: true });
  await writeFile(`${file}.partial`, JSON.stringify(profile));
  await rename(`${file}.partial`, file);
}

if (dir) {
  process.on('SIGUSR2', () => {
    queue = queue.then(toggle).catch((error) => process.stderr.write(`profile-preload: ${error}\n`));
  });
}
