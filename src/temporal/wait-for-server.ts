import { Connection } from '@temporalio/client';

/** True when a Temporal frontend answers at `address` within one short attempt. */
export async function isServerUp(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** Polls until the server answers; the dev server needs a few seconds to migrate its SQLite file. */
export async function waitForServer(address: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isServerUp(address)) return;
    if (!isAlive()) throw new Error(`The Temporal dev server for ${address} exited before it answered.`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The Temporal dev server at ${address} did not answer within ${timeoutMs} ms.`);
}
