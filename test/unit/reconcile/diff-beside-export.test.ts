// diffLiveList beside a running export: the live list is read while the export's snapshot is still
// being written, the diff waits for it; an export that fails stops the read before the failure is
// passed on (nothing keeps reading or writing after the activity attempt ended).
import type { SyncListConfig } from '../../../src/config/config-schema';
import type { OptimizelyPort, Row } from '../../../src/optimizely/client/optimizely-port';
import { diffLiveList } from '../../../src/reconcile/diff-live-list';
import { createStateStore } from '../../../src/store/create-state-store';
import type { StateStore } from '../../../src/store/state-store';
import type { SnapshotRow } from '../../../src/store/types';

const LIST = { key: 'newsletter', listId: 100, idField: 'email', emailField: 'email' } as unknown as SyncListConfig;
const META = { client: 'c', listKey: 'newsletter', runId: 'run-1' };
const recipient = (id: string) => ({
  recipientId: id,
  email: id,
  optInId: '0',
  description: '',
  mediaType: 'email',
  entityType: 'contact',
  entityId: id,
  attributes: {},
});
/** A live row as planFields reads it: id (= address), then the technical fields. */
const liveRow = (id: string): Row => [id, '0', '', 'email', 'contact', id];

/** A list of `ids` whose page calls are recorded with the signal they were given; `onPage` hears each. */
function optimizely(ids: string[], calls: { signal?: AbortSignal }[], onPage: () => void = () => undefined): OptimizelyPort {
  return {
    recipient: {
      getCount: async () => ids.length,
      getAllAdvancedFlat: async (input: { pageStart: number; pageSize: number }, options?: { signal?: AbortSignal }) => {
        calls.push({ signal: options?.signal });
        onPage();
        await new Promise((resolve) => setImmediate(resolve));
        options?.signal?.throwIfAborted();
        return ids.slice(input.pageStart, input.pageStart + input.pageSize).map(liveRow);
      },
    },
  } as unknown as OptimizelyPort;
}

describe('diffLiveList beside the export', () => {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(() => store.close());

  it('reads the live list before the export has finished and diffs against its snapshot once it has', async () => {
    const calls: { signal?: AbortSignal }[] = [];
    let finishExport: (ref: string) => void = () => undefined;
    const exported = new Promise<string>((resolve) => (finishExport = resolve));
    let pageAsked: () => void = () => undefined;
    const firstPage = new Promise<void>((resolve) => (pageAsked = resolve));
    const diffing = diffLiveList({
      store,
      optimizely: optimizely(['a@x.test', 'b@x.test', 'c@x.test'], calls, pageAsked),
      client: 'c',
      runId: 'run-1',
      list: LIST,
      attributeMapping: {},
      snapshotRef: exported,
    });
    // The export is still running (it never ends unless the read starts first).
    await firstPage;
    const writer = await store.snapshots.open(META);
    await writer.append([recipient('b@x.test'), recipient('c@x.test'), recipient('d@x.test')] as unknown as SnapshotRow[]);
    finishExport((await writer.finish()).snapshotRef);
    expect(await diffing).toMatchObject({ add: 1, remove: 1, update: 0, unchanged: 2, liveCount: 3, liveRead: 3 });
  });

  it('an export that fails stops the read and its error is the one passed on', async () => {
    const calls: { signal?: AbortSignal }[] = [];
    const ids = Array.from({ length: 5000 }, (_, i) => `r${String(i).padStart(5, '0')}@x.test`);
    const failure = new Error('the CRM went away');
    const diffing = diffLiveList({
      store,
      optimizely: optimizely(ids, calls),
      client: 'c',
      runId: 'run-1',
      list: LIST,
      attributeMapping: {},
      snapshotRef: Promise.reject(failure),
    });
    await expect(diffing).rejects.toBe(failure);
    const seen = calls.length;
    expect(calls.every((c) => c.signal?.aborted)).toBe(true);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(calls.length).toBe(seen);
  });
});
