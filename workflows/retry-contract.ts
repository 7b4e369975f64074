// Error class names that mean "retrying cannot help": bad credentials or arguments, bad
// configuration, a selection without the required columns, a broken exchange file or a value it
// cannot encode, a snapshot that no longer matches its checksum. Class names are the contract (a
// Temporal failure's type is its class name), so a unit test checks this list against the error
// classes themselves, both ways: every class marked `retryable = false` is listed here (or is a
// workflow failure type, workflows/failure-types.ts) and every name here is such a class.
export const PERMANENT_ERROR_TYPES = [
  'OptimizelyAuthError',
  'OptimizelyArgumentError',
  'OptimizelyResponseRejectedError',
  'ConfigError',
  'CrmConfigError',
  'CrmListUnknownError',
  'CrmSelectionAmbiguousError',
  'CrmSelectionColumnsError',
  'CrmSelectionHeaderError',
  'CrmSelectionMalformedError',
  'CrmStatementError',
  // A value the CRM's Latin-1 exchange file cannot hold: the same events fail the same way again.
  'CrmExchangeEncodingError',
  'ListPreflightError',
  'SnapshotChecksumError',
  'SnapshotNotFoundError',
  'RecipientRefusalsError',
] as const;
