import { describeChunkedReadsContract } from './store-contract-chunked-reads';
import { describeControlContract } from './store-contract-controls';
import { describeFeedbackIntakeContract } from './store-contract-feedback-intake';
import { describeIncidentContract } from './store-contract-incidents';
import { describeKeptSpanContract } from './store-contract-kept-spans';
import { describeLedgerContract } from './store-contract-ledger';
import { describeLedgerSpanContract } from './store-contract-ledger-spans';
import { describeSentBatchGroupContract } from './store-contract-sent-batches';
import { describeSentEntitiesContract } from './store-contract-sent-entities';
import { describeMigrationContract } from './store-contract-migrations';
import { describeRefusalContract } from './store-contract-refusals';
import { describeRetentionRestoreContract } from './store-contract-retention-restore';
import { describeRunContract } from './store-contract-runs';
import { describeRunConsentContract } from './store-contract-run-consent';
import { describeSlotLeaseContract } from './store-contract-slot-leases';
import { describeSnapshotContract } from './store-contract-snapshots';
import { describeSnapshotSharingContract } from './store-contract-snapshot-sharing';
import { describeSpanLayoutsContract } from './store-contract-span-layouts';
import { describeSuppressionContract } from './store-contract-suppressions';
import type { StoreHarness } from './store-harness';

export type { StoreHarness } from './store-harness';

/** The one suite every StateStore implementation passes: SQLite (unit) and PostgreSQL (integration). */
export function describeStateStoreContract(harness: StoreHarness): void {
  describeMigrationContract(harness);
  describeRunContract(harness);
  describeRunConsentContract(harness);
  describeLedgerContract(harness);
  describeLedgerSpanContract(harness);
  describeKeptSpanContract(harness);
  describeSentEntitiesContract(harness);
  describeSentBatchGroupContract(harness);
  describeSnapshotContract(harness);
  describeSnapshotSharingContract(harness);
  describeChunkedReadsContract(harness);
  describeSpanLayoutsContract(harness);
  describeRetentionRestoreContract(harness);
  describeControlContract(harness);
  describeSuppressionContract(harness);
  describeFeedbackIntakeContract(harness);
  describeIncidentContract(harness);
  describeSlotLeaseContract(harness);
  describeRefusalContract(harness);
}
