import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `entry`. Compiled JavaScript (dist/) starts as it is. A TypeScript entry
 * (tsx in development, Jest in tests) starts through tsx's require hook, resolved from this module
 * whatever the process's working folder is: loader hooks registered with --import do not reach
 * worker threads.
 */
export function startThread(entry: string, workerData: unknown): Worker {
  if (extname(entry) !== '.ts') return new Worker(entry, { workerData });
  const hook = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
