// Two client entries of the configuration may reach one Optimizely account (a second API user, a
// client split for its schedule): what the calls reach is the mandator at the endpoint's origin, not
// the entry's key. The call budget is shared per account, and one Optimizely list is synchronised by
// one list of one account, so both compare clients by this.

/** The Optimizely account a client's calls reach: `<mandatorId>@<endpoint origin>`. */
export function optimizelyAccount(client: { endpoint: string; mandatorId: number }): string {
  return `${client.mandatorId}@${endpointOrigin(client.endpoint)}`;
}

/**
 * The endpoint's origin (scheme, host in lower case without the trailing dots of a fully qualified
 * name, port unless the default); an endpoint that is no URL as it stands. `api.example.net.` is the
 * host `api.example.net` in DNS, but URL keeps the dot in the origin: two clients would be two accounts.
 */
function endpointOrigin(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    const host = url.host.replace(/\.+(?=:\d+$|$)/u, '');
    return `${url.protocol}//${host}`;
  } catch {
    // The schema refuses such an endpoint with its own message; the comparison must not throw meanwhile.
    return endpoint;
  }
}
