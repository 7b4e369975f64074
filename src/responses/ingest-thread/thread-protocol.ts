import type { CrmConfig } from '../../crm/crm-config';
import type { StateStoreConfig } from '../../store/create-state-store';
import type { PackedPage } from './packed-page';
import type { PagePosition, WindowCheckpoint, WindowSetup } from '../window-ingester';

// The messages between the worker and its response ingestion thread. Every request carries an id
// and gets exactly one reply with that id; a window (session) takes its next page only after the
// reply to the one before. Pages cross classified (classify-response-page.ts), not as rows,
// with their string columns packed (packed-page.ts).

/** What the thread opens its own connections from (secrets resolved by the worker). */
export interface IngestThreadData {
  store: StateStoreConfig;
  crm: CrmConfig;
  /** Only the environment variable the CRM configuration names for its URL, if any. */
  crmEnv: Record<string, string>;
}

export type IngestThreadRequest =
  | { id: number; type: 'open'; session: number; setup: WindowSetup }
  | { id: number; type: 'page'; session: number; at: PagePosition; page: PackedPage; commitAt: PagePosition | undefined }
  | { id: number; type: 'close'; session: number }
  | { id: number; type: 'ready' }
  | { id: number; type: 'shutdown' };

/** An error crossing threads: its class name is kept, since retry policies decide by it. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

/** `fatal`: the thread's connections did not open; it is of no further use and the worker ends it. */
export type IngestThreadReply = { id: number; value?: WindowCheckpoint } | { id: number; error: ThreadError; fatal?: boolean };
