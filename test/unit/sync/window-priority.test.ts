import { WindowPriority } from '../../../src/sync/window-priority';

describe('WindowPriority', () => {
  it('does not wait while no refill runs', async () => {
    const priority = new WindowPriority();
    expect(priority.open).toBe(false);
    await expect(priority.giveWay(10_000)).resolves.toBe(false);
  });

  it('holds other work until the last open refill ends', async () => {
    const priority = new WindowPriority();
    const events: string[] = [];
    let endFirst!: () => void;
    let endSecond!: () => void;
    const first = priority.refilling(() => new Promise<void>((resolve) => (endFirst = resolve)));
    const second = priority.refilling(() => new Promise<void>((resolve) => (endSecond = resolve)));
    const waiting = priority.giveWay(10_000).then((waited) => events.push(`resumed ${waited}`));
    endFirst();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    endSecond();
    await second;
    await waiting;
    expect(events).toEqual(['resumed true']);
    expect(priority.open).toBe(false);
  });

  it('waits until closed, calling onWait after each step', async () => {
    const priority = new WindowPriority();
    let endRefill!: () => void;
    const refill = priority.refilling(() => new Promise<void>((resolve) => (endRefill = resolve)));
    let waits = 0;
    let twoWaits!: () => void;
    const waitedTwice = new Promise<void>((resolve) => (twoWaits = resolve));
    const waiting = priority.waitUntilClosed(() => {
      waits += 1;
      if (waits === 2) twoWaits();
    }, 20);
    await waitedTwice;
    endRefill();
    await refill;
    await waiting;
    expect(waits).toBeGreaterThanOrEqual(2);
    await priority.waitUntilClosed(() => (waits = -1));
    expect(waits).not.toBe(-1);
  });

  it('gives up waiting after maxMs, and closes the window when a refill fails', async () => {
    const priority = new WindowPriority();
    let fail!: (error: Error) => void;
    const refill = priority.refilling(() => new Promise<void>((_, reject) => (fail = reject)));
    jest.useFakeTimers();
    try {
      let settled = false;
      const gaveWay = priority.giveWay(30).then((waited) => ((settled = true), waited));
      await jest.advanceTimersByTimeAsync(29);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await expect(gaveWay).resolves.toBe(true);
    } finally {
      jest.useRealTimers();
    }
    fail(new Error('addAll3 failed'));
    await expect(refill).rejects.toThrow('addAll3 failed');
    expect(priority.open).toBe(false);
  });
});
