import { pauseDuringHeldReexport } from '../helpers/pause-during-reexport';
import { useSyncStack } from '../helpers/workflow-test-env';

// A list sync resumed after a long pause before its clear exports and guards again; that can take
// long (a held re-export waits for a decision). A pause asked meanwhile used to be answered "stops
// before the first refill chunk" and did: the run cleared the list and stood there, the list empty for
// as long as the pause lasted. Now it stops at the safe point before the clear again, the list as
// yesterday's, and says so (patch safe-point-after-reexport; the scenario in
// test/helpers/pause-during-reexport.ts). Resumed, it exports once more and ends ready without either
// person who withdrew. Fails on the former workflow (the answer, and the list cleared while stopped).
describe('a pause while a re-export after a long pause is held (dev server, simulator)', () => {
  const shared = useSyncStack({
    title: 'paused during re-export',
    contacts: 300,
    adjust: (raw) => {
      raw.clients[0].lists[1].enabled = false;
      raw.clients[0].concurrency = 1;
      Object.assign(raw.clients[0].lists[0], { guard: { reexportAfter: '1s', maxShrinkPercent: 0 } });
    },
  });

  it('stops before the clear, the list as yesterday, and ends ready without the withdrawn', async () => {
    const stack = shared.stack;
    await stack.runDaily();
    const yesterday = (await stack.listRecipients('newsletter')).length;
    const seen = await pauseDuringHeldReexport(stack, shared.temporal.env.client);
    const beforeTheClear = 'paused: stops at the next safe point, before the clear (after a decision)';
    expect(seen.answers).toEqual([beforeTheClear, beforeTheClear]);
    expect(seen.liveWhileStopped).toBe(yesterday);
    expect(seen.whileStopped.listIncomplete).toBeFalsy();
    expect(seen.whileStopped.pastSafePointBeforeChange).toBeUndefined();
    expect(seen.result.status).toBe('ready');
    const live = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
    for (const person of seen.withdrawn) expect(live).not.toContain(person.recipientId);
    expect(live.length).toBe(yesterday - 2);
    expect(seen.result.verifiedCount).toBe(live.length);
  }, 240_000);
});
