/** Wall time and this process's CPU time (user + system) around a run. */
export interface Measured<T> {
  result: T;
  wallMs: number;
  cpuMs: number;
  /** CPU time of the simulator process over the same span. */
  serverCpuMs: number;
}

export async function measure<T>(run: () => Promise<T>, serverCpuMs: () => number): Promise<Measured<T>> {
  const server = serverCpuMs();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = await run();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000, serverCpuMs: serverCpuMs() - server };
}

/** Runs `work` over the items with at most `lanes` in flight. */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
