import { z } from 'zod';

export const settingsPatchSchema = z.object({
  shuffleMultiRefs: z.boolean().optional(),
  batchIntervalMs: z.number().int().positive().optional(),
  maxElements: z.number().int().positive().optional(),
  sessionTtlMs: z.number().int().positive().optional(),
  maxSessionsPerClient: z.number().int().positive().optional(),
});

export const advanceSchema = z.object({ ms: z.number().int().min(0) });
