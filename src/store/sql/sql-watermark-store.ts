import type { SqlDb } from '../../db/sql-db';
import { watermarkSchema } from '../schemas';
import type { WatermarkStore } from '../state-store';

export function createSqlWatermarkStore(db: SqlDb): WatermarkStore {
  const get = async (client: string, kind: string) => {
    const [row] = await db.all<{ at: string }>('SELECT at FROM watermarks WHERE client = ? AND kind = ?', [client, kind]);
    return row?.at;
  };
  const write = async (input: unknown, forwardOnly: boolean) => {
    const { client, kind, at } = watermarkSchema.parse(input);
    // Compared on epoch milliseconds in SQL, so concurrent writers cannot move the mark backwards.
    await db.run(
      `INSERT INTO watermarks (client, kind, at, at_ms, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (client, kind) DO UPDATE SET at = excluded.at, at_ms = excluded.at_ms, updated_at = excluded.updated_at
       ${forwardOnly ? 'WHERE watermarks.at_ms < excluded.at_ms' : ''}`,
      [client, kind, at, Date.parse(at), new Date().toISOString()],
    );
    return { client, kind };
  };
  return {
    get,
    async advance(watermark) {
      const { client, kind } = await write(watermark, true);
      return (await get(client, kind)) ?? watermark.at;
    },
    async reset(watermark) {
      await write(watermark, false);
    },
  };
}
