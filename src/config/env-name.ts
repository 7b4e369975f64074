// A secret reference names the variable that holds the secret (src/config/inline-secrets.ts): a
// secret pasted where its name belongs was printed whole in "<name> is not set".

/** A portable environment variable's name: letters, digits and `_`, not starting with a digit. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const ENV_NAME_MESSAGE =
  "the name of an environment variable (letters, digits and _, not starting with a digit); the secret's value belongs in that variable, never in this file";
