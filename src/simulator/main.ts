// CLI: npm run simulator -- --port <port> --data <sqlite file> [--seed <json file>] [--admin]
//        [--admin-token <token>] (or CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN; the variable keeps it out of `ps`)
import { parseArgs } from 'node:util';
import { loadRuntimeEnv } from '../config/runtime-env';
import { createLogger } from '../logger';
import { startSimulator } from './start-simulator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      data: { type: 'string', default: '.data/simulator.db' },
      seed: { type: 'string' },
      admin: { type: 'boolean', default: false },
      'admin-token': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'shuffle-multirefs': { type: 'boolean', default: false },
    },
  });
  const logger = createLogger({ level: 'info', format: 'json' });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  const sim = await startSimulator({
    port,
    dataFile: values.data,
    seed: values.seed,
    admin: values.admin,
    adminToken: values['admin-token'] ?? loadRuntimeEnv().CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN,
    host: values.host,
    shuffleMultiRefs: values['shuffle-multirefs'],
    logger,
  });
  logger.info(
    { url: sim.url, admin: values.admin, adminToken: Object.keys(sim.adminHeaders).length > 0 },
    'Optimizely Campaign simulator listening',
  );
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
