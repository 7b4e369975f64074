import type { CrmPort } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import type { FeedbackColumnMapping } from './feedback-columns';
import { resolveSentIds, type FeedbackKind } from './feedback-events';
import { described } from './feedback-file-doubts';
import type { IdSamples } from './feedback-file-profile';

// A `feedbackColumns` mapping (or an export job) that swapped `recipientId` and `mailingId` is not
// seen in the cells alone: both hold ids, numeric ones where the CRM's ids are numbers. Applied, the
// mailing ids are read as recipients: a mailing id that is also someone's id (mailing 1001, contact
// 1001) withdraws that person's consent, and every mailing id lands in the suppression ledger. What
// the values still tell, asked of the ledger (ids sent by any run of the client) and the CRM
// (mailing ids of its campaigns), checked on the first distinct ids (ID_SAMPLE) of the rows that can
// reach our people (an unsubscribe file's rows about the client's lists, every row of a bounce file:
// feedback-file.ts sampledLists) and that are recent enough for the ledger to know (below):
// - the mailing-id column holds ids we sent as recipients, and more distinct values than the
//   recipient-id column (in a real file many recipients share few mailings), unless the mailing-id
//   column holds CRM campaigns' mailing ids more often than the recipient-id column does: then it is
//   the mailing column, and the ids we sent in it are numbers that happen to be both;
// - the recipient-id column holds mailing ids of CRM campaigns never sent as recipients, more of them
//   (estimated from the probes) than ids we sent, and more often than the mailing-id column does.
//   One numeric recipient id that happens to be a campaign's mailing id (contact 4711 and mailing 4711)
//   no longer sets a file of opt-outs aside: the former rule quarantined on a single one;
// - most recipient ids were never sent while some were: a wrong column (or another client's file)
//   applies only to the ids that happen to match, and those are the wrong people. Nothing reaches the
//   CRM; an unsubscribe file's rows whose ids we sent go into the suppression ledger all the same
//   (DroppedDoubt.suppressSent: if the file is right, they are opt-outs of people we mail, and an
//   opt-out never waits; if it is wrong, the people matched by chance are left out of our lists, and
//   their consent in the CRM stays as it is), and the file is quarantined for the operator;
// - none of them was ever sent (the client has sent someone: a new installation's ledger tells
//   nothing): the file is most likely another account's, or its columns shifted. A bounce file is
//   quarantined (a bounce suppresses the id on every list, and numeric ids of another account are
//   our people's); an unsubscribe file is applied, every row into the suppression ledger (an opt-out
//   is never lost, and suppressing more is the safe side; none of those ids reaches the CRM, which
//   knows them from no run), and then set aside in quarantine/ for review (DroppedDoubt.review).
// The ledger forgets the runs the retention pruned, so a row older than where it is complete
// (`ledgerCompleteSince`) names a recipient it may no longer know: only the rows since then are
// judged, and a file with none such is judged on all its rows, as before (a file of another account
// does not pass for being old).

/** The look-ups the check needs: which of the ids the ledger knows as sent (under any form), and whether an id is a campaign's mailing. */
export interface IdLookups {
  sentIds(ids: readonly string[]): Promise<ReadonlySet<string>>;
  isCampaignMailing(id: string): Promise<boolean>;
}

/** How many ids of a column are asked of the CRM as mailing ids (one query each on a SQL CRM). */
export const CAMPAIGN_PROBES = 20;

const CHECK = "(check feedbackColumns and the export job's header); nothing applied";

/**
 * Why a dropped file must not be applied as it stands. `review`: applied all the same, then set aside
 * for the operator. `suppressSent`: not applied to the CRM, but its rows whose recipient id we sent
 * recorded in the suppression ledger (suppress-sent-rows.ts), then quarantined.
 */
export interface DroppedDoubt {
  reason: string;
  review?: true;
  suppressSent?: true;
}

export interface IdCheckContext {
  kind: FeedbackKind;
  mapping?: FeedbackColumnMapping;
  /** Where the ledger of what the client sent is complete; undefined when it holds no list run (nothing to judge by). */
  ledgerSince?: string;
}

/** Why a dropped file's ids show it must not be applied (or only for review), or undefined when they do not. */
export async function droppedIdsDoubt(
  samples: { ids: IdSamples; idsBefore: IdSamples },
  lookups: IdLookups,
  context: IdCheckContext,
): Promise<DroppedDoubt | undefined> {
  const mapping = context.mapping ?? {};
  const recent = samples.ids.recipientId.size > 0;
  const ids = recent ? samples.ids : samples.idsBefore;
  const recipients = [...ids.recipientId];
  const mailings = [...ids.mailingId];
  const sent = await lookups.sentIds([...new Set([...recipients, ...mailings])]);
  const sentRecipients = recipients.filter((id) => sent.has(id)).length;
  const sentMailings = mailings.filter((id) => sent.has(id)).length;
  const recipientColumn = described('recipientId', mapping);
  const mailingColumn = described('mailingId', mapping);
  const asked = memo(async (values: readonly string[]) => {
    const probed = values.slice(0, CAMPAIGN_PROBES);
    let hits = 0;
    for (const id of probed) if (await lookups.isCampaignMailing(id)) hits += 1;
    return { hits, probed: probed.length, share: probed.length === 0 ? 0 : hits / probed.length };
  });
  // The mailing-id column reads as CRM campaigns' mailings more often than the recipient-id column does.
  const mailingColumnIsMailings = async () => (await asked(mailings)).share > (await asked(recipients)).share;
  if (sentMailings > 0 && mailings.length > recipients.length && !(await mailingColumnIsMailings()))
    return {
      reason:
        `${mailingColumn} holds ids sent as recipients (${sentMailings} of ${mailings.length} distinct) and more distinct ` +
        `values than ${recipientColumn} (${recipients.length}): the two may be swapped ${CHECK}`,
    };
  const unsent = recipients.filter((id) => !sent.has(id));
  const unsentAsMailings = await asked(unsent);
  // Estimated over every unsent id from the probes: more campaign mailing ids than ids we sent.
  if (
    unsentAsMailings.hits > 0 &&
    unsentAsMailings.share * unsent.length > sentRecipients &&
    unsentAsMailings.share > (await asked(mailings)).share
  )
    return {
      reason:
        `${recipientColumn} holds mailing ids of CRM campaigns never sent as recipients (${unsentAsMailings.hits} of ` +
        `${unsentAsMailings.probed} asked, ${recipients.length} distinct, ${sentRecipients} sent): it may be swapped with mailingId ${CHECK}`,
    };
  const since = recent && context.ledgerSince !== undefined ? ` of its rows since ${context.ledgerSince}` : '';
  if (sentRecipients > 0 && unsent.length > sentRecipients) {
    const most =
      `most ids in ${recipientColumn}${since} (${unsent.length} of ${recipients.length} distinct) were never sent by any run, while ${sentRecipients} were: ` +
      `the column may hold other ids (or the file be another client's) and would apply to ids that only happen to match`;
    if (context.kind === 'bounce') return { reason: `${most} ${CHECK}` };
    // An unsubscribe file: the CRM is not written, but nobody it names that we mail is mailed again.
    return { reason: `${most} (check feedbackColumns and the export job's header); nothing applied to the CRM`, suppressSent: true };
  }
  if (context.ledgerSince === undefined || recipients.length === 0 || sentRecipients > 0) return undefined;
  const none =
    `none of the ${recipients.length} distinct ids in ${recipientColumn}${since} was ever sent by a run of this client: ` +
    `the file may be another account's, or its columns shifted`;
  if (context.kind === 'bounce') return { reason: `${none}; a bounce would suppress these ids on every list ${CHECK}` };
  return {
    reason:
      `applied, then set aside for review: ${none}. Its rows were applied as usual: every one recorded in the suppression ` +
      `ledger (an opt-out is never lost), the CRM only for recipients a run of ours sent; check the export job, then delete this file`,
    review: true,
  };
}

/** One answer per argument list (by identity of the first call's values): the CRM is asked once per column. */
function memo<T>(compute: (values: readonly string[]) => Promise<T>) {
  const answers = new Map<readonly string[], Promise<T>>();
  return (values: readonly string[]) => {
    let answer = answers.get(values);
    if (answer === undefined) answers.set(values, (answer = compute(values)));
    return answer;
  };
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
