import type { CrmPort } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import type { FeedbackColumnMapping } from './feedback-columns';
import { resolveSentIds } from './feedback-events';
import { described } from './feedback-file-doubts';
import type { IdSamples } from './feedback-file-profile';

// A `feedbackColumns` mapping (or an export job) that swapped `recipientId` and `mailingId` is not
// seen in the cells alone: both hold ids, numeric ones where the CRM's ids are numbers. Applied, the
// mailing ids are read as recipients: a mailing id that is also someone's id (mailing 1001, contact
// 1001) withdraws that person's consent, and every mailing id lands in the suppression ledger. What
// the values still tell, asked of the ledger (ids sent by any run of the client) and the CRM
// (mailing ids of its campaigns), checked on the first distinct ids (ID_SAMPLE) of the rows that can
// reach our people (an unsubscribe file's rows about the client's lists, every row of a bounce file:
// feedback-file.ts sampledLists):
// - the mailing-id column holds ids we sent as recipients, and more distinct values than the
//   recipient-id column (in a real file many recipients share few mailings);
// - the recipient-id column holds a mailing id of a CRM campaign that was never sent as a recipient;
// - most recipient ids were never sent while some were: a wrong column (or another client's file)
//   applies only to the ids that happen to match, and those are the wrong people.
// A file of ids none of which was ever sent is applied as before (nothing reaches the CRM), and so
// is a file with some unknown ids, fewer than those sent.

/** The look-ups the check needs: which of the ids the ledger knows as sent (under any form), and whether an id is a campaign's mailing. */
export interface IdLookups {
  sentIds(ids: readonly string[]): Promise<ReadonlySet<string>>;
  isCampaignMailing(id: string): Promise<boolean>;
}

/** How many unsent recipient ids are asked of the CRM as mailing ids (one query each on a SQL CRM). */
export const CAMPAIGN_PROBES = 20;

const CHECK = "(check feedbackColumns and the export job's header); nothing applied";

/** Why a dropped file's ids show it must not be applied, or undefined when they do not. */
export async function droppedIdsDoubt(
  ids: IdSamples,
  lookups: IdLookups,
  mapping: FeedbackColumnMapping = {},
): Promise<string | undefined> {
  const recipients = [...ids.recipientId];
  const mailings = [...ids.mailingId];
  const sent = await lookups.sentIds([...new Set([...recipients, ...mailings])]);
  const sentRecipients = recipients.filter((id) => sent.has(id)).length;
  const sentMailings = mailings.filter((id) => sent.has(id)).length;
  const recipientColumn = described('recipientId', mapping);
  if (sentMailings > 0 && mailings.length > recipients.length)
    return (
      `${described('mailingId', mapping)} holds ids sent as recipients (${sentMailings} of ${mailings.length} distinct) and more distinct ` +
      `values than ${recipientColumn} (${recipients.length}): the two may be swapped ${CHECK}`
    );
  const unsent = recipients.filter((id) => !sent.has(id));
  let asMailings = 0;
  for (const id of unsent.slice(0, CAMPAIGN_PROBES)) if (await lookups.isCampaignMailing(id)) asMailings += 1;
  if (asMailings > 0)
    return `${recipientColumn} holds mailing ids of CRM campaigns never sent as recipients (${asMailings} of ${recipients.length} distinct): it may be swapped with mailingId ${CHECK}`;
  if (sentRecipients > 0 && unsent.length > sentRecipients)
    return (
      `most ids in ${recipientColumn} (${unsent.length} of ${recipients.length} distinct) were never sent by any run, while ${sentRecipients} were: ` +
      `the column may hold other ids (or the file be another client's) and would apply to ids that only happen to match ${CHECK}`
    );
  return undefined;
}

/** The ledger (ids sent by any run of the client, under any form the import resolves) and the CRM's campaigns, for droppedIdsDoubt. */
export function droppedIdLookups(ledger: LedgerStore, crm: CrmPort, client: string): IdLookups {
  return {
    sentIds: async (ids) => {
      const sent = new Set<string>();
      // Chunks as the import asks the ledger (applyFeedbackFile): one statement per 500 ids.
      for (let at = 0; at < ids.length; at += 500) {
        const resolved = await resolveSentIds(ids.slice(at, at + 500), (recipientIds) => ledger.sentEntitiesOf({ recipientIds, client }));
        for (const [id, found] of resolved) if (found !== undefined) sent.add(id);
      }
      return sent;
    },
    isCampaignMailing: async (id) => (await crm.campaignForMailing(id)) !== undefined,
  };
}
