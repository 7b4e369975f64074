/** Times a phase and samples RSS while it runs, so a phase's peak memory is visible. */
export async function measure<T>(label: string, rows: number, work: () => Promise<T>): Promise<T> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage.rss());
    const rate = Math.round(rows / seconds).toLocaleString('en-US');
    console.log(
      `${label.padEnd(48)} ${rows.toLocaleString('en-US').padStart(10)} rows  ${seconds.toFixed(1).padStart(6)} s  ${rate.padStart(9)} rows/s  peak RSS ${Math.round(peak / 2 ** 20)} MiB`,
    );
  }
}
