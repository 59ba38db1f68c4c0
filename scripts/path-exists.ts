/** Whether a file or folder exists at `path` — the cache checks of the build and fetch scripts. */
import { stat } from 'node:fs/promises';

export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
