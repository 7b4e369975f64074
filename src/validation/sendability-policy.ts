import { z } from 'zod';

/**
 * Default longest value (in Unicode code points) of any field sent to Optimizely. The API documents
 * no field length; 255 is the length of a text field in Optimizely's recipient list schemas as
 * support sets them up, and a value beyond it is refused or cut by the server. Per list and per
 * field it can be raised or lowered (docs/crm.md, "Sendability").
 */
export const DEFAULT_MAX_LENGTH = 255;
const lengthSchema = z.int().min(1).max(100_000);

/** What the export does with values the refill could not send; one per synchronised list. */
export const sendabilityPolicySchema = z.strictObject({
  /**
   * `strip` removes the characters XML 1.0 cannot carry from an attribute value and cuts it to its
   * limit, keeping the recipient (counted as sanitized); `exclude` drops the row with the reason.
   * Recipient id, address and technical fields are never changed: such a row is always excluded.
   */
  invalidAttributeValues: z.enum(['strip', 'exclude']).default('strip'),
  /** Longest value of any field, in code points. */
  maxLength: lengthSchema.default(DEFAULT_MAX_LENGTH),
  /** Per-field limits by CRM column name (`first_name`, `entity_id`, ...), overriding `maxLength`. */
  maxLengths: z.record(z.string().min(1), lengthSchema).default({}),
});

export type SendabilityPolicy = z.infer<typeof sendabilityPolicySchema>;
export type SendabilityPolicyInput = z.input<typeof sendabilityPolicySchema>;
