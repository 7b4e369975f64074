// The seed file's shape (issue 3). Extra keys are allowed and ignored; optional keys have defaults.
import { z } from 'zod';

const listSchema = z.looseObject({
  id: z.number().int().positive(),
  name: z.string(),
  description: z.string().default(''),
  type: z.enum(['regular', 'optin']).default('regular'),
  fields: z.array(z.string().min(1)).min(1),
  /** Field holding the recipient id; defaults to the e-mail field. */
  idField: z.string().optional(),
  /** Field holding the address; defaults to 'email' if present, else the first field. */
  emailField: z.string().optional(),
  test: z.boolean().default(false),
  /** Wildcard pattern on the address; matching recipients are 'filtered' (result code 6). */
  filter: z.string().optional(),
});

const clientSchema = z.looseObject({
  mandatorId: z.number().int().positive(),
  username: z.string(),
  password: z.string(),
  bounceThresholds: z.object({ hard: z.number().int().positive(), soft: z.number().int().positive() }).default({ hard: 3, soft: 5 }),
  optinProcesses: z
    .array(
      z.looseObject({
        id: z.number().int().positive(),
        type: z.enum(['single', 'confirmed', 'double']),
        name: z.string().optional(),
        description: z.string().default(''),
      }),
    )
    .default([]),
  lists: z.array(listSchema).default([]),
  unsubscribes: z.array(z.string()).default([]),
  blocklist: z.array(z.string()).default([]),
  bounces: z
    .array(z.looseObject({ recipientId: z.string(), hard: z.number().int().min(0).default(0), soft: z.number().int().min(0).default(0) }))
    .default([]),
});

export const seedSchema = z.looseObject({ clients: z.array(clientSchema).default([]) });

export type Seed = z.infer<typeof seedSchema>;
export type SeedClient = z.infer<typeof clientSchema>;
export type SeedList = z.infer<typeof listSchema>;
