/** Wall time, this process's CPU time (user + system) and the simulator's CPU time, summed over spans. */
export interface Totals {
  wallMs: number;
  cpuMs: number;
  serverCpuMs: number;
}

export const emptyTotals = (): Totals => ({ wallMs: 0, cpuMs: 0, serverCpuMs: 0 });

/** Runs `run` and adds its wall, client CPU and simulator CPU time to `totals`. */
export async function measureInto(totals: Totals, serverCpuMs: () => number, run: () => Promise<void>): Promise<void> {
  const server = serverCpuMs();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  totals.wallMs += Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  totals.cpuMs += (used.user + used.system) / 1000;
  totals.serverCpuMs += serverCpuMs() - server;
}

/** Runs `work` over the items with at most `lanes` in flight. */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
