// Error class names that mean "retrying cannot help": bad credentials or arguments, bad
// configuration, a selection without the required columns or a broken exchange file, a snapshot that no longer matches its
// checksum. Class names are the contract (a Temporal failure's type is its class name), so a unit
// test checks this list against the error classes themselves.
export const PERMANENT_ERROR_TYPES = [
  'OptimizelyAuthError',
  'OptimizelyArgumentError',
  'OptimizelyResponseRejectedError',
  'ConfigError',
  'CrmConfigError',
  'CrmListUnknownError',
  'CrmSelectionColumnsError',
  'CrmSelectionHeaderError',
  'CrmSelectionMalformedError',
  'CrmStatementError',
  'ListPreflightError',
  'SnapshotChecksumError',
  'SnapshotNotFoundError',
  'RecipientRefusalsError',
] as const;
