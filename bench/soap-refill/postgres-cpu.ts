// The CPU time of a PostgreSQL server's backends, read from /proc (Linux): what the state store's
// queries cost the server, on the same cores as the refill when the server is local.
import { Client } from 'pg';
import { processCpuMs } from './start-child';

/**
 * A sampler of the CPU time (ms) of every backend connected to the server at `url`; call it before
 * and after a span of work. A backend that disconnects in between takes its time with it, so keep
 * the pool's connections open across the span (the pool's idle timeout is 10 s).
 */
export async function postgresCpuSampler(url: string): Promise<{ cpuMs(): Promise<number>; close(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    async cpuMs() {
      const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()');
      return rows.reduce((sum, row) => sum + (processCpuMs(row.pid) || 0), 0);
    },
    close: () => client.end(),
  };
}
