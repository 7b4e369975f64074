// Sessions live in memory (a restart logs everybody out). Validity is absolute, 20 minutes from
// login by default, measured on the simulator clock (API notes §2: sliding or absolute is unknown;
// absolute is the stricter choice for clients). Open sessions are capped per client: a client that
// logs in without end gets the "too many sessions" fault (a guess, like the connection-limit fault)
// rather than growing the map without bound.
import { randomBytes } from 'node:crypto';
import { FAULT_TEXTS, INVALID_SESSION_PREFIX } from '../optimizely/api/fault-texts';
import type { SimClock } from './clock';
import { SoapFault } from './soap/soap-fault';

export interface Session {
  id: string;
  mandatorId: number;
  username: string;
  expiresAt: number;
  locale: string;
  mediaType: string;
}

/** Open sessions per client before login answers the too-many-sessions fault. */
export const DEFAULT_MAX_SESSIONS_PER_CLIENT = 100;

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly byClient = new Map<number, Set<string>>();

  constructor(
    private readonly clock: SimClock,
    public ttlMs = 20 * 60 * 1000,
    public maxPerClient = DEFAULT_MAX_SESSIONS_PER_CLIENT,
  ) {}

  open(mandatorId: number, username: string): Session {
    if (this.sessions.size >= 1000) this.sweep();
    if (this.openFor(mandatorId) >= this.maxPerClient) this.sweep();
    if (this.openFor(mandatorId) >= this.maxPerClient) throw SoapFault.impl(FAULT_TEXTS.tooManySessions);
    const session = {
      id: newSessionId(),
      mandatorId,
      username,
      expiresAt: this.clock.now() + this.ttlMs,
      locale: 'en',
      mediaType: 'EMAIL',
    };
    this.sessions.set(session.id, session);
    const ids = this.byClient.get(mandatorId) ?? new Set<string>();
    this.byClient.set(mandatorId, ids.add(session.id));
    return session;
  }

  /** Sessions of a client that have not been closed or swept (expired ones may still count). */
  openFor(mandatorId: number): number {
    return this.byClient.get(mandatorId)?.size ?? 0;
  }

  /** The live session for an id, or the real service's invalid-session fault. */
  require(id: string | null): Session {
    const session = id === null ? undefined : this.sessions.get(id);
    if (!session || session.expiresAt <= this.clock.now()) {
      if (session) this.forget(session);
      throw new SoapFault(`${INVALID_SESSION_PREFIX}${FAULT_TEXTS.invalidSession}: ${id ?? ''}`);
    }
    return session;
  }

  /** Peeks at the client of a session without failing (used for per-client accounting). */
  mandatorOf(id: string | null): number | undefined {
    return id === null ? undefined : this.sessions.get(id)?.mandatorId;
  }

  close(id: string): void {
    const session = this.sessions.get(id);
    if (session) this.forget(session);
  }

  /** Forgets expired sessions, so clients that never log out do not grow the map for ever. */
  private sweep(): void {
    const now = this.clock.now();
    for (const session of this.sessions.values()) if (session.expiresAt <= now) this.forget(session);
  }

  private forget(session: Session): void {
    this.sessions.delete(session.id);
    this.byClient.get(session.mandatorId)?.delete(session.id);
  }

  /** Ends every session (admin); returns how many there were. */
  closeAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    this.byClient.clear();
    return count;
  }
}

/** A 64-bit value in lowercase hex without zero padding: 15 or 16 characters, as observed. */
function newSessionId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex').replace(/^0+/, '');
    if (id.length >= 15) return id;
  }
}
