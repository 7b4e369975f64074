import { clientSelectionKey, selectionKeyOf } from '../crm/crm-config';

// Which synchronised lists read which `crm.lists` entry. Opt-in ids are numbered per Optimizely
// client: two clients (two brands) that each have a list `newsletter` with opt-in id 11 would, reading
// one plain entry, fill brand B's list with the people who consented to brand A. Consent is never
// guessed, so one entry read by two clients is refused unless the entry says it is meant
// (`sharedBy`), and a client's own entry (`<client>/<list>`) must name a configured list.

export interface ConfigIssue {
  path: Array<string | number>;
  message: string;
}

interface Reader {
  client: string;
  list: string;
  /** `clients.<c>.lists.<l>`, the list's place in the file. */
  path: [string, number, string, number];
}

interface SelectionsConfig {
  clients: ReadonlyArray<{ key: string; lists: ReadonlyArray<{ key: string }> }>;
  crm: { lists: Readonly<Record<string, { sharedBy?: string[] | undefined }>> };
}

/** Every problem of entries read by several clients, of `sharedBy` and of client keys naming no list. */
export function selectionSharingIssues(config: SelectionsConfig): ConfigIssue[] {
  const readers = readersByEntry(config);
  const issues: ConfigIssue[] = [];
  for (const [entryKey, entry] of Object.entries(config.crm.lists)) {
    const own = entryKey.includes('/');
    if (own) issues.push(...ownEntryIssues(config, entryKey, entry));
    else issues.push(...sharedEntryIssues(entryKey, entry.sharedBy, readers.get(entryKey) ?? []));
  }
  return issues;
}

/** The lists reading each entry, in the order of the file. */
function readersByEntry(config: SelectionsConfig): Map<string, Reader[]> {
  const readers = new Map<string, Reader[]>();
  config.clients.forEach((client, c) =>
    client.lists.forEach((list, l) => {
      const entryKey = selectionKeyOf(config.crm.lists, client.key, list.key);
      if (entryKey === undefined) return;
      const reader: Reader = { client: client.key, list: list.key, path: ['clients', c, 'lists', l] };
      readers.set(entryKey, [...(readers.get(entryKey) ?? []), reader]);
    }),
  );
  return readers;
}

/** A client's own entry: it must name one of the client's lists (a misspelt one would leave the list on the plain entry), and is never shared. */
function ownEntryIssues(config: SelectionsConfig, entryKey: string, entry: { sharedBy?: string[] | undefined }): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const [clientKey = '', listKey = ''] = entryKey.split('/');
  const client = config.clients.find((c) => c.key === clientKey);
  const known = client !== undefined && client.lists.some((l) => l.key === listKey);
  if (!known)
    issues.push({
      path: ['crm', 'lists', entryKey],
      message:
        client === undefined
          ? `no client ${clientKey}: a selection of one client's list is keyed "<client key>/<list key>" (clients: ${config.clients.map((c) => c.key).join(', ')})`
          : `client ${clientKey} has no list ${listKey} (its lists: ${client.lists.map((l) => l.key).join(', ')})`,
    });
  if (entry.sharedBy !== undefined)
    issues.push({
      path: ['crm', 'lists', entryKey, 'sharedBy'],
      message: `the selection "${entryKey}" is client ${clientKey}'s own; sharedBy belongs on a plain list key read by several clients`,
    });
  return issues;
}

/** A plain entry read by lists of several clients: refused unless `sharedBy` names exactly those clients. */
function sharedEntryIssues(entryKey: string, sharedBy: string[] | undefined, readers: Reader[]): ConfigIssue[] {
  const clients = [...new Set(readers.map((r) => r.client))];
  if (sharedBy !== undefined) {
    const strangers = [...new Set(sharedBy)].filter((client) => !clients.includes(client));
    if (strangers.length > 0)
      return [
        {
          path: ['crm', 'lists', entryKey, 'sharedBy'],
          message: `names ${strangers.join(', ')}, which ${strangers.length === 1 ? 'does' : 'do'} not read crm.lists.${entryKey} (read by: ${clients.join(', ') || 'no list'}); name exactly the clients meant to share it`,
        },
      ];
  }
  if (clients.length < 2) return [];
  // Without sharedBy the first client's list keeps the entry and every other client's is refused; with
  // it, every list of a client it does not name (the first's too).
  const unnamed = readers.filter((reader) =>
    sharedBy === undefined ? reader.client !== readers[0]!.client : !sharedBy.includes(reader.client),
  );
  return unnamed.map((reader) => {
    const other = readers.find((r) => r.client !== reader.client)!;
    return { path: [...reader.path, 'key'], message: sharedReadMessage(entryKey, reader, other, clients, sharedBy) };
  });
}

function sharedReadMessage(entryKey: string, reader: Reader, other: Reader, clients: string[], sharedBy: string[] | undefined): string {
  const where = (r: Reader) => `list ${r.list} of client ${r.client} (${r.path.join('.')})`;
  const fix =
    `give each client its own selection as crm.lists["${clientSelectionKey(reader.client, reader.list)}"] ` +
    `(and crm.lists["${clientSelectionKey(other.client, other.list)}"]), or, if the clients truly share one consent, ` +
    `${sharedBy === undefined ? 'add' : 'name every one in'} "sharedBy": ${JSON.stringify(clients)} on crm.lists.${entryKey}`;
  return (
    `${where(reader)} and ${where(other)} would read one CRM selection, crm.lists.${entryKey}: opt-in ids are numbered ` +
    `per Optimizely client, so one client's list could be filled with people who consented to the other's; ${fix}`
  );
}

/** What an entry reads: its CSV file (resolved) or its SQL query, trimmed. */
function sourceOf(entry: { file?: string; query?: string }): string | undefined {
  if (entry.file !== undefined) return `file ${entry.file}`;
  return entry.query === undefined ? undefined : `query ${entry.query.trim()}`;
}

/**
 * Two entries read by lists of different clients that read one CSV file or run one query are one
 * selection under two keys: the sharing refused above, copied. Compared once paths are resolved.
 */
export function sameSourceProblems(
  config: SelectionsConfig & { crm: { lists: Readonly<Record<string, { file?: string; query?: string }>> } },
): string[] {
  const readers = readersByEntry(config);
  const seen = new Map<string, { entryKey: string; clients: string[] }>();
  const problems: string[] = [];
  for (const [entryKey, entry] of Object.entries(config.crm.lists)) {
    const source = sourceOf(entry);
    const clients = [...new Set((readers.get(entryKey) ?? []).map((r) => r.client))];
    if (source === undefined || clients.length === 0) continue;
    const earlier = seen.get(source);
    const others = earlier?.clients.filter((c) => !clients.includes(c)) ?? [];
    if (earlier !== undefined && others.length > 0)
      problems.push(
        `crm.lists.${entryKey}: reads the same ${source.startsWith('file') ? 'CSV file' : 'query'} as crm.lists.${earlier.entryKey}, read by client ${others.join(', ')}: ` +
          `opt-in ids are numbered per Optimizely client, so client ${clients.join(', ')}'s list could be filled with people who consented to the other's; ` +
          `give each client a selection of its own, or read one plain entry with "sharedBy"`,
      );
    if (earlier === undefined) seen.set(source, { entryKey, clients });
    else earlier.clients.push(...clients.filter((c) => !earlier.clients.includes(c)));
  }
  return problems;
}
