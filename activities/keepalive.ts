import { heartbeat } from '@temporalio/activity';

/**
 * Heartbeats every second with the latest details until stopped, besides the activity's own progress
 * heartbeats: a slow SQL query, page or SOAP call never goes 30 s without one, so the heartbeat
 * timeouts can stay short (a dead worker is noticed in ~30 s) without timing out a live attempt.
 * The same details are re-sent, so a checkpoint is never overwritten by an empty heartbeat.
 */
export function keepalive<T>(initial?: T): { beat(details: T): void; stop(): void } {
  let latest = initial;
  const timer = setInterval(() => heartbeat(latest), 1000);
  return {
    beat(details) {
      latest = details;
      heartbeat(details);
    },
    stop: () => clearInterval(timer),
  };
}

/** Runs `work` with a keepalive, stopping it however `work` ends. */
export async function withKeepalive<T, R>(work: (beat: (details: T) => void) => Promise<R>, initial?: T): Promise<R> {
  const alive = keepalive(initial);
  try {
    return await work((details) => alive.beat(details));
  } finally {
    alive.stop();
  }
}
