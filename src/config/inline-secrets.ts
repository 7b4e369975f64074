import type { ConfigIssue } from './selection-readers';

// Secrets are references, never values, so the configuration file can be committed and reviewed,
// and so no refusal of it can print one. Two places took a secret as it was pasted: a URL with its
// credentials (an Optimizely endpoint `https://user:password@…`, a CRM database URL
// `postgres://user:password@…`), and a secret pasted where the name of its environment variable
// belongs (`"password": { "env": "the password itself" }`), which then printed whole in
// "<name> is not set". None of these messages quotes the value.

/** Whether a URL carries a user name or password (a text that is no URL carries none: its own rule refuses it). */
function carriesCredentials(text: string): { user: boolean; password: boolean } {
  try {
    const url = new URL(text);
    return { user: url.username !== '', password: url.password !== '' };
  } catch {
    return { user: false, password: false };
  }
}

interface SecretsConfig {
  clients: ReadonlyArray<{ endpoint: string }>;
  crm: { kind: string; url?: string | undefined };
}

/** Every URL of the file that carries a credential, by its path, without its value. */
export function inlineSecretIssues(config: SecretsConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  config.clients.forEach((client, c) => {
    const { user, password } = carriesCredentials(client.endpoint);
    if (user || password)
      issues.push({
        path: ['clients', c, 'endpoint'],
        message:
          'carries a user name or password: give the endpoint without them; the user is the client\'s username and the password a secret reference ({"env": "VAR"} or {"file": "path"}) in password',
      });
  });
  if (config.crm.kind === 'postgres' && config.crm.url !== undefined && carriesCredentials(config.crm.url).password)
    issues.push({
      path: ['crm', 'url'],
      message: 'carries a password: give the URL in an environment variable named by urlEnv instead, so no secret is in this file',
    });
  return issues;
}
