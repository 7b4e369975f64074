import type { SqlDb } from '../../db/sql-db';
import type { SlotClaim, SlotClaimResult, SlotLease, SlotLeaseStore } from '../slot-lease-types';

/** The database server's clock in milliseconds, so leases never depend on the workers' clocks. */
const NOW_MS = {
  postgres: '(extract(epoch from clock_timestamp()) * 1000)::bigint',
  sqlite: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
} as const;
const LEAST = { postgres: 'LEAST', sqlite: 'MIN' } as const;
const GREATEST = { postgres: 'GREATEST', sqlite: 'MAX' } as const;

/** The longest lease a holder may take (`optimizelyBudget.lease` is at most 10 minutes). */
export const MAX_LEASE_MS = 600_000;

/**
 * Rows no holder can have written (both `?` are the budget's limit): a negative count would free
 * slots that are in use, a count above the limit or an expiry beyond the longest lease would block
 * the budget for good. Left by a bug, an older version or a hand edit, they are dropped like expired
 * leases. SQLite also keeps text or fractions in an INTEGER column; PostgreSQL refuses them.
 */
const HONEST = `slots >= 0 AND wanted >= 0 AND slots <= ? AND wanted <= ? AND expires_at_ms <= NOW + ${MAX_LEASE_MS}`;
const GARBAGE = {
  postgres: `NOT (${HONEST})`,
  sqlite: `NOT (${HONEST} AND typeof(slots) = 'integer' AND typeof(wanted) = 'integer' AND typeof(expires_at_ms) = 'integer')`,
} as const;

/**
 * One transaction per claim: on PostgreSQL an advisory lock per budget serialises claimants (two
 * could otherwise both count the same free slot); SQLite's writer lock does the same from the
 * first DELETE on. A holder that wants more than it holds gets what the others leave free; one
 * that wants fewer keeps `want`. Slots a holder holds are never taken from it while its lease lives.
 */
export function createSqlSlotLeaseStore(db: SqlDb): SlotLeaseStore {
  const now = NOW_MS[db.dialect];
  const [least, greatest] = [LEAST[db.dialect], GREATEST[db.dialect]];
  const garbage = GARBAGE[db.dialect].replaceAll('NOW', now);
  const lock = (budget: string) =>
    db.dialect === 'postgres' ? [{ sql: 'SELECT pg_advisory_xact_lock(hashtext(?))', params: [`optimizely_slot_leases:${budget}`] }] : [];
  return {
    async claim(request: SlotClaim): Promise<SlotClaimResult> {
      const { budget, holder, limit, want, leaseMs } = checked(request);
      await db.atomic([
        ...lock(budget),
        {
          sql: `DELETE FROM optimizely_slot_leases WHERE budget = ? AND (expires_at_ms <= ${now} OR ${garbage})`,
          params: [budget, limit, limit],
        },
        {
          sql: `INSERT INTO optimizely_slot_leases (budget, holder, slots, wanted, expires_at_ms)
                SELECT ?, ?, CASE WHEN ? <= mine THEN ? ELSE ${greatest}(mine, ${least}(?, ? - others)) END, ?, ${now} + ?
                FROM (SELECT COALESCE(SUM(CASE WHEN holder = ? THEN slots END), 0) AS mine,
                             COALESCE(SUM(CASE WHEN holder <> ? THEN slots END), 0) AS others
                      FROM optimizely_slot_leases WHERE budget = ?) AS held
                WHERE true
                ON CONFLICT (budget, holder) DO UPDATE
                  SET slots = excluded.slots, wanted = excluded.wanted, expires_at_ms = excluded.expires_at_ms`,
          params: [budget, holder, want, want, want, limit, want, leaseMs, holder, holder, budget],
        },
        {
          sql: 'DELETE FROM optimizely_slot_leases WHERE budget = ? AND holder = ? AND slots = 0 AND wanted = 0',
          params: [budget, holder],
        },
      ]);
      const live = await this.leases(budget);
      const mine = live.find((l) => l.holder === holder);
      return {
        held: mine?.slots ?? 0,
        contenders: live.filter((l) => l.wanted > 0).length,
        starving: live.filter((l) => l.holder !== holder && l.wanted > l.slots).length,
      };
    },
    async leases(budget: string): Promise<SlotLease[]> {
      const rows = await db.all<{ holder: string; slots: number | string; wanted: number | string }>(
        `SELECT holder, slots, wanted FROM optimizely_slot_leases WHERE budget = ? AND expires_at_ms > ${now} ORDER BY holder`,
        [budget],
      );
      return rows.map((r) => ({ holder: r.holder, slots: Number(r.slots), wanted: Number(r.wanted) }));
    },
  };
}

/** Refuses a claim that would corrupt the budget: negative or fractional counts, a zero lease. */
function checked(request: SlotClaim): SlotClaim {
  const whole = (name: keyof SlotClaim, min: number) => {
    const value = request[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      throw new RangeError(`slot claim: ${name} must be an integer ≥ ${min}, not ${String(value)}`);
  };
  whole('limit', 1);
  whole('want', 0);
  whole('leaseMs', 1);
  if (request.leaseMs > MAX_LEASE_MS) throw new RangeError(`slot claim: leaseMs ${request.leaseMs} is more than ${MAX_LEASE_MS}`);
  if (request.want > request.limit) throw new RangeError(`slot claim: want ${request.want} is more than the limit ${request.limit}`);
  if (request.budget === '' || request.holder === '') throw new RangeError('slot claim: budget and holder must not be empty');
  return request;
}
