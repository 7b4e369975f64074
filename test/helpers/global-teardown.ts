import { rmSync } from 'node:fs';
import type { DevServer } from '../../src/temporal/dev-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __campaignSyncDevServer?: DevServer }).__campaignSyncDevServer;
  await server?.stop();
  const bundles = (globalThis as { __campaignSyncBundles?: string }).__campaignSyncBundles;
  if (bundles !== undefined) rmSync(bundles, { recursive: true, force: true });
}
