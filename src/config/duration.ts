import { z } from 'zod';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration written as `90s`, `15m`, `12h` or `2d`, read as milliseconds. */
export const durationSchema = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'a duration such as 90s, 15m, 12h or 2d')
  .transform((text) => Number(text.slice(0, -1)) * (UNITS[text.slice(-1)] as number));
