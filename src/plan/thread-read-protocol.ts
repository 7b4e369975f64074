import type { OptimizelyThreadSpec } from '../optimizely/client/optimizely-port';
import type { LiveListRead } from './read-live-list';
import type { ThreadError } from './thread-errors';

/** What the reading thread is started with (workerData): configuration and a file path, no recipients. */
export interface ThreadReadInput {
  client: OptimizelyThreadSpec['options'];
  listId: number;
  list: { idField: string; emailField: string };
  attributeMapping: Record<string, string>;
  /** The scratch index (createLiveIndex on the main thread) the thread fills. */
  indexFile: string;
  pageSize?: number;
  concurrency?: number;
}

/** Thread → main, besides the permit requests: a page read, and the one final answer. */
export type ThreadReadMessage = { type: 'page' } | { type: 'done'; read: LiveListRead } | { type: 'failed'; error: ThreadError };

/** Main → thread: stop reading (the activity was cancelled, or the export beside it failed). */
export interface ThreadAbort {
  type: 'abort';
}
