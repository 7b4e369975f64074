// One Optimizely session per client, shared by all calls. Sessions die 20 minutes after login
// (reference 2; whether activity extends them is unknown), so a session is renewed once it is
// `renewAfterMs` old, measured from login, before the server can expire it mid-batch.

export interface SessionManagerOptions {
  login: () => Promise<string>;
  logout: (sessionId: string) => Promise<void>;
  renewAfterMs: number;
  now?: () => number;
}

export class SessionManager {
  private current?: { id: string; since: number };
  private pending?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: SessionManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The live session id; logs in (once, however many callers wait) when there is none or it is old. */
  sessionId(): Promise<string> {
    const current = this.current;
    if (current && this.now() - current.since < this.options.renewAfterMs) return Promise.resolve(current.id);
    this.pending ??= this.options
      .login()
      .then((id) => {
        this.current = { id, since: this.now() };
        return id;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Forgets a session the server rejected, unless a newer one already replaced it. */
  invalidate(sessionId: string): void {
    if (this.current?.id === sessionId) this.current = undefined;
  }

  /** Logs the current session out; a failed logout is ignored because the session expires anyway. */
  async close(): Promise<void> {
    await this.pending?.catch(() => undefined);
    const id = this.current?.id;
    this.current = undefined;
    if (id !== undefined) await this.options.logout(id).catch(() => undefined);
  }
}
