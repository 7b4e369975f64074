// The failure types the workflows end with. Workflows may not import src/ at run time, so the
// class names of src/errors/ are kept here as strings; test/unit/retry-contract.test.ts checks that
// each equals its class's name and that the class is marked permanent.
export const VERIFY_MISMATCH = 'VerifyMismatchError';
export const LIST_SYNC_FAILED = 'ListSyncFailedError';
export const LIST_RESTORED = 'ListRestoredError';
export const LIST_INCOMPLETE = 'ListIncompleteError';
/** The re-export after a long pause between chunks was held and rejected: nothing more is sent. */
export const REEXPORT_REJECTED = 'ReexportRejectedError';

/** Every failure type a workflow ends with (all final: the failure is never retried). */
export const WORKFLOW_FAILURE_TYPES = [VERIFY_MISMATCH, LIST_SYNC_FAILED, LIST_RESTORED, LIST_INCOMPLETE, REEXPORT_REJECTED] as const;
