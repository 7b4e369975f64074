import type { SqlDb } from '../../db/sql-db';
import type { SuppressionStore } from '../state-store';
import type { CrmWithdrawal, CrmWithdrawalScope } from '../suppression-types';

/** Rows per INSERT: 600 parameters, below both engines' limits. */
const ROWS_PER_STATEMENT = 100;

/** The scope as stored: the consent id as configured (trimmed), the medium lower-cased. */
function scopeValues(scope: CrmWithdrawalScope): [string, string, string] {
  const values: [string, string, string] = [scope.client, scope.optInId.trim(), scope.mediaType.trim().toLowerCase()];
  if (values.some((v) => v === ''))
    throw new Error(`CRM withdrawal scope needs a client, a consent and a medium: ${JSON.stringify(values)}`);
  return values;
}

/** The time as one canonical ISO text and its milliseconds; throws naming a time that is none. */
function checkedTime(at: string): { iso: string; ms: number } {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`CRM withdrawal time is not a time: ${JSON.stringify(at).slice(0, 60)}`);
  return { iso: new Date(ms).toISOString(), ms };
}

/**
 * The CRM withdrawals of the suppression ledger (table `crm_withdrawals`, one row per client, consent,
 * medium and recipient key). Recording keeps the latest time: an upsert that only ever moves it
 * forward, so a retried export (a later `now`) or an export of another list of the same consent the
 * same night changes nothing that matters, and a delayed one never moves it back.
 */
export function sqlCrmWithdrawals(db: SqlDb): Pick<SuppressionStore, 'recordCrmWithdrawals' | 'crmWithdrawals' | 'crmWithdrawalsOf'> {
  return {
    async recordCrmWithdrawals(scope, recipientKeys, at) {
      const [client, optInId, mediaType] = scopeValues(scope);
      const time = checkedTime(at);
      // PostgreSQL refuses an upsert touching one row twice in a statement: each key once.
      const keys = [...new Set(recipientKeys)];
      if (keys.some((key) => typeof key !== 'string' || key === ''))
        throw new Error('CRM withdrawal recipient keys must be non-empty text');
      const statements = [];
      for (let from = 0; from < keys.length; from += ROWS_PER_STATEMENT) {
        const part = keys.slice(from, from + ROWS_PER_STATEMENT);
        statements.push({
          sql: `INSERT INTO crm_withdrawals (client, opt_in_id, media_type, recipient_key, withdrawn_at_ms, withdrawn_at)
                VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
                ON CONFLICT (client, opt_in_id, media_type, recipient_key) DO UPDATE
                  SET withdrawn_at_ms = excluded.withdrawn_at_ms, withdrawn_at = excluded.withdrawn_at
                  WHERE excluded.withdrawn_at_ms > crm_withdrawals.withdrawn_at_ms`,
          params: part.flatMap((key) => [client, optInId, mediaType, key, time.ms, time.iso]),
        });
      }
      if (statements.length > 0) await db.atomic(statements);
    },

    async crmWithdrawals(scope) {
      const [client, optInId, mediaType] = scopeValues(scope);
      const rows = await db.all<{ recipient_key: string; withdrawn_at: string }>(
        `SELECT recipient_key, withdrawn_at FROM crm_withdrawals WHERE client = ? AND opt_in_id = ? AND media_type = ? ORDER BY recipient_key`,
        [client, optInId, mediaType],
      );
      return rows.map((r): CrmWithdrawal => ({ recipientKey: r.recipient_key, withdrawnAt: r.withdrawn_at }));
    },

    async crmWithdrawalsOf(client, recipientKeys) {
      const keys = [...new Set(recipientKeys)];
      const found: Array<CrmWithdrawal & CrmWithdrawalScope> = [];
      for (let from = 0; from < keys.length; from += ROWS_PER_STATEMENT) {
        const part = keys.slice(from, from + ROWS_PER_STATEMENT);
        const rows = await db.all<{ recipient_key: string; withdrawn_at: string; opt_in_id: string; media_type: string }>(
          `SELECT recipient_key, withdrawn_at, opt_in_id, media_type FROM crm_withdrawals
            WHERE client = ? AND recipient_key IN (${part.map(() => '?').join(', ')})`,
          [client, ...part],
        );
        for (const r of rows)
          found.push({ client, optInId: r.opt_in_id, mediaType: r.media_type, recipientKey: r.recipient_key, withdrawnAt: r.withdrawn_at });
      }
      // Newest first, then by consent and key: the order `why` prints them in.
      return found.sort(
        (a, b) =>
          b.withdrawnAt.localeCompare(a.withdrawnAt) ||
          a.optInId.localeCompare(b.optInId) ||
          a.mediaType.localeCompare(b.mediaType) ||
          a.recipientKey.localeCompare(b.recipientKey),
      );
    },
  };
}
