import { z } from 'zod';

// Feedback and response events arrive from Optimizely data (CSV files, SOAP pages). Activities parse
// them with these schemas before handing them to the CRM port.

const isoTimestamp = z.iso.datetime({ offset: true });

export const feedbackEventSchema = z
  .object({
    kind: z.enum(['bounce', 'unsubscribe']),
    recipientId: z.string().min(1),
    entityType: z.string().min(1),
    entityId: z.string().min(1),
    // Blank only for a bounce nobody recorded the consent of (a list removed from the configuration,
    // sent before migration 14): a bounce is the entity's; an unsubscribe always names its consent.
    optInId: z.string(),
    mediaType: z.string(),
    occurredAt: isoTimestamp,
    hard: z.boolean().optional(),
  })
  .refine((e) => e.kind === 'bounce' || (e.optInId !== '' && e.mediaType !== ''), { message: 'an unsubscribe names its consent' });

export const responseEventSchema = z.object({
  kind: z.enum(['open', 'click']),
  mailingId: z.string().min(1),
  recipientId: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().min(1),
  occurredAt: isoTimestamp,
  url: z.string().optional(),
});
