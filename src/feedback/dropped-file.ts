import { createHash } from 'node:crypto';
import { constants, createWriteStream, type Stats } from 'node:fs';
import { lstat, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { fittingName } from './fitting-name';
import { pipeline } from 'node:stream/promises';

// A feedback folder is written by someone else: a name may be a symlink to anything, a FIFO that
// never ends, a directory or a device. Only regular files are read, checked without following links
// (lstat, then O_NOFOLLOW and fstat on the opened descriptor, so a swap in between is caught too), and
// opened with O_NONBLOCK so even a FIFO swapped in at the last moment cannot stall the worker.

/** What identifies the bytes a name held when it was copied: a later change of any of these is more bytes (or others). */
export interface FileVersion {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export type TakenFile = { ok: true; size: number; checksum: string; version: FileVersion } | { ok: false; reason: string };

/** Copies a dropped regular file to `copy`, hashing the bytes it copied; refuses anything else. */
export async function takeDroppedFile(path: string, copy: string): Promise<TakenFile> {
  const before = await lstat(path);
  if (!before.isFile()) return { ok: false, reason: `not a regular file (${fileType(before)}); not read` };
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: `cannot be opened without following links (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { ok: false, reason: `not a regular file (${fileType(opened)}); not read` };
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(handle.createReadStream({ autoClose: false }), tap, createWriteStream(copy));
    // Taken after the copy: a file still growing while it was read shows a size other than the bytes
    // copied, and one rewritten while it was read (truncated and written again, to any size) another
    // modification time than before: either copy may be torn (the start of one version, the rest of
    // another, a row spliced from two), and is never read.
    const after = await handle.stat();
    const torn = after.size !== size || after.mtimeMs !== opened.mtimeMs || after.size !== opened.size;
    const version = { dev: after.dev, ino: after.ino, size: torn ? -1 : size, mtimeMs: after.mtimeMs };
    return { ok: true, size, checksum: hash.digest('hex'), version };
  } finally {
    await handle.close();
  }
}

/**
 * Whether the name still holds exactly the bytes that were copied. An export job may still be writing
 * a file when the folder is read: what it appends after the copy would be moved into `processed/`
 * unread and lost, so such a file stays in the folder for the next run (whose copy holds all of it;
 * the rows applied from this copy then count as repeated).
 */
export async function unchangedSince(path: string, version: FileVersion): Promise<boolean> {
  try {
    const now = await lstat(path);
    return (
      version.size >= 0 &&
      now.isFile() &&
      now.dev === version.dev &&
      now.ino === version.ino &&
      now.size === version.size &&
      now.mtimeMs === version.mtimeMs
    );
  } catch {
    return false;
  }
}

/**
 * Moves a dropped name (of whatever type; links are moved, not followed) into `quarantine/` with a
 * reason file beside it. The reason is written first: an import that dies between the two leaves the
 * file in the folder (the next attempt moves it and writes the reason again), never a quarantined
 * file without its reason.
 */
export async function quarantineDropped(folder: string, name: string, reason: string, at: Date): Promise<string | undefined> {
  const dest = await freeDestination(folder, 'quarantine', name);
  // The name as a JSON string: a line break (or any control character) in it cannot start a line of its own.
  await writeFile(`${dest}.reason.txt`, `${at.toISOString()}\n${JSON.stringify(name)}: ${reason}\n`);
  if (await moveTo(join(folder, name), dest)) return dest;
  await rm(`${dest}.reason.txt`, { force: true });
  return undefined;
}

/** Moves a dropped file that has been fully accounted for into `processed/`. */
export async function markDroppedProcessed(folder: string, name: string): Promise<string | undefined> {
  const dest = await freeDestination(folder, 'processed', name);
  return (await moveTo(join(folder, name), dest)) ? dest : undefined;
}

/** A free name for the file in `folder/sub/`. */
async function freeDestination(folder: string, sub: string, name: string): Promise<string> {
  const dir = join(folder, sub);
  await mkdir(dir, { recursive: true });
  return freeName(dir, fittingName(name));
}

/** Whether the name was moved; false when it was gone already. */
async function moveTo(path: string, dest: string): Promise<boolean> {
  try {
    await rename(path, dest);
    return true;
  } catch (error) {
    // Another import of the same client (a list sync refreshing feedback) moved it first.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return false;
  }
}

/** `dir/name`, or `dir/name.2`, `.3`, ... when a file of that name was kept there before. */
async function freeName(dir: string, name: string): Promise<string> {
  for (let n = 1; ; n += 1) {
    const candidate = join(dir, n === 1 ? name : `${name}.${n}`);
    if (!(await exists(candidate))) return candidate;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function fileType(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'unknown type';
}
