// Runs the simulator in its own process so the benchmark's client CPU is the client's alone.
// Prints {"url", "pid"} on stdout once listening; stops on SIGTERM.
import { startSimulator, type SeedInput } from '../../src/simulator';
import { BENCH_REQUEST_LOG_CAPACITY } from './start-child';

async function main(): Promise<void> {
  const [dataFile, seedJson] = process.argv.slice(2);
  if (!dataFile || !seedJson) throw new Error('usage: simulator-child <sqlite file> <seed json>');
  const sim = await startSimulator({
    port: 0,
    dataFile,
    seed: JSON.parse(seedJson) as SeedInput,
    admin: true,
    requestLogCapacity: BENCH_REQUEST_LOG_CAPACITY,
  });
  process.stdout.write(`${JSON.stringify({ url: sim.url, pid: process.pid })}\n`);
  process.once('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
