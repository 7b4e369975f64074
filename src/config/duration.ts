import { z } from 'zod';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The longest duration any setting takes. A duration ends up in a timer (Temporal's, or Node's, which
 * silently fires after 1 ms when given more than 2^31 - 1 ms) or a schedule: a year is far beyond any
 * sensible setting, and refusing more keeps every value a safe integer a timer reads as written.
 */
export const MAX_DURATION_MS = 365 * UNITS.d!;

/** Node's timers (setTimeout, AbortSignal.timeout) fire after 1 ms when given more than this. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const SHAPE = /^(\d{1,9})(s|m|h|d)$/;

/** A duration text in ms, or why it is not one (the caller names the setting). */
export function parseDuration(
  text: string,
  bounds: { minMs?: number; maxMs?: number } = {},
): { ok: true; ms: number } | { ok: false; problem: string } {
  const minMs = bounds.minMs ?? 1000;
  const maxMs = bounds.maxMs ?? MAX_DURATION_MS;
  const m = SHAPE.exec(text);
  if (!m) return { ok: false, problem: 'a duration such as 90s, 15m, 12h or 2d' };
  const ms = Number(m[1]) * (UNITS[m[2] as string] as number);
  if (ms < minMs || ms > maxMs) return { ok: false, problem: `a duration between ${describe(minMs)} and ${describe(maxMs)}` };
  return { ok: true, ms };
}

/** The shortest way to write a bound (`1s`, `10m`, `365d`, `2147483s`). */
function describe(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) if (ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return `${Math.floor(ms / 1000)}s`;
}

/**
 * A duration written as `90s`, `15m`, `12h` or `2d`, read as milliseconds; at least 1s (a zero
 * timeout or interval is never meant) and at most `maxMs` (default a year).
 */
export function boundedDurationSchema(bounds: { minMs?: number; maxMs?: number } = {}) {
  return z.string().transform((text, ctx) => {
    const parsed = parseDuration(text, bounds);
    if (parsed.ok) return parsed.ms;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
}

/** Any duration setting: 1s to 365d. */
export const durationSchema = boundedDurationSchema();
