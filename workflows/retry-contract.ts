// Error class names that mean "retrying cannot help": bad credentials, bad arguments, bad
// configuration, a snapshot that no longer matches its checksum. Class names are the contract
// (a Temporal failure's type is its class name), so a unit test checks these against the classes.
export const PERMANENT_ERROR_TYPES = [
  'OptimizelyAuthError',
  'OptimizelyArgumentError',
  'ConfigError',
  'SnapshotChecksumError',
] as const;
