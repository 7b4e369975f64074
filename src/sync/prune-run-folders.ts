import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Deletes run folders (`<dataDir>/runs/<client>/<run>`: feedback CSV files, dropped-file copies,
 * rejected-row lists) last changed before `before`. They hold recipient ids, so they are kept no
 * longer than the runs they belong to. Links and files at those levels are left alone. Returns how many went.
 */
export async function pruneRunFolders(dataDir: string, before: string, onProgress?: () => void): Promise<number> {
  const cut = Date.parse(before);
  let removed = 0;
  for (const client of await directories(join(dataDir, 'runs'))) {
    for (const run of await directories(join(dataDir, 'runs', client))) {
      const path = join(dataDir, 'runs', client, run);
      if ((await lstat(path)).mtimeMs >= cut) continue;
      await rm(path, { recursive: true, force: true });
      removed += 1;
      onProgress?.();
    }
  }
  return removed;
}

async function directories(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
