import type { DevServer } from '../../src/temporal/dev-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __campaignSyncDevServer?: DevServer }).__campaignSyncDevServer;
  await server?.stop();
}
