import { join } from 'node:path';

/** The folder of one run's artefacts (feedback CSV files): `<dataDir>/runs/<client>/<runId>`. */
export function runDir(dataDir: string, client: string, runId: string): string {
  return join(dataDir, 'runs', client, runId.replace(/[^A-Za-z0-9_.-]/g, '_'));
}
