import fc from 'fast-check';
import { createActivities, type ActivityPorts } from '../../../activities';
import type { CampaignSyncConfig } from '../../../src/config/config-schema';
import { FEEDBACK_IMPORTED_AT } from '../../../src/feedback/watermark-kinds';
import { createStateStore } from '../../../src/store/create-state-store';
import type { StateStore } from '../../../src/store/state-store';

// The freshness check reads the activities' one clock, so a test (or a replayed day) that injects a
// time gets the same answer as the wall clock would at that time.
describe('checkFeedbackFreshness', () => {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  const activitiesAt = (now: Date | undefined) =>
    createActivities({
      config: { clients: [] } as unknown as CampaignSyncConfig,
      store,
      now: now && (() => now),
    } as unknown as ActivityPorts);

  it('measures the import age on the injected clock', async () => {
    const lastImportAt = '2026-03-01T06:00:00.000Z';
    await store.watermarks.advance({ client: 'demo', kind: FEEDBACK_IMPORTED_AT, at: lastImportAt });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 300 }), async (ageMinutes, maxAgeMinutes) => {
        const now = new Date(Date.parse(lastImportAt) + ageMinutes * 60_000);
        const verdict = await activitiesAt(now).checkFeedbackFreshness({ client: 'demo', maxAgeMinutes });
        expect(verdict).toEqual({ fresh: ageMinutes <= maxAgeMinutes, lastImportAt });
      }),
    );
  });

  it('uses the wall clock when none is injected', async () => {
    await store.watermarks.advance({ client: 'demo', kind: FEEDBACK_IMPORTED_AT, at: '2000-01-01T00:00:00.000Z' });
    const verdict = await activitiesAt(undefined).checkFeedbackFreshness({ client: 'demo', maxAgeMinutes: 60 });
    expect(verdict.fresh).toBe(false);
  });
});
