import type { ExclusionReason } from './exclusion-reasons';

/** A validated, normalised recipient: what a snapshot holds and `addAll3` sends. */
export interface Recipient {
  recipientId: string;
  email: string;
  /** Technical fields, sent with every recipient so feedback finds its CRM entity. */
  optInId: string;
  description: string;
  mediaType: string;
  entityType: string;
  entityId: string;
  /** Optimizely field name → value, from the list's attribute mapping. */
  attributes: Record<string, string>;
}

/** Why one row (by its 1-based number in the selection) is not in the snapshot. */
export interface Exclusion {
  rowNumber: number;
  reason: ExclusionReason;
  /** The CRM column that decided it. */
  field: string;
  /** Present when the row has them (trimmed raw values for rows that failed validation). */
  recipientId?: string;
  entityType?: string;
  entityId?: string;
}
