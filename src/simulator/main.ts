// CLI: npm run simulator -- --port <port> --data <sqlite file> [--seed <json file>] [--admin]
import { parseArgs } from 'node:util';
import { createLogger } from '../logger';
import { startSimulator } from './start-simulator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      data: { type: 'string', default: '.data/simulator.db' },
      seed: { type: 'string' },
      admin: { type: 'boolean', default: false },
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
    host: values.host,
    shuffleMultiRefs: values['shuffle-multirefs'],
    logger,
  });
  logger.info({ url: sim.url, admin: values.admin }, 'Optimizely Campaign simulator listening');
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
