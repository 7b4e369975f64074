// The simulator's clock: wall time plus an offset that the admin surface can advance. The offset is
// persisted so a restart does not move simulated time backwards.
import { type Db, readMeta, writeMeta } from './store/database';

export class SimClock {
  private offsetMs: number;

  constructor(private readonly db: Db) {
    this.offsetMs = Number(readMeta(db, 'clockOffsetMs') ?? 0);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    writeMeta(this.db, 'clockOffsetMs', String(this.offsetMs));
    return this.now();
  }
}
