import { openSqlDb } from '../../src/db/open-sql-db';
import { useStore, type StoreHarness } from './store-harness';

export function describeControlContract(harness: StoreHarness): void {
  describe('WatermarkStore', () => {
    const subject = useStore(harness);
    const watermarks = () => subject.store.watermarks;

    it('has no watermark until one is set', async () => {
      expect(await watermarks().get('1001', 'feedback')).toBeUndefined();
    });

    it('advances forward only, so a late retry cannot move it back', async () => {
      expect(await watermarks().advance({ client: '1001', kind: 'responses', at: '2026-03-01T10:00:00+01:00' })).toBe(
        '2026-03-01T09:00:00.000Z',
      );
      expect(await watermarks().advance({ client: '1001', kind: 'responses', at: '2026-03-01T08:00:00.000Z' })).toBe(
        '2026-03-01T09:00:00.000Z',
      );
      expect(await watermarks().advance({ client: '1001', kind: 'responses', at: '2026-03-02T08:00:00.000Z' })).toBe(
        '2026-03-02T08:00:00.000Z',
      );
      expect(await watermarks().get('1001', 'feedback')).toBeUndefined();
      expect(await watermarks().get('2002', 'responses')).toBeUndefined();
    });

    it('resets backwards when an operator asks for a re-read', async () => {
      await watermarks().advance({ client: '3003', kind: 'feedback', at: '2026-03-05T00:00:00.000Z' });
      await watermarks().reset({ client: '3003', kind: 'feedback', at: '2026-03-01T00:00:00.000Z' });
      expect(await watermarks().get('3003', 'feedback')).toBe('2026-03-01T00:00:00.000Z');
    });

    it('rejects a value that is not a timestamp with a zone', async () => {
      await expect(watermarks().advance({ client: '1001', kind: 'feedback', at: 'yesterday' })).rejects.toThrow(/ISO timestamp/);
      await expect(watermarks().advance({ client: '1001', kind: 'feedback', at: '2026-03-01T06:00:00' })).rejects.toThrow(/ISO timestamp/);
    });
  });

  describe('ControlStore', () => {
    const subject = useStore(harness);
    const controls = () => subject.store.controls;
    const pause = {
      client: '1001',
      listKey: 'newsletter',
      paused: true,
      by: 'ops@corp',
      reason: 'CRM migration',
      at: '2026-03-01T06:00:00.000Z',
    };

    it('keeps one control per list, the latest written', async () => {
      await controls().setList(pause);
      await controls().setList({ ...pause, paused: false, by: 'lead@corp', reason: 'done', at: '2026-03-02T06:00:00.000Z' });
      await controls().setList({ ...pause, listKey: 'promo' });
      await controls().setList({ ...pause, client: '2002' });
      expect(await controls().getList('1001', 'newsletter')).toEqual({
        ...pause,
        paused: false,
        by: 'lead@corp',
        reason: 'done',
        at: '2026-03-02T06:00:00.000Z',
      });
      expect((await controls().lists('1001')).map((c) => [c.listKey, c.paused])).toEqual([
        ['newsletter', false],
        ['promo', true],
      ]);
      expect(await controls().lists()).toHaveLength(3);
      expect(await controls().getList('1001', 'unknown')).toBeUndefined();
    });

    it('appends operator actions, newest first, recording a repeated action id once', async () => {
      const action = {
        actor: 'ops@corp',
        action: 'approve',
        client: '1001',
        listKey: 'newsletter',
        reason: 'shrink expected',
        at: '2026-03-01T06:00:00.000Z',
      };
      await controls().recordAction({ ...action, actionId: 'wf-1:approve' });
      await controls().recordAction({ ...action, actionId: 'wf-1:approve' });
      await controls().recordAction({ ...action, action: 'rerun', listKey: null, details: { reRun: true } });
      await controls().recordAction({ ...action, client: '2002' });
      expect(await controls().actions({ client: '1001' })).toEqual([
        { ...action, action: 'rerun', listKey: null, details: { reRun: true } },
        { ...action, actionId: 'wf-1:approve', details: {} },
      ]);
      expect(await controls().actions({ client: '1001', listKey: 'newsletter' })).toHaveLength(1);
      expect(await controls().actions({ limit: 1 })).toHaveLength(1);
    });

    it('refuses to change or delete a recorded operator action', async () => {
      await controls().recordAction({ actor: 'a', action: 'pause', client: '9', listKey: 'x', reason: '', at: '2026-03-01T00:00:00Z' });
      const db = openSqlDb(subject.config);
      try {
        await expect(db.run("UPDATE operator_actions SET actor = 'b'")).rejects.toMatchObject({
          message: expect.stringMatching(/append-only/),
        });
        await expect(db.run('DELETE FROM operator_actions')).rejects.toMatchObject({ message: expect.stringMatching(/append-only/) });
      } finally {
        await db.close();
      }
    });
  });
}
